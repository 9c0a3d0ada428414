package dev.tessera.ir.graph;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.SourceSpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the invariants every pass must keep: SSA (one definition per name, defined before use, uses agree
 * with the definition's type), result types as {@link TypeRules} derives them, symbolic dims all bound by some
 * parameter (they are bound from the inputs at launch), returned values defined, kernel names unique, and
 * fusion groups over existing instruction results, in definition order; a value may be recomputed in several
 * groups but is the root (last member, the value the group stores) of at most one.
 * Returns every problem found rather than stopping at the first.
 */
public final class GraphVerifier {

    private GraphVerifier() {}

    public static List<Diagnostic> verify(GraphModule module) {
        List<Diagnostic> out = new ArrayList<>();
        Map<String, GraphKernel> seen = new HashMap<>();
        for (GraphKernel k : module.kernels()) {
            GraphKernel first = seen.putIfAbsent(k.name(), k);
            if (first != null) {
                out.add(new Diagnostic(Diagnostic.Severity.ERROR, k.span(), "kernel @" + k.name()
                        + " is defined twice", List.of("first defined at " + first.span())));
            }
            out.addAll(verify(k));
        }
        return out;
    }

    public static List<Diagnostic> verify(GraphKernel k) {
        return new KernelCheck(k).run();
    }

    /** Throws a {@link CompileException} with every diagnostic when the module is not valid. */
    public static void check(GraphModule module) {
        List<Diagnostic> ds = verify(module);
        if (!ds.isEmpty()) {
            throw new CompileException(ds);
        }
    }

    /** The checks of one kernel, with the definitions seen so far. */
    private static final class KernelCheck {
        private final GraphKernel k;
        private final List<Diagnostic> out = new ArrayList<>();
        private final Map<String, Value> defined = new HashMap<>();
        private final Set<String> instrResults = new HashSet<>();
        private final Set<String> paramSymbols = new HashSet<>();

        KernelCheck(GraphKernel k) {
            this.k = k;
        }

        List<Diagnostic> run() {
            for (Value p : k.params()) {
                if (defined.putIfAbsent(p.name(), p) != null) {
                    error(k.span(), "@" + k.name() + ": parameter " + p + " is declared twice");
                }
                paramSymbols.addAll(p.type().shape().symbols());
            }
            for (Instr i : k.body()) {
                for (Value operand : i.op().operands()) {
                    checkUse(operand, i.span(), "operand");
                }
                TypeRules.check(i).ifPresent(msg -> error(i.span(), msg));
                for (String sym : i.result().type().shape().symbols()) {
                    if (!paramSymbols.contains(sym)) {
                        error(i.span(), "result " + i.result() + " uses dim " + sym + ", which no parameter binds");
                    }
                }
                if (defined.containsKey(i.result().name())) {
                    error(i.span(), "redefinition of " + i.result());
                } else {
                    defined.put(i.result().name(), i.result());
                    instrResults.add(i.result().name());
                }
            }
            for (Value r : k.results()) {
                checkUse(r, k.span(), "@" + k.name() + ": returned value");
            }
            checkFusions();
            return out;
        }

        private void checkUse(Value v, SourceSpan span, String role) {
            Value def = defined.get(v.name());
            if (def == null) {
                error(span, role + " " + v + " is not defined before this use");
            } else if (!def.type().equals(v.type())) {
                error(span, role + " " + v + " is used as " + v.type() + " but defined as " + def.type());
            }
        }

        private void checkFusions() {
            Map<String, Integer> order = new HashMap<>();
            for (Instr i : k.body()) {
                order.putIfAbsent(i.result().name(), order.size());
            }
            Map<String, String> groupOf = new HashMap<>();
            Set<String> names = new HashSet<>();
            for (FusionGroup g : k.fusions()) {
                String where = "@" + k.name() + ": fusion group @" + g.name();
                if (!names.add(g.name())) {
                    error(k.span(), where + " is declared twice");
                }
                if (g.members().isEmpty()) {
                    error(k.span(), where + " has no members");
                }
                int prev = -1;
                for (String m : g.members()) {
                    if (!instrResults.contains(m)) {
                        error(k.span(), where + " names %" + m + ", which is not an instruction result");
                        continue;
                    }
                    if (m.equals(g.members().getLast())) {
                        Optional.ofNullable(groupOf.putIfAbsent(m, g.name())).ifPresent(other ->
                                error(k.span(), where + " stores %" + m + ", which @" + other + " already stores"));
                    }
                    int at = order.get(m);
                    if (at <= prev) {
                        error(k.span(), where + " lists %" + m + " out of definition order");
                    }
                    prev = at;
                }
            }
        }

        private void error(SourceSpan span, String message) {
            out.add(Diagnostic.error(span, message));
        }
    }
}
