package dev.tessera.passes.loop;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.UnaryOp;
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
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reduce kernel: one work-group per point of the parallel axes (a "row"). Each reduction is a phase:
 * the work-items stride along the sweep axes, recomputing the row's elementwise values and accumulating,
 * then combine their partials in local memory by a tree. Later phases and the stores see earlier results as
 * row constants, so softmax or layernorm is a single kernel that reads its row a few times and writes once.
 *
 * <p>With {@code stash=1} the last phase also keeps what the stores need of its costly values (those with a
 * transcendental or a division in them, such as softmax's {@code exp(x - max)}) in the output, and the store
 * sweep reads them back instead of computing them again (see {@link Stash}). Each work-item reads back only
 * elements it wrote itself, so no barrier is needed. On a CPU, where the row is in cache and {@code exp} is the
 * scarce thing, this halves softmax; on a GPU it costs a global write per element, so it is off by default.
 */
final class ReduceLowering {

    private ReduceLowering() {}

    static LoopKernel lower(KernelContext ctx, Map<String, TInstr> defs) {
        int wg = ctx.kernel.schedule().get("wg");
        var domain = ctx.kernel.domain();
        int np = domain.parallel().size();
        Expr rows = KernelContext.product(domain.parallel());
        Expr sweepCount = KernelContext.product(domain.sweep());
        Set<String> varying = ctx.varyingAlong(defs, np);

        List<Stmt> body = new ArrayList<>();
        Expr.Var row = ctx.declare(body, "row", new Expr.Special(SpecialReg.GROUP_ID, 0));
        Expr.Var lid = ctx.declare(body, "lid", new Expr.Special(SpecialReg.LOCAL_ID, 0));
        List<Expr> rowAxes = new ArrayList<>(ctx.delinearize(body, row, domain.parallel(), "p"));
        List<Expr> topAxes = new ArrayList<>(rowAxes);
        topAxes.addAll(Arrays.asList(new Expr[domain.sweep().size()]));
        ValueScope top = new ValueScope(ctx, defs, null, topAxes, body);
        Map<LType, LocalArray> scratch = new LinkedHashMap<>();

        List<Stash> stashes = ctx.kernel.schedule().params().getOrDefault("stash", 0) == 1
                ? Stash.plan(ctx, defs, varying) : List.of();
        TInstr lastReduce = ctx.kernel.body().stream().filter(in -> in.op() instanceof TOp.Reduce)
                .reduce((a, b) -> b).orElse(null);
        for (TInstr in : ctx.kernel.body()) {
            if (!(in.op() instanceof TOp.Reduce r)) {
                continue;
            }
            LType t = Scalars.typeOf(in.result().dtype());
            List<Stash> kept = in == lastReduce ? stashes : List.of();
            if (wg == 1) {
                // The one work-item holds the whole row's result: no tree, no local memory, no barrier.
                Expr acc = lanes(ctx, body, top, rowAxes, varying, r, t, sweepCount, kept);
                top.bind(in.result(), ctx.declare(body, "r" + in.result().name(), mean(r, acc, t, sweepCount)));
                continue;
            }
            Expr.Var acc = ctx.declare(body, "acc", Scalars.identity(r.op(), t));
            Sweep sweep = Sweep.open(ctx, top, rowAxes, varying);
            accumulate(ctx, sweep, acc, r, kept);
            body.add(sweep.close(lid, sweepCount, wg));
            LocalArray red = scratch.computeIfAbsent(t, k -> new LocalArray(ctx.localArray("red_" + k.irName()), k, wg));
            body.add(new Stmt.Store(red.name(), lid, acc));
            body.add(new Stmt.Barrier());
            for (int s = wg / 2; s > 0; s /= 2) {
                Expr other = new Expr.Load(red.name(), Ex.add(lid, Ex.i32(s)), t);
                Expr mine = new Expr.Load(red.name(), lid, t);
                body.add(new Stmt.If(Ex.lt(lid, Ex.i32(s)),
                        List.of(new Stmt.Store(red.name(), lid, Scalars.combine(r.op(), mine, other))), List.of()));
                body.add(new Stmt.Barrier());
            }
            Expr total = mean(r, new Expr.Load(red.name(), Ex.i32(0), t), t, sweepCount);
            top.bind(in.result(), ctx.declare(body, "r" + in.result().name(), total));
            // Every work-item has read the total before the scratch is reused by the next phase.
            body.add(new Stmt.Barrier());
        }

        List<Stmt> rowStores = new ArrayList<>();
        Sweep out = Sweep.open(ctx, top, rowAxes, varying);
        List<Stmt> sweepStores = out.body();
        ValueScope storeScope = out.scope();
        ValueScope rowScope = top.child(topAxes, rowStores);
        for (Stash st : stashes) {
            storeScope.bind(st.value(), ctx.declare(sweepStores, "kept", new Expr.Load(st.store().buffer(),
                    st.offset(ctx, storeScope), Scalars.typeOf(st.value().dtype()))));
        }
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

    /** Independent accumulators of a row walked by one work-item (see {@link #lanes}). */
    static final int LANES = 4;

    /**
     * One work-item's walk along its row in {@link #LANES} independent accumulators, element k into lane
     * k % LANES, then the leftover elements into the first, combined pairwise at the end. One accumulator
     * would make every step wait for the one before (a floating-point add takes several cycles); the lanes
     * overlap. Each lane's sum is a quarter as long, which divides the worst-case rounding error bound by about
     * as much (the typical error of random terms shrinks much less).
     */
    private static Expr lanes(KernelContext ctx, List<Stmt> body, ValueScope top, List<Expr> rowAxes,
            Set<String> varying, TOp.Reduce r, LType t, Expr count, List<Stash> kept) {
        List<Expr.Var> acc = new ArrayList<>();
        for (int j = 0; j < LANES; j++) {
            acc.add(ctx.declare(body, "acc", Scalars.identity(r.op(), t)));
        }
        Expr.Var k = new Expr.Var(ctx.fresh("k"), LType.I32);
        List<Stmt> step = new ArrayList<>();
        for (int j = 0; j < LANES; j++) {
            Expr.Var kj = j == 0 ? k : ctx.declare(step, "k", Ex.add(k, Ex.i32(j)));
            accumulate(ctx, Sweep.at(ctx, top, rowAxes, varying, kj, step), acc.get(j), r, kept);
        }
        Expr.Var whole = ctx.declare(body, "whole", Ex.sub(count, Ex.rem(count, Ex.i32(LANES))));
        body.add(new Stmt.For(k, Ex.i32(0), whole, Ex.i32(LANES), step));
        Sweep rest = Sweep.open(ctx, top, rowAxes, varying);
        accumulate(ctx, rest, acc.getFirst(), r, kept);
        body.add(new Stmt.For(rest.counter(), whole, count, Ex.i32(1), rest.body()));
        Expr total = acc.getFirst();
        for (int width = 1; width < LANES; width *= 2) {
            for (int j = 0; j + width < LANES; j += 2 * width) {
                body.add(new Stmt.Assign(acc.get(j), Scalars.combine(r.op(), acc.get(j), acc.get(j + width))));
            }
        }
        return total;
    }

    /** Adds the sweep's element into {@code acc}, and stores what the stash keeps of it. */
    private static void accumulate(KernelContext ctx, Sweep sweep, Expr.Var acc, TOp.Reduce r, List<Stash> kept) {
        sweep.body().add(new Stmt.Assign(acc, Scalars.combine(r.op(), acc, sweep.scope().get(r.x()))));
        for (Stash st : kept) {
            sweep.body().add(new Stmt.Store(st.store().buffer(), st.offset(ctx, sweep.scope()),
                    sweep.scope().get(st.value())));
        }
    }

    /** A reduction's result from its combined total: divided by the count for a mean. */
    private static Expr mean(TOp.Reduce r, Expr total, LType t, Expr count) {
        return r.op() == ReduceOp.MEAN ? new Expr.Bin(LBinOp.DIV, total, new Expr.Conv(t, count)) : total;
    }

    /** The body of one walk along the sweep axes: its counter, statements and value scope. */
    private record Sweep(Expr.Var counter, List<Stmt> body, ValueScope scope) {

        static Sweep open(KernelContext ctx, ValueScope top, List<Expr> rowAxes, Set<String> varying) {
            return at(ctx, top, rowAxes, varying, new Expr.Var(ctx.fresh("k"), LType.I32), new ArrayList<>());
        }

        /** The sweep's element {@code k}, computed into {@code body}. */
        static Sweep at(KernelContext ctx, ValueScope top, List<Expr> rowAxes, Set<String> varying, Expr.Var k,
                List<Stmt> body) {
            List<Expr> axes = new ArrayList<>(rowAxes);
            axes.addAll(ctx.delinearize(body, k, ctx.kernel.domain().sweep(), "s"));
            return new Sweep(k, body, top.hoistingChild(axes, body, varying));
        }

        /** Work-item {@code lid} takes elements lid, lid + wg, ... of the row. */
        Stmt close(Expr lid, Expr count, int wg) {
            return new Stmt.For(counter, lid, count, Ex.i32(wg), body);
        }
    }

    /**
     * A value of the last phase that the store sweep reads back from an output instead of computing again.
     * The output must be written by this one store only, at an index that takes every domain axis once (so each
     * point of the domain has an element of its own), in the value's own type, and must not be read by the
     * kernel.
     */
    private record Stash(TValue value, TStore store) {

        private static final Set<UnaryOp> COSTLY = EnumSet.of(UnaryOp.EXP, UnaryOp.LOG, UnaryOp.SQRT,
                UnaryOp.RSQRT, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU, UnaryOp.ERF);

        Expr offset(KernelContext ctx, ValueScope scope) {
            return ctx.offset(store.buffer(), store.index(), scope.axes());
        }

        static List<Stash> plan(KernelContext ctx, Map<String, TInstr> defs, Set<String> varying) {
            List<TInstr> reduces = ctx.kernel.body().stream().filter(in -> in.op() instanceof TOp.Reduce).toList();
            if (reduces.isEmpty()) {
                return List.of();
            }
            // What the last phase computes per element, and what the store sweep does.
            Set<String> phase = cone(List.of(((TOp.Reduce) reduces.getLast().op()).x()), defs, varying);
            List<TStore> sweepStores = ctx.kernel.stores().stream().filter(st -> varying.contains(st.value().name()))
                    .toList();
            Set<String> stored = cone(sweepStores.stream().map(TStore::value).toList(), defs, varying);
            // The values both compute where the store sweep's own work starts: stored as they are, or used by
            // something the last phase does not compute.
            Set<String> frontier = new LinkedHashSet<>();
            for (TStore st : sweepStores) {
                if (phase.contains(st.value().name())) {
                    frontier.add(st.value().name());
                }
            }
            for (String u : stored) {
                if (!phase.contains(u)) {
                    defs.get(u).op().operands().stream().map(TValue::name).filter(phase::contains)
                            .forEach(frontier::add);
                }
            }
            List<TStore> free = new ArrayList<>(sweepStores.stream().filter(st -> canHold(ctx, st)).toList());
            List<Stash> result = new ArrayList<>();
            for (String name : frontier) {
                TValue v = defs.get(name).result();
                if (!costly(name, defs, phase)) {
                    continue;
                }
                free.stream().filter(st -> ctx.buffer(st.buffer()).type().dtype() == v.dtype()).findFirst()
                        .ifPresent(st -> {
                            free.remove(st);
                            result.add(new Stash(v, st));
                        });
            }
            return result;
        }

        private static boolean canHold(KernelContext ctx, TStore st) {
            DType t = ctx.buffer(st.buffer()).type().dtype();
            String storage = ctx.plan.storageOf(st.buffer());
            int rank = ctx.kernel.domain().parallel().size() + ctx.kernel.domain().sweep().size();
            Set<Integer> axes = new HashSet<>();
            for (IndexTerm i : st.index()) {
                if (i instanceof IndexTerm.Axis a && !axes.add(a.axis())) {
                    return false;
                }
            }
            return (t == DType.F32 || t == DType.F64) && axes.size() == rank
                    && ctx.kernel.stores().stream().filter(o -> ctx.plan.storageOf(o.buffer()).equals(storage))
                            .count() == 1
                    && ctx.kernel.reads().stream().noneMatch(r -> ctx.plan.storageOf(r).equals(storage));
        }

        /** The varying values {@code roots} are computed from, up to loads, reductions and row constants. */
        private static Set<String> cone(List<TValue> roots, Map<String, TInstr> defs, Set<String> varying) {
            Set<String> seen = new LinkedHashSet<>();
            List<TValue> work = new ArrayList<>(roots);
            while (!work.isEmpty()) {
                TValue v = work.removeLast();
                if (varying.contains(v.name()) && seen.add(v.name())) {
                    work.addAll(defs.get(v.name()).op().operands());
                }
            }
            return seen;
        }

        /** Whether computing {@code name} in the phase takes a transcendental or a division. */
        private static boolean costly(String name, Map<String, TInstr> defs, Set<String> phase) {
            for (String u : cone(List.of(defs.get(name).result()), defs, phase)) {
                TOp op = defs.get(u).op();
                if (op instanceof TOp.Unary un && COSTLY.contains(un.op())
                        || op instanceof TOp.Binary b && b.op() == BinaryOp.DIV) {
                    return true;
                }
            }
            return false;
        }
    }
}
