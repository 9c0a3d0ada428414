package dev.tessera.codegen.jvm;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LoopWalk;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a piece of code touches: names it reads or writes, arrays it accesses, launch coordinates it asks for. */
final class Uses {

    final Set<String> names = new LinkedHashSet<>();
    final Set<String> arrays = new LinkedHashSet<>();
    /** Launch coordinates as {@code reg.ordinal() * 3 + dim}. */
    private final Set<Integer> specials = new LinkedHashSet<>();

    static Uses of(List<Stmt> body) {
        Uses u = new Uses();
        LoopWalk.statements(body, u::stmt);
        return u;
    }

    boolean uses(SpecialReg reg, int dim) {
        return specials.contains(reg.ordinal() * 3 + dim);
    }

    /** One statement's own part; the walk brings the statements nested in it. */
    private void stmt(Stmt s) {
        switch (s) {
            case Stmt.Decl d -> {
                expr(d.init());
                names.add(d.var().name());
            }
            case Stmt.Assign a -> {
                expr(a.value());
                names.add(a.var().name());
            }
            case Stmt.Store st -> {
                arrays.add(st.array());
                expr(st.index());
                expr(st.value());
            }
            case Stmt.For f -> {
                expr(f.lo());
                expr(f.hi());
                expr(f.step());
                names.add(f.var().name());
            }
            case Stmt.If i -> expr(i.cond());
            case Stmt.Barrier b -> { }
        }
    }

    void expr(Expr e) {
        LoopWalk.expressions(e, x -> {
            switch (x) {
                case Expr.Var v -> names.add(v.name());
                case Expr.Load l -> arrays.add(l.array());
                case Expr.Special sp -> specials.add(sp.reg().ordinal() * 3 + sp.dim());
                default -> { }
            }
        });
    }
}
