package dev.tessera.passes.loop;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A pointwise kernel: one work-item per domain element over a 1-D launch, masked past the end. Values that do
 * not vary over the domain (a scalar parameter and what is computed from it) are computed before the mask,
 * where a CPU backend can hoist them out of its work-item loop.
 */
final class PointwiseLowering {

    private PointwiseLowering() {}

    static LoopKernel lower(KernelContext ctx, Map<String, TInstr> defs) {
        int wg = ctx.kernel.schedule().get("wg");
        Expr total = KernelContext.product(ctx.kernel.domain().parallel());
        List<Stmt> body = new ArrayList<>();
        Expr.Var gid = ctx.declare(body, "gid", new Expr.Special(SpecialReg.GLOBAL_ID, 0));
        List<Stmt> inside = new ArrayList<>();
        List<Expr> axes = ctx.delinearize(inside, gid, ctx.kernel.domain().parallel(), "i");
        ValueScope top = new ValueScope(ctx, defs, null, Arrays.asList(new Expr[axes.size()]), body);
        ValueScope scope = top.hoistingChild(axes, inside, ctx.varyingAlong(defs, 0));
        for (TStore s : ctx.kernel.stores()) {
            Expr v = scope.get(s.value());
            inside.add(new Stmt.Store(s.buffer(), ctx.offset(s.buffer(), s.index(), axes), v));
        }
        body.add(new Stmt.If(Ex.lt(gid, total), inside, List.of()));
        return new LoopKernel(ctx.kernel.name(), ctx.params(), List.of(), List.of(Ex.roundUp(total, wg)),
                List.of(wg), body);
    }
}
