package dev.tessera.frontend;

import dev.tessera.frontend.ast.Expr;
import dev.tessera.frontend.ast.KernelDecl;
import dev.tessera.frontend.ast.Stmt;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.graph.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lowers the statements of one kernel body, for the kernel itself or inlined into a caller, and checks its results. */
final class BodyLowerer {

    private final Scope scope;

    BodyLowerer(Scope scope) {
        this.scope = scope;
    }

    /**
     * The result values, checked against the declared result types; empty when something was wrong (and
     * reported). {@code resultName} names the single result of an inlined call after the caller's {@code let}.
     */
    Optional<List<Value>> lower(KernelDecl k, Map<String, Operand> params, String resultName) {
        Map<String, Operand> env = new HashMap<>(params);
        Map<String, Integer> letLines = new HashMap<>();
        ExprLowerer exprs = new ExprLowerer(scope, env);
        Stmt.Return ret = null;
        List<Stmt> body = k.body();
        for (int i = 0; i < body.size(); i++) {
            Stmt s = body.get(i);
            if (ret != null && body.get(i - 1) == ret) {
                scope.diags().error(s.span(), s instanceof Stmt.Return
                        ? "a kernel has exactly one 'return', as its last statement"
                        : "statement after 'return'; 'return' must be the last statement of a kernel");
            }
            switch (s) {
                case Stmt.Let let -> {
                    Operand v = exprs.lower(let.value(), scope.valueName(let.name()));
                    if (env.containsKey(let.name())) {
                        scope.diags().error(let.nameSpan(), "duplicate definition of '" + let.name()
                                + "': already defined " + (letLines.containsKey(let.name())
                                        ? "on line " + letLines.get(let.name()) : "as a parameter")
                                + "; a name is defined once per kernel");
                    } else {
                        env.put(let.name(), v);
                        letLines.put(let.name(), let.nameSpan().line());
                    }
                }
                case Stmt.Return r -> {
                    if (ret == null) {
                        ret = r;
                    } else {
                        r.values().forEach(e -> exprs.lower(e, null));
                    }
                }
            }
        }
        if (ret == null) {
            scope.diags().error(k.closingBrace(), "kernel '" + k.name() + "' must end with a 'return' statement");
            return Optional.empty();
        }
        return results(k, ret, exprs, resultName);
    }

    private Optional<List<Value>> results(KernelDecl k, Stmt.Return ret, ExprLowerer exprs, String resultName) {
        List<KernelDecl.TypeRef> declared = k.results();
        if (ret.values().size() != declared.size()) {
            scope.diags().error(ret.span(), "kernel '" + k.name() + "' declares " + count(declared.size(), "result")
                    + " but returns " + count(ret.values().size(), "value"));
            ret.values().forEach(e -> exprs.lower(e, null));
            return Optional.empty();
        }
        List<Value> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < declared.size(); i++) {
            Expr e = ret.values().get(i);
            TensorType want = declared.get(i).resolve(scope.subst());
            String which = declared.size() == 1 ? "the result" : "result " + (i + 1);
            Value v = switch (exprs.lower(e, declared.size() == 1 ? resultName : null)) {
                case Operand.Poison p -> null;
                case Operand.Lit lit when want.rank() != 0 -> {
                    scope.diags().error(lit.span(), "returns the scalar literal " + lit.text() + " but " + which
                            + " is declared " + want);
                    yield null;
                }
                case Operand.Lit lit -> exprs.typer().materialize(lit, want.dtype(), which);
                case Operand.Val(Value val) when !val.type().equals(want) -> {
                    scope.diags().error(e.span(), "returns " + val.type() + " but " + which + " of '" + k.name()
                            + "' is declared " + want + mismatchHint(val.type(), want));
                    yield null;
                }
                case Operand.Val(Value val) -> val;
            };
            if (v == null) {
                ok = false;
            } else {
                out.add(v);
            }
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    private static String mismatchHint(TensorType got, TensorType want) {
        return got.dtype() != want.dtype() && got.shape().equals(want.shape())
                ? "; convert with cast<" + want.dtype() + ">(...)" : "";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
