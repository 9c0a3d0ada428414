package dev.tessera.ir.loop;

import static dev.tessera.ir.loop.LoopIr.*;

import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import java.util.List;

/** Loop programs built by hand ({@link LoopIr}) for the text, verifier and interpreter tests. */
final class LoopFixtures {

    private LoopFixtures() {}

    static final Dim N = new Dim.Sym("N");
    static final Dim D = new Dim.Sym("D");

    /** {@code out0[r, c] = x[r, c] + b[0, c]} on a 2-D grid of 16 x 8 work-groups, masked at both edges. */
    static LoopProgram broadcastAdd() {
        BufferPlan plan = new BufferPlan(List.of(buffer("x", DType.F32, N, D), buffer("b", DType.F32, 1, D)),
                List.of(buffer("out0", DType.F32, N, D)), List.of(), List.of());
        Expr.Var col = i32("col");
        Expr.Var row = i32("row");
        Expr idx = add(mul(row, i32("D")), col);
        LoopKernel k = new LoopKernel("add_0",
                List.of(new LoopParam.BufferParam("x", DType.F32, false), new LoopParam.BufferParam("b", DType.F32, false),
                        new LoopParam.BufferParam("out0", DType.F32, true), new LoopParam.DimParam("N"),
                        new LoopParam.DimParam("D")),
                List.of(), List.of(roundUp(i32("D"), 16), roundUp(i32("N"), 8)), List.of(16, 8),
                List.of(decl(col, gid(0)),
                        decl(row, gid(1)),
                        when(and(lt(col, i32("D")), lt(row, i32("N"))),
                                store("out0", idx, add(load("x", idx, LType.F32), load("b", col, LType.F32))))));
        return new LoopProgram("add", plan, List.of(k));
    }

    /**
     * Row sums and maxima of {@code x: f32[N, D]}, one work-group of {@code wg} threads per row: each thread
     * strides over the row, then a tree reduction in local memory with a barrier per level. Threads past the
     * row's end contribute 0 and -inf, so any D works.
     */
    static LoopProgram rowReduce(int wg) {
        BufferPlan plan = new BufferPlan(List.of(buffer("x", DType.F32, N, D)),
                List.of(buffer("sum", DType.F32, N), buffer("max", DType.F32, N)), List.of(), List.of());
        Expr.Var row = i32("row");
        Expr.Var lid = i32("lid");
        Expr.Var acc = f32("acc");
        Expr.Var m = f32("m");
        Expr.Var c = i32("c");
        Expr.Var v = f32("v");
        Expr.Var s = i32("s");
        Expr.Var level = i32("level");
        int levels = Integer.numberOfTrailingZeros(wg);
        List<Stmt> body = List.of(
                decl(row, group(0)),
                decl(lid, lid(0)),
                decl(acc, flit(0)),
                decl(m, flit(Double.NEGATIVE_INFINITY)),
                loop(c, lid, i32("D"), lit(wg),
                        decl(v, load("x", add(mul(row, i32("D")), c), LType.F32)),
                        new Stmt.Assign(acc, add(acc, v)),
                        new Stmt.Assign(m, bin(LBinOp.MAX, m, v))),
                store("red", lid, acc),
                store("mx", lid, m),
                new Stmt.Barrier(),
                decl(s, lit(wg / 2)),
                loop(level, lit(0), lit(levels), lit(1),
                        when(lt(lid, s),
                                store("red", lid, add(load("red", lid, LType.F32), load("red", add(lid, s), LType.F32))),
                                store("mx", lid, bin(LBinOp.MAX, load("mx", lid, LType.F32),
                                        load("mx", add(lid, s), LType.F32)))),
                        new Stmt.Barrier(),
                        new Stmt.Assign(s, bin(LBinOp.DIV, s, lit(2)))),
                when(bin(LBinOp.EQ, lid, lit(0)),
                        store("sum", row, load("red", lit(0), LType.F32)),
                        store("max", row, load("mx", lit(0), LType.F32))));
        LoopKernel k = new LoopKernel("rows_0",
                List.of(new LoopParam.BufferParam("x", DType.F32, false), new LoopParam.BufferParam("sum", DType.F32, true),
                        new LoopParam.BufferParam("max", DType.F32, true), new LoopParam.DimParam("N"),
                        new LoopParam.DimParam("D")),
                List.of(new LocalArray("red", LType.F32, wg), new LocalArray("mx", LType.F32, wg)),
                List.of(mul(i32("N"), lit(wg))), List.of(wg), body);
        return new LoopProgram("rows", plan, List.of(k));
    }
}
