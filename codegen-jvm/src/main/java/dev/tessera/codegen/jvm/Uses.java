package dev.tessera.codegen.jvm;

import dev.tessera.ir.loop.Expr;
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
        body.forEach(u::stmt);
        return u;
    }

    boolean uses(SpecialReg reg, int dim) {
        return specials.contains(reg.ordinal() * 3 + dim);
    }

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
                f.body().forEach(this::stmt);
            }
            case Stmt.If i -> {
                expr(i.cond());
                i.then().forEach(this::stmt);
                i.otherwise().forEach(this::stmt);
            }
            case Stmt.Barrier b -> { }
        }
    }

    void expr(Expr e) {
        switch (e) {
            case Expr.Var v -> names.add(v.name());
            case Expr.IntLit i -> { }
            case Expr.FloatLit f -> { }
            case Expr.BoolLit b -> { }
            case Expr.Bin b -> {
                expr(b.a());
                expr(b.b());
            }
            case Expr.Un u -> expr(u.x());
            case Expr.Select s -> {
                expr(s.cond());
                expr(s.a());
                expr(s.b());
            }
            case Expr.Conv c -> expr(c.x());
            case Expr.Load l -> {
                arrays.add(l.array());
                expr(l.index());
            }
            case Expr.Special s -> specials.add(s.reg().ordinal() * 3 + s.dim());
        }
    }
}
