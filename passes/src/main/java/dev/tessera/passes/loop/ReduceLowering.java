package dev.tessera.passes.loop;

import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import dev.tessera.ir.tile.IndexTerm;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TOp;
import dev.tessera.ir.tile.TStore;
import dev.tessera.ir.tile.TValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reduce kernel: one work-group per point of the parallel axes (a "row"). Each reduction is a phase:
 * the work-items stride along the sweep axes, recomputing the row's elementwise values and accumulating,
 * then combine their partials in local memory by a tree. Later phases and the stores see earlier results as
 * row constants, so softmax or layernorm is a single kernel that reads its row a few times and writes once.
 */
final class ReduceLowering {

    private ReduceLowering() {}

    static LoopKernel lower(KernelContext ctx, Map<String, TInstr> defs) {
        int wg = ctx.kernel.schedule().get("wg");
        var domain = ctx.kernel.domain();
        int np = domain.parallel().size();
        Expr rows = KernelContext.product(domain.parallel());
        Expr sweepCount = KernelContext.product(domain.sweep());
        Set<String> varying = varyingValues(ctx, defs, np);

        List<Stmt> body = new ArrayList<>();
        Expr.Var row = ctx.declare(body, "row", new Expr.Special(SpecialReg.GROUP_ID, 0));
        Expr.Var lid = ctx.declare(body, "lid", new Expr.Special(SpecialReg.LOCAL_ID, 0));
        List<Expr> rowAxes = new ArrayList<>(ctx.delinearize(body, row, domain.parallel(), "p"));
        List<Expr> topAxes = new ArrayList<>(rowAxes);
        topAxes.addAll(Arrays.asList(new Expr[domain.sweep().size()]));
        ValueScope top = new ValueScope(ctx, defs, null, topAxes, body);
        Map<LType, LocalArray> scratch = new LinkedHashMap<>();

        for (TInstr in : ctx.kernel.body()) {
            if (!(in.op() instanceof TOp.Reduce r)) {
                continue;
            }
            LType t = Scalars.typeOf(in.result().dtype());
            LocalArray red = scratch.computeIfAbsent(t, k -> new LocalArray(ctx.localArray("red_" + k.irName()), k, wg));
            Expr.Var acc = ctx.declare(body, "acc", Scalars.identity(r.op(), t));
            Sweep sweep = Sweep.open(ctx, top, rowAxes, varying);
            sweep.body().add(new Stmt.Assign(acc, Scalars.combine(r.op(), acc, sweep.scope().get(r.x()))));
            body.add(sweep.close(lid, sweepCount, wg));
            body.add(new Stmt.Store(red.name(), lid, acc));
            body.add(new Stmt.Barrier());
            for (int s = wg / 2; s > 0; s /= 2) {
                Expr other = new Expr.Load(red.name(), Ex.add(lid, Ex.i32(s)), t);
                Expr mine = new Expr.Load(red.name(), lid, t);
                body.add(new Stmt.If(Ex.lt(lid, Ex.i32(s)),
                        List.of(new Stmt.Store(red.name(), lid, Scalars.combine(r.op(), mine, other))), List.of()));
                body.add(new Stmt.Barrier());
            }
            Expr total = new Expr.Load(red.name(), Ex.i32(0), t);
            if (r.op() == ReduceOp.MEAN) {
                total = new Expr.Bin(LBinOp.DIV, total, new Expr.Conv(t, sweepCount));
            }
            top.bind(in.result(), ctx.declare(body, "r" + in.result().name(), total));
            // Every work-item has read the total before the scratch is reused by the next phase.
            body.add(new Stmt.Barrier());
        }

        List<Stmt> rowStores = new ArrayList<>();
        Sweep out = Sweep.open(ctx, top, rowAxes, varying);
        List<Stmt> sweepStores = out.body();
        ValueScope storeScope = out.scope();
        ValueScope rowScope = top.child(topAxes, rowStores);
        for (TStore s : ctx.kernel.stores()) {
            boolean alongSweep = s.index().stream().anyMatch(i -> i instanceof IndexTerm.Axis a && a.axis() >= np);
            if (alongSweep) {
                sweepStores.add(new Stmt.Store(s.buffer(), ctx.offset(s.buffer(), s.index(), storeScope.axes()),
                        storeScope.get(s.value())));
            } else if (varying.contains(s.value().name())) {
                throw new IllegalStateException("kernel " + ctx.kernel.name() + " stores %" + s.value().name()
                        + ", which varies along the sweep axes, at an index that does not");
            } else {
                rowStores.add(new Stmt.Store(s.buffer(), ctx.offset(s.buffer(), s.index(), topAxes),
                        rowScope.get(s.value())));
            }
        }
        if (!rowStores.isEmpty()) {
            body.add(new Stmt.If(new Expr.Bin(LBinOp.EQ, lid, Ex.i32(0)), rowStores, List.of()));
        }
        if (sweepStores.stream().anyMatch(st -> st instanceof Stmt.Store)) {
            body.add(out.close(lid, sweepCount, wg));
        }
        return new LoopKernel(ctx.kernel.name(), ctx.params(), List.copyOf(scratch.values()),
                List.of(Ex.mul(rows, Ex.i32(wg))), List.of(wg), body);
    }

    /** The body of one walk along the sweep axes: its counter, statements and value scope. */
    private record Sweep(Expr.Var counter, List<Stmt> body, ValueScope scope) {

        static Sweep open(KernelContext ctx, ValueScope top, List<Expr> rowAxes, Set<String> varying) {
            Expr.Var k = new Expr.Var(ctx.fresh("k"), LType.I32);
            List<Stmt> body = new ArrayList<>();
            List<Expr> axes = new ArrayList<>(rowAxes);
            axes.addAll(ctx.delinearize(body, k, ctx.kernel.domain().sweep(), "s"));
            return new Sweep(k, body, top.hoistingChild(axes, body, varying));
        }

        /** Work-item {@code lid} takes elements lid, lid + wg, ... of the row. */
        Stmt close(Expr lid, Expr count, int wg) {
            return new Stmt.For(counter, lid, count, Ex.i32(wg), body);
        }
    }

    /** Values that differ along the sweep axes: loads indexed by them and what is computed from those. */
    private static Set<String> varyingValues(KernelContext ctx, Map<String, TInstr> defs, int np) {
        Set<String> v = new HashSet<>();
        for (TInstr in : ctx.kernel.body()) {
            boolean varies = switch (in.op()) {
                case TOp.Load l -> l.index().stream().anyMatch(i -> i instanceof IndexTerm.Axis a && a.axis() >= np);
                case TOp.Reduce r -> false;
                case TOp.Dot d -> false;
                default -> in.op().operands().stream().anyMatch(o -> v.contains(o.name()));
            };
            if (varies) {
                v.add(in.result().name());
            }
        }
        return v;
    }
}
