package dev.tessera.ir.loop;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.Shape;
import dev.tessera.ir.TensorType;
import java.util.List;

/** Loop programs built by hand, with a few terse constructors, for the text, verifier and interpreter tests. */
final class LoopFixtures {

    private LoopFixtures() {}

    static final Dim N = new Dim.Sym("N");
    static final Dim D = new Dim.Sym("D");

    static Buffer buf(String name, DType dtype, Dim... dims) {
        return new Buffer(name, new TensorType(dtype, Shape.of(dims)));
    }

    static Expr.Var i32(String name) {
        return new Expr.Var(name, LType.I32);
    }

    static Expr.Var f32(String name) {
        return new Expr.Var(name, LType.F32);
    }

    static Expr.IntLit lit(long v) {
        return new Expr.IntLit(v, LType.I32);
    }

    static Expr.FloatLit flit(double v) {
        return new Expr.FloatLit(v, LType.F32);
    }

    static Expr bin(LBinOp op, Expr a, Expr b) {
        return new Expr.Bin(op, a, b);
    }

    static Expr add(Expr a, Expr b) {
        return bin(LBinOp.ADD, a, b);
    }

    static Expr mul(Expr a, Expr b) {
        return bin(LBinOp.MUL, a, b);
    }

    static Expr lt(Expr a, Expr b) {
        return bin(LBinOp.LT, a, b);
    }

    static Expr and(Expr a, Expr b) {
        return bin(LBinOp.AND, a, b);
    }

    static Expr special(SpecialReg r, int d) {
        return new Expr.Special(r, d);
    }

    static Expr.Load load(String array, Expr index, LType t) {
        return new Expr.Load(array, index, t);
    }

    static Stmt decl(Expr.Var v, Expr init) {
        return new Stmt.Decl(v, init);
    }

    static Stmt store(String array, Expr index, Expr value) {
        return new Stmt.Store(array, index, value);
    }

    static Stmt when(Expr cond, Stmt... then) {
        return new Stmt.If(cond, List.of(then), List.of());
    }

    static Stmt loop(Expr.Var v, Expr lo, Expr hi, Expr step, Stmt... body) {
        return new Stmt.For(v, lo, hi, step, List.of(body));
    }

    /** {@code (n + m - 1) / m * m}: the launch size covering n in groups of m. */
    static Expr roundUp(Expr n, int m) {
        return mul(bin(LBinOp.DIV, add(n, lit(m - 1)), lit(m)), lit(m));
    }

    /** {@code out0[r, c] = x[r, c] + b[0, c]} on a 2-D grid of 16 x 8 work-groups, masked at both edges. */
    static LoopProgram broadcastAdd() {
        BufferPlan plan = new BufferPlan(List.of(buf("x", DType.F32, N, D), buf("b", DType.F32, new Dim.Lit(1), D)),
                List.of(buf("out0", DType.F32, N, D)), List.of(), List.of());
        Expr.Var col = i32("col");
        Expr.Var row = i32("row");
        Expr idx = add(mul(row, i32("D")), col);
        LoopKernel k = new LoopKernel("add_0",
                List.of(new LoopParam.BufferParam("x", DType.F32, false), new LoopParam.BufferParam("b", DType.F32, false),
                        new LoopParam.BufferParam("out0", DType.F32, true), new LoopParam.DimParam("N"),
                        new LoopParam.DimParam("D")),
                List.of(), List.of(roundUp(i32("D"), 16), roundUp(i32("N"), 8)), List.of(16, 8),
                List.of(decl(col, special(SpecialReg.GLOBAL_ID, 0)),
                        decl(row, special(SpecialReg.GLOBAL_ID, 1)),
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
        BufferPlan plan = new BufferPlan(List.of(buf("x", DType.F32, N, D)),
                List.of(buf("sum", DType.F32, N), buf("max", DType.F32, N)), List.of(), List.of());
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
                decl(row, special(SpecialReg.GROUP_ID, 0)),
                decl(lid, special(SpecialReg.LOCAL_ID, 0)),
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
