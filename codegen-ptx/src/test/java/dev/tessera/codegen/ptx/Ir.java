package dev.tessera.codegen.ptx;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.Shape;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import java.util.List;

/** Short constructors for hand-built loop IR in the emitter tests. */
final class Ir {

    private Ir() {}

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

    static Expr gid(int d) {
        return new Expr.Special(SpecialReg.GLOBAL_ID, d);
    }

    static Expr load(String array, Expr index, LType t) {
        return new Expr.Load(array, index, t);
    }

    static LoopParam.BufferParam in(String name, DType d) {
        return new LoopParam.BufferParam(name, d, false);
    }

    static LoopParam.BufferParam out(String name, DType d) {
        return new LoopParam.BufferParam(name, d, true);
    }

    static Buffer buffer(String name, DType d, Dim... dims) {
        return new Buffer(name, new TensorType(d, Shape.of(dims)));
    }

    /** ceil(n / l) * l: a grid covering n work-items in whole groups of l. */
    static Expr roundUp(Expr n, int l) {
        return bin(LBinOp.MUL, bin(LBinOp.DIV, bin(LBinOp.ADD, n, lit(l - 1)), lit(l)), lit(l));
    }

    /** One 1-D kernel of groups of 64 over N, storing {@code value} into out[i] where i < N. */
    static LoopProgram elementwise(String name, List<LoopParam> params, String out, Expr value) {
        Expr.Var i = i32("i");
        List<Stmt> body = List.of(
                new Stmt.Decl(i, gid(0)),
                new Stmt.If(bin(LBinOp.LT, i, i32("N")), List.of(new Stmt.Store(out, i, value)), List.of()));
        LoopKernel k = new LoopKernel(name, params, List.of(), List.of(roundUp(i32("N"), 64)), List.of(64), body);
        return program(name, k);
    }

    static LoopProgram program(String name, LoopKernel... kernels) {
        return new LoopProgram(name, new BufferPlan(List.of(), List.of(), List.of(), List.of()), List.of(kernels));
    }
}
