package dev.tessera.ir.loop;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.Shape;
import dev.tessera.ir.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * Short static constructors for hand-written loop IR, shared by the tests of every module that builds loop
 * programs by hand (ir's own, the emitters', the runtime's) through ir's test-jar.
 */
public final class LoopIr {

    private LoopIr() {}

    public static Expr.Var i32(String name) {
        return new Expr.Var(name, LType.I32);
    }

    public static Expr.Var f32(String name) {
        return new Expr.Var(name, LType.F32);
    }

    public static Expr.Var var(String name, LType t) {
        return new Expr.Var(name, t);
    }

    public static Expr.IntLit lit(long v) {
        return new Expr.IntLit(v, LType.I32);
    }

    public static Expr.FloatLit flit(double v) {
        return new Expr.FloatLit(v, LType.F32);
    }

    public static Expr bin(LBinOp op, Expr a, Expr b) {
        return new Expr.Bin(op, a, b);
    }

    public static Expr add(Expr a, Expr b) {
        return bin(LBinOp.ADD, a, b);
    }

    public static Expr sub(Expr a, Expr b) {
        return bin(LBinOp.SUB, a, b);
    }

    public static Expr mul(Expr a, Expr b) {
        return bin(LBinOp.MUL, a, b);
    }

    public static Expr div(Expr a, Expr b) {
        return bin(LBinOp.DIV, a, b);
    }

    public static Expr lt(Expr a, Expr b) {
        return bin(LBinOp.LT, a, b);
    }

    public static Expr and(Expr a, Expr b) {
        return bin(LBinOp.AND, a, b);
    }

    public static Expr un(LUnOp op, Expr x) {
        return new Expr.Un(op, x);
    }

    public static Expr conv(LType to, Expr x) {
        return new Expr.Conv(to, x);
    }

    public static Expr gid(int d) {
        return new Expr.Special(SpecialReg.GLOBAL_ID, d);
    }

    public static Expr lid(int d) {
        return new Expr.Special(SpecialReg.LOCAL_ID, d);
    }

    public static Expr group(int d) {
        return new Expr.Special(SpecialReg.GROUP_ID, d);
    }

    public static Expr.Load load(String array, Expr index, LType t) {
        return new Expr.Load(array, index, t);
    }

    public static Stmt decl(Expr.Var v, Expr init) {
        return new Stmt.Decl(v, init);
    }

    public static Stmt assign(Expr.Var v, Expr value) {
        return new Stmt.Assign(v, value);
    }

    public static Stmt store(String array, Expr index, Expr value) {
        return new Stmt.Store(array, index, value);
    }

    public static Stmt loop(Expr.Var v, Expr lo, Expr hi, Expr step, Stmt... body) {
        return new Stmt.For(v, lo, hi, step, List.of(body));
    }

    public static Stmt when(Expr cond, Stmt... then) {
        return new Stmt.If(cond, List.of(then), List.of());
    }

    public static Stmt barrier() {
        return new Stmt.Barrier();
    }

    public static LoopParam.BufferParam in(String name, DType d) {
        return new LoopParam.BufferParam(name, d, false);
    }

    public static LoopParam.BufferParam out(String name, DType d) {
        return new LoopParam.BufferParam(name, d, true);
    }

    public static LoopParam.DimParam dim(String name) {
        return new LoopParam.DimParam(name);
    }

    public static LocalArray local(String name, LType t, int length) {
        return new LocalArray(name, t, length);
    }

    /** A buffer whose dims are given as {@link Dim}s, numbers (literal) or strings (symbolic). */
    public static Buffer buffer(String name, DType d, Object... dims) {
        Dim[] ds = Arrays.stream(dims).map(x -> switch (x) {
            case Dim dim -> dim;
            case String s -> Dim.of(s);
            default -> Dim.of(((Number) x).longValue());
        }).toArray(Dim[]::new);
        return new Buffer(name, new TensorType(d, Shape.of(ds)));
    }

    /** ceil(n / l) * l, the usual masked grid. */
    public static Expr roundUp(Expr n, int l) {
        return mul(div(add(n, lit(l - 1)), lit(l)), lit(l));
    }

    public static LoopKernel kernel(String name, List<LoopParam> params, List<LocalArray> locals, List<Expr> global,
            List<Integer> local, Stmt... body) {
        return new LoopKernel(name, params, locals, global, local, List.of(body));
    }

    /**
     * A 1-D elementwise kernel over dim N in groups of 64: {@code out[i] = value} for i < N, with
     * {@code i} bound to the global id.
     */
    public static LoopKernel elementwise(String name, List<LoopParam> params, String out, Expr value) {
        Expr.Var i = i32("i");
        return kernel(name, params, List.of(), List.of(roundUp(i32("N"), 64)), List.of(64),
                decl(i, gid(0)), when(lt(i, i32("N")), store(out, i, value)));
    }

    /** A program with an empty buffer plan, for tests of the code emitted for its kernels. */
    public static LoopProgram program(String name, LoopKernel... kernels) {
        return program(name, new BufferPlan(List.of(), List.of(), List.of(), List.of()), kernels);
    }

    public static LoopProgram program(String name, List<Buffer> inputs, List<Buffer> outputs, LoopKernel... kernels) {
        return new LoopProgram(name, new BufferPlan(inputs, outputs, List.of(), List.of()), List.of(kernels));
    }

    public static LoopProgram program(String name, BufferPlan plan, LoopKernel... kernels) {
        return new LoopProgram(name, plan, List.of(kernels));
    }
}
