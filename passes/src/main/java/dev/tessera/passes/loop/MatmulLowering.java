package dev.tessera.passes.loop;

import dev.tessera.ir.Dim;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import dev.tessera.ir.tile.Domain;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TOp;
import dev.tessera.ir.tile.TStore;
import dev.tessera.ir.tile.TValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A matmul kernel. A work-group owns a tm×tn tile of the output and walks K in steps of tk: the group
 * stages the A (tm×tk) and B (tk×tn) tiles in local memory, computing any fused prologue (casts,
 * transposes) while it loads, and each work-item accumulates rm×rn outputs in registers. Work-item
 * (tx, ty) owns rows ty + i·(tm/rm) and columns tx + j·(tn/rn), so neighbouring work-items touch
 * neighbouring columns, and walks the tiles' K unrolled {@code unroll} times. The epilogue (bias, activation,
 * cast) runs on the accumulators before the store.
 * Out-of-range tile elements load as zero and out-of-range outputs are not stored, so any M, N, K work.
 */
final class MatmulLowering {

    private MatmulLowering() {}

    static LoopKernel lower(KernelContext ctx, Map<String, TInstr> defs) {
        var s = ctx.kernel.schedule();
        int tm = s.get("tm"), tn = s.get("tn"), tk = s.get("tk"), rm = s.get("rm"), rn = s.get("rn");
        int unroll = s.params().getOrDefault("unroll", 1);
        int tx = tn / rn, ty = tm / rm, threads = tx * ty;
        Domain domain = ctx.kernel.domain();
        int nb = domain.parallel().size() - 2;
        Dim mDim = domain.parallel().get(nb), nDim = domain.parallel().get(nb + 1), kDim = domain.sweep().get(0);
        Expr m = KernelContext.dim(mDim), n = KernelContext.dim(nDim), k = KernelContext.dim(kDim);
        TInstr dot = ctx.kernel.body().stream().filter(i -> i.op() instanceof TOp.Dot).findFirst()
                .orElseThrow(() -> new IllegalStateException("matmul kernel " + ctx.kernel.name() + " has no dot"));
        TOp.Dot d = (TOp.Dot) dot.op();
        LType acc = Scalars.typeOf(dot.result().dtype());

        List<Stmt> body = new ArrayList<>();
        Expr.Var bz = ctx.declare(body, "bz", new Expr.Special(SpecialReg.GROUP_ID, 2));
        List<Expr> batch = ctx.delinearize(body, bz, domain.parallel().subList(0, nb), "b");
        Expr.Var m0 = ctx.declare(body, "m0", Ex.mul(new Expr.Special(SpecialReg.GROUP_ID, 1), Ex.i32(tm)));
        Expr.Var n0 = ctx.declare(body, "n0", Ex.mul(new Expr.Special(SpecialReg.GROUP_ID, 0), Ex.i32(tn)));
        Expr.Var lx = ctx.declare(body, "tx", new Expr.Special(SpecialReg.LOCAL_ID, 0));
        Expr.Var ly = ctx.declare(body, "ty", new Expr.Special(SpecialReg.LOCAL_ID, 1));
        Expr.Var tid = ctx.declare(body, "tid", Ex.add(Ex.mul(ly, Ex.i32(tx)), lx));
        Expr.Var[][] accs = new Expr.Var[rm][rn];
        for (int i = 0; i < rm; i++) {
            for (int j = 0; j < rn; j++) {
                accs[i][j] = ctx.declare(body, "acc", Scalars.constant(0, acc));
            }
        }
        LocalArray as = new LocalArray(ctx.localArray("tile_a"), acc, tm * tk);
        LocalArray bs = new LocalArray(ctx.localArray("tile_b"), acc, tk * tn);

        List<Stmt> kLoop = new ArrayList<>();
        Expr.Var k0 = new Expr.Var(ctx.fresh("k0"), LType.I32);
        // A tile: element e is (row e / tk, column e % tk), so consecutive work-items read along K.
        kLoop.add(stage(ctx, defs, d.a(), as, tm * tk, tk, threads, tid, acc, (r, c, axes) -> {
            Expr gm = Ex.add(m0, r), gk = Ex.add(k0, c);
            axes[nb] = gm;
            axes[nb + 2] = gk;
            return Ex.and(Ex.lt(gm, m), Ex.lt(gk, k));
        }, batch, nb));
        // B tile: element e is (row e / tn, column e % tn), consecutive work-items read along N.
        kLoop.add(stage(ctx, defs, d.b(), bs, tk * tn, tn, threads, tid, acc, (r, c, axes) -> {
            Expr gk = Ex.add(k0, r), gn = Ex.add(n0, c);
            axes[nb + 2] = gk;
            axes[nb + 1] = gn;
            return Ex.and(Ex.lt(gk, k), Ex.lt(gn, n));
        }, batch, nb));
        kLoop.add(new Stmt.Barrier());
        List<Stmt> inner = new ArrayList<>();
        Expr.Var kk = new Expr.Var(ctx.fresh("kk"), LType.I32);
        for (int u = 0; u < unroll; u++) {
            Expr kAt = u == 0 ? kk : Ex.add(kk, Ex.i32(u));
            Expr.Var[] av = new Expr.Var[rm];
            Expr.Var[] bv = new Expr.Var[rn];
            for (int i = 0; i < rm; i++) {
                Expr row = Ex.add(ly, Ex.i32((long) i * ty));
                av[i] = ctx.declare(inner, "a", new Expr.Load(as.name(), Ex.add(Ex.mul(row, Ex.i32(tk)), kAt), acc));
            }
            for (int j = 0; j < rn; j++) {
                Expr col = Ex.add(lx, Ex.i32((long) j * tx));
                bv[j] = ctx.declare(inner, "b", new Expr.Load(bs.name(), Ex.add(Ex.mul(kAt, Ex.i32(tn)), col), acc));
            }
            for (int i = 0; i < rm; i++) {
                for (int j = 0; j < rn; j++) {
                    inner.add(new Stmt.Assign(accs[i][j], new Expr.Bin(LBinOp.ADD, accs[i][j],
                            new Expr.Bin(LBinOp.MUL, av[i], bv[j]))));
                }
            }
        }
        kLoop.add(new Stmt.For(kk, Ex.i32(0), Ex.i32(tk), Ex.i32(unroll), inner));
        // Every work-item is done with the tiles before the next step overwrites them.
        kLoop.add(new Stmt.Barrier());
        body.add(new Stmt.For(k0, Ex.i32(0), k, Ex.i32(tk), kLoop));

        for (int i = 0; i < rm; i++) {
            for (int j = 0; j < rn; j++) {
                List<Stmt> store = new ArrayList<>();
                Expr.Var gm = ctx.declare(body, "gm", Ex.add(m0, Ex.add(ly, Ex.i32((long) i * ty))));
                Expr.Var gn = ctx.declare(body, "gn", Ex.add(n0, Ex.add(lx, Ex.i32((long) j * tx))));
                Expr[] axes = axesWith(batch, nb);
                axes[nb] = gm;
                axes[nb + 1] = gn;
                ValueScope scope = new ValueScope(ctx, defs, null, Arrays.asList(axes), store);
                scope.bind(dot.result(), accs[i][j]);
                for (TStore st : ctx.kernel.stores()) {
                    store.add(new Stmt.Store(st.buffer(), ctx.offset(st.buffer(), st.index(), Arrays.asList(axes)),
                            scope.get(st.value())));
                }
                body.add(new Stmt.If(Ex.and(Ex.lt(gm, m), Ex.lt(gn, n)), store, List.of()));
            }
        }
        Expr batches = KernelContext.product(domain.parallel().subList(0, nb));
        List<Expr> global = List.of(Ex.mul(Ex.ceilDiv(n, tn), Ex.i32(tx)), Ex.mul(Ex.ceilDiv(m, tm), Ex.i32(ty)),
                batches);
        return new LoopKernel(ctx.kernel.name(), ctx.params(), List.of(as, bs), global, List.of(tx, ty, 1), body);
    }

    /** Binds the tile element (r, c) to domain axes and returns its in-range condition. */
    private interface TileIndex {
        Expr bind(Expr r, Expr c, Expr[] axes);
    }

    private static Expr[] axesWith(List<Expr> batch, int nb) {
        Expr[] axes = new Expr[nb + 3];
        for (int b = 0; b < nb; b++) {
            axes[b] = batch.get(b);
        }
        return axes;
    }

    /** Cooperative load of one operand tile into local memory, zero outside the matrix. */
    private static Stmt stage(KernelContext ctx, Map<String, TInstr> defs, TValue operand, LocalArray tile,
            int elements, int width, int threads, Expr tid, LType acc, TileIndex index, List<Expr> batch, int nb) {
        Expr.Var e = new Expr.Var(ctx.fresh("e"), LType.I32);
        List<Stmt> loop = new ArrayList<>();
        Expr.Var r = ctx.declare(loop, "r", Ex.div(e, Ex.i32(width)));
        Expr.Var c = ctx.declare(loop, "c", Ex.rem(e, Ex.i32(width)));
        Expr[] axes = axesWith(batch, nb);
        Expr inRange = index.bind(r, c, axes);
        Expr.Var v = ctx.declare(loop, "t", Scalars.constant(0, acc));
        List<Stmt> load = new ArrayList<>();
        ValueScope scope = new ValueScope(ctx, defs, null, Arrays.asList(axes), load);
        load.add(new Stmt.Assign(v, scope.get(operand)));
        loop.add(new Stmt.If(inRange, load, List.of()));
        loop.add(new Stmt.Store(tile.name(), e, v));
        return new Stmt.For(e, tid, Ex.i32(elements), Ex.i32(threads), loop);
    }
}
