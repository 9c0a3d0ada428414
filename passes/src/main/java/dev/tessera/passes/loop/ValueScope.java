package dev.tessera.passes.loop;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.Stmt;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TOp;
import dev.tessera.ir.tile.TValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits the scalar code of tile values at one point of the domain: each value once per scope, as a
 * declared variable, after its operands. A child scope (a loop body) sees its parent's values. Reductions
 * and dots are not computed here: the kernel lowering computes them and {@link #bind}s their result.
 */
final class ValueScope {

    private final KernelContext ctx;
    private final Map<String, TInstr> defs;
    private final ValueScope parent;
    private final List<Expr> axes;
    private final List<Stmt> out;
    private final Map<String, Expr> known = new HashMap<>();
    /** Values that differ along this scope's own axes; anything else is computed in the parent instead. */
    private java.util.Set<String> varying;

    /**
     * @param axes the value of each domain axis in this scope (null where the axis is not in scope)
     * @param out where declarations go
     */
    ValueScope(KernelContext ctx, Map<String, TInstr> defs, ValueScope parent, List<Expr> axes, List<Stmt> out) {
        this.ctx = ctx;
        this.defs = defs;
        this.parent = parent;
        this.axes = axes;
        this.out = out;
    }

    ValueScope child(List<Expr> childAxes, List<Stmt> childOut) {
        return new ValueScope(ctx, defs, this, childAxes, childOut);
    }

    /** A child scope that hoists every value not in {@code varyingHere} to this scope. */
    ValueScope hoistingChild(List<Expr> childAxes, List<Stmt> childOut, java.util.Set<String> varyingHere) {
        ValueScope c = child(childAxes, childOut);
        c.varying = varyingHere;
        return c;
    }

    List<Expr> axes() {
        return axes;
    }

    void bind(TValue v, Expr e) {
        known.put(v.name(), e);
    }

    boolean has(TValue v) {
        return known.containsKey(v.name()) || (parent != null && parent.has(v));
    }

    private Expr lookup(TValue v) {
        Expr e = known.get(v.name());
        return e != null || parent == null ? e : parent.lookup(v);
    }

    /** The expression of {@code v} in this scope, emitting what it needs. */
    Expr get(TValue v) {
        Expr e = lookup(v);
        if (e != null) {
            return e;
        }
        if (varying != null && !varying.contains(v.name())) {
            return parent.get(v);
        }
        TInstr def = defs.get(v.name());
        if (def.op() instanceof TOp.Const c) {
            Expr literal = Scalars.constant(c.value(), Scalars.typeOf(v.dtype()));
            known.put(v.name(), literal);
            return literal;
        }
        Expr value = switch (def.op()) {
            case TOp.Load l -> new Expr.Load(l.buffer(), ctx.offset(l.buffer(), l.index(), axes),
                    LType.computeTypeOf(ctx.buffer(l.buffer()).type().dtype()));
            case TOp.Const c -> Scalars.constant(c.value(), Scalars.typeOf(v.dtype()));
            case TOp.Unary u -> Scalars.unary(u.op(), get(u.x()));
            case TOp.Binary b -> Scalars.binary(b.op(), get(b.a()), get(b.b()));
            case TOp.Select s -> new Expr.Select(get(s.cond()), get(s.a()), get(s.b()));
            case TOp.Cast c -> Scalars.convert(get(c.x()), c.to());
            case TOp.Reduce r -> throw new IllegalStateException("reduction %" + v.name() + " not computed yet");
            case TOp.Dot d -> throw new IllegalStateException("dot %" + v.name() + " not computed yet");
        };
        Expr.Var var = ctx.declare(out, "v" + v.name().replace('.', '_'), value);
        known.put(v.name(), var);
        return var;
    }
}
