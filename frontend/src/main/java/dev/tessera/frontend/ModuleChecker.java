package dev.tessera.frontend;

import dev.tessera.frontend.ast.KernelDecl;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks every kernel of a file and lowers it to graph IR. A kernel is checked on its own before anything calls it
 * (whatever the order in the file), so that a broken callee is reported once, in its own body, and a cycle of calls
 * is found as a call into a kernel still being checked.
 */
final class ModuleChecker {

    /** What a call's name refers to when it is not a builtin. */
    sealed interface Callee {
        record Found(KernelDecl decl) implements Callee {}

        /** The kernel has errors of its own, already reported; the call is not reported again. */
        record Broken() implements Callee {}

        /** The call closes a cycle; {@code chain} reads like {@code a -> b -> a}. */
        record Recursive(String chain) implements Callee {}

        record Unknown() implements Callee {}
    }

    private enum State { CHECKING, OK, BROKEN }

    private final Set<String> unparsed;
    private final Diags diags;
    private final Map<String, KernelDecl> byName = new LinkedHashMap<>();
    private final Map<String, State> states = new HashMap<>();
    private final Map<String, GraphKernel> lowered = new HashMap<>();
    private final Deque<String> checking = new ArrayDeque<>();

    /** @param unparsed names of kernels that had syntax errors: calls to them are neither unknown nor inlined */
    ModuleChecker(Set<String> unparsed, Diags diags) {
        this.unparsed = Set.copyOf(unparsed);
        this.diags = diags;
    }

    /** The kernels without errors, in file order; everything else is reported. */
    List<GraphKernel> run(List<KernelDecl> decls) {
        for (KernelDecl k : decls) {
            byName.putIfAbsent(k.name(), k);
        }
        List<GraphKernel> out = new ArrayList<>();
        for (KernelDecl k : decls) {
            KernelDecl first = byName.get(k.name());
            if (first != k) {
                diags.error(k.nameSpan(), "duplicate kernel '" + k.name() + "': already defined on line "
                        + first.nameSpan().line());
                check(k); // for the errors in its body
                continue;
            }
            if (!states.containsKey(k.name())) {
                ensureChecked(k.name());
            }
            Optional.ofNullable(lowered.get(k.name())).ifPresent(out::add);
        }
        return out;
    }

    boolean isKernel(String name) {
        return byName.containsKey(name) || unparsed.contains(name);
    }

    List<String> kernelNames() {
        return List.copyOf(byName.keySet());
    }

    Callee resolve(String name) {
        KernelDecl decl = byName.get(name);
        if (decl == null) {
            return unparsed.contains(name) ? new Callee.Broken() : new Callee.Unknown();
        }
        State state = states.get(name);
        if (state == State.CHECKING) {
            List<String> chain = new ArrayList<>(checking);
            chain = new ArrayList<>(chain.subList(chain.indexOf(name), chain.size()));
            chain.add(name);
            return new Callee.Recursive(String.join(" -> ", chain));
        }
        if (state == null) {
            state = ensureChecked(name);
        }
        return state == State.OK ? new Callee.Found(decl) : new Callee.Broken();
    }

    private State ensureChecked(String name) {
        states.put(name, State.CHECKING);
        checking.addLast(name);
        Optional<GraphKernel> k = check(byName.get(name));
        checking.removeLast();
        State state = k.isPresent() ? State.OK : State.BROKEN;
        states.put(name, state);
        k.ifPresent(g -> lowered.put(name, g));
        return state;
    }

    /** Lowers one kernel on its own; empty when it has errors (reported) or calls a broken kernel. */
    private Optional<GraphKernel> check(KernelDecl decl) {
        Counting counting = new Counting(diags);
        GraphBuilder builder = new GraphBuilder();
        Map<String, Operand> env = new LinkedHashMap<>();
        List<Value> params = new ArrayList<>();
        for (KernelDecl.Param p : decl.params()) {
            if (env.containsKey(p.name())) {
                counting.error(p.span(), "duplicate parameter '" + p.name() + "' in kernel '" + decl.name() + "'");
                continue;
            }
            Value v = builder.param(p.name(), p.type().resolve(Map.of()));
            params.add(v);
            env.put(p.name(), new Operand.Val(v));
        }
        Scope scope = new Scope(this, builder, counting, null, Map.of());
        Optional<List<Value>> results = new BodyLowerer(scope).lower(decl, env, null);
        if (counting.errors > 0 || results.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GraphKernel(decl.name(), params, builder.body(), results.get(), decl.span()));
    }

    /** Passes diagnostics on and counts the errors among them. */
    private static final class Counting implements Diags {
        private final Diags outer;
        private int errors;

        Counting(Diags outer) {
            this.outer = outer;
        }

        @Override
        public void report(Diagnostic d) {
            if (d.severity() == Diagnostic.Severity.ERROR) {
                errors++;
            }
            outer.report(d);
        }
    }
}
