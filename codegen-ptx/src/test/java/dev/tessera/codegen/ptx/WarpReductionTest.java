package dev.tessera.codegen.ptx;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.loop.LoopVerifier;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The last steps of work-group tree reductions become warp shuffles, exactly where that keeps the result. */
class WarpReductionTest {

    @Test
    void softmaxFinishesBothReductionsWithShuffles() {
        LoopProgram p = Kernels.compile(Kernels.EXAMPLES.resolve("softmax.tsr"), Map.of()).getFirst();
        String ptx = PtxEmitter.emit(p);
        assertEquals(10, PtxEmitterTest.count(ptx, "shfl\\.sync\\.bfly\\.b32 %f\\d+, %f\\d+, (16|8|4|2|1), 31, -1;"), ptx);
        // Per reduction with 128 threads: the first store, one shared step (64), the warp, the read of red[0].
        assertEquals(2 * 4, PtxEmitterTest.count(ptx, "bar\\.sync 0;"), ptx);
        PtxasCheck.assembles(ptx, PtxArch.SM_90);
    }

    @Test
    void smallBlocksKeepTheSharedMemoryTree() {
        LoopProgram p = Kernels.compile(Kernels.EXAMPLES.resolve("softmax.tsr"), Map.of("wg", 16)).getFirst();
        assertEquals(0, PtxEmitterTest.count(PtxEmitter.emit(p), "shfl"));
    }

    @Test
    void everyBlockSizeFromOneWarpUp() {
        for (int wg : new int[] {32, 64, 256, 1024}) {
            String ptx = PtxEmitter.emit(reduction(wg, LType.F32, false));
            assertEquals(5, PtxEmitterTest.count(ptx, "shfl\\.sync"), "wg " + wg + ":\n" + ptx);
            PtxasCheck.assembles(ptx, PtxArch.SM_80);
        }
        String f64 = PtxEmitter.emit(reduction(128, LType.F64, false));
        assertEquals(10, PtxEmitterTest.count(f64, "shfl\\.sync\\.bfly\\.b32"), "two halves per step:\n" + f64);
        PtxasCheck.assembles(f64, PtxArch.SM_86);
    }

    @Test
    void anArrayReadElsewhereKeepsItsTree() {
        String ptx = PtxEmitter.emit(reduction(128, LType.F32, true));
        assertEquals(0, PtxEmitterTest.count(ptx, "shfl"), ptx);
    }

    /**
     * The claim the rewrite rests on: lane 0 of a butterfly over the last 32 partials combines the same
     * operands in the same order as thread 0 of the shared-memory tree, so a float sum is bit for bit equal.
     */
    @Test
    void laneZeroOfTheButterflyIsThreadZeroOfTheTree() {
        SplittableRandom r = new SplittableRandom(11);
        for (int wg : new int[] {32, 64, 128, 256, 512, 1024}) {
            for (int trial = 0; trial < 200; trial++) {
                float[] v = new float[wg];
                for (int i = 0; i < wg; i++) {
                    v[i] = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-6, 7)));
                }
                float[] tree = v.clone();
                for (int s = wg / 2; s >= 1; s /= 2) {
                    for (int i = 0; i < s; i++) {
                        tree[i] = tree[i] + tree[i + s];
                    }
                }
                float[] shared = v.clone();
                for (int s = wg / 2; s > 32; s /= 2) {
                    for (int i = 0; i < s; i++) {
                        shared[i] = shared[i] + shared[i + s];
                    }
                }
                float[] lane = new float[32];
                for (int i = 0; i < 32; i++) {
                    lane[i] = wg >= 64 ? shared[i] + shared[i + 32] : shared[i];
                }
                for (int off = 16; off >= 1; off /= 2) {
                    float[] next = new float[32];
                    for (int i = 0; i < 32; i++) {
                        next[i] = lane[i] + lane[i ^ off];
                    }
                    lane = next;
                }
                assertEquals(Float.floatToRawIntBits(tree[0]), Float.floatToRawIntBits(lane[0]), "wg " + wg);
            }
        }
    }

    /** The loop IR ReduceLowering writes for a row sum, on a 1-D block of {@code wg}; optionally red[lid] read after. */
    private static LoopProgram reduction(int wg, LType t, boolean readElsewhere) {
        DType d = t == LType.F64 ? DType.F64 : DType.F32;
        Expr.Var lid = i32("lid");
        Expr.Var acc = new Expr.Var("acc", t);
        Expr.Var k = i32("k");
        List<Stmt> body = new ArrayList<>();
        body.add(new Stmt.Decl(lid, new Expr.Special(SpecialReg.LOCAL_ID, 0)));
        body.add(new Stmt.Decl(acc, new Expr.FloatLit(0, t)));
        body.add(new Stmt.For(k, lid, i32("N"), lit(wg), List.of(new Stmt.Assign(acc,
                bin(LBinOp.ADD, acc, load("x", k, t))))));
        body.add(new Stmt.Store("red", lid, acc));
        body.add(new Stmt.Barrier());
        for (int s = wg / 2; s >= 1; s /= 2) {
            Expr sum = bin(LBinOp.ADD, load("red", lid, t), load("red", bin(LBinOp.ADD, lid, lit(s)), t));
            body.add(new Stmt.If(bin(LBinOp.LT, lid, lit(s)), List.of(new Stmt.Store("red", lid, sum)), List.of()));
            body.add(new Stmt.Barrier());
        }
        Expr result = readElsewhere ? load("red", lid, t) : load("red", lit(0), t);
        body.add(new Stmt.If(bin(LBinOp.EQ, lid, lit(0)), List.of(new Stmt.Store("y", lit(0), result)), List.of()));
        LoopKernel kernel = new LoopKernel("sum", List.of(in("x", d), out("y", d), new dev.tessera.ir.loop.LoopParam.DimParam("N")),
                List.of(new LocalArray("red", t, wg)), List.of(lit(wg)), List.of(wg), body);
        LoopProgram p = new LoopProgram("sum", new BufferPlan(List.of(buffer("x", d, Dim.of("N"))),
                List.of(buffer("y", d)), List.of(), List.of()), List.of(kernel));
        assertEquals(List.of(), LoopVerifier.verify(p));
        return p;
    }
}
