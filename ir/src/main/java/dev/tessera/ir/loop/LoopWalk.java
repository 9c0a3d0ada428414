package dev.tessera.ir.loop;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Visits loop IR in program order, for the analyses that only need to see every statement or every
 * expression once (what a body uses, reads or declares), so that each does not spell out the tree again.
 */
public final class LoopWalk {

    private LoopWalk() {}

    /** Every statement of {@code body}, each before the statements nested in it. */
    public static void statements(List<Stmt> body, Consumer<Stmt> visit) {
        for (Stmt s : body) {
            visit.accept(s);
            switch (s) {
                case Stmt.For f -> statements(f.body(), visit);
                case Stmt.If i -> {
                    statements(i.then(), visit);
                    statements(i.otherwise(), visit);
                }
                default -> { }
            }
        }
    }

    /** Every expression of {@code body}, sub-expressions too, each before its operands. */
    public static void expressions(List<Stmt> body, Consumer<Expr> visit) {
        statements(body, s -> own(s).forEach(e -> expressions(e, visit)));
    }

    /** {@code e} and every expression it is computed from, each before its operands. */
    public static void expressions(Expr e, Consumer<Expr> visit) {
        visit.accept(e);
        e.operands().forEach(o -> expressions(o, visit));
    }

    /** Whether {@code e} or any expression it is computed from matches. */
    public static boolean anyMatch(Expr e, Predicate<Expr> test) {
        return test.test(e) || e.operands().stream().anyMatch(o -> anyMatch(o, test));
    }

    /** The expressions a statement holds itself, not those of the statements nested in it. */
    private static List<Expr> own(Stmt s) {
        return switch (s) {
            case Stmt.Decl d -> List.of(d.init());
            case Stmt.Assign a -> List.of(a.value());
            case Stmt.Store st -> List.of(st.index(), st.value());
            case Stmt.For f -> List.of(f.lo(), f.hi(), f.step());
            case Stmt.If i -> List.of(i.cond());
            case Stmt.Barrier b -> List.of();
        };
    }
}
