package dev.tessera.runtime.opencl;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.Rounding;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LUnOp;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.loop.Stmt;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.DiscoveredDevices;
import dev.tessera.runtime.Execution;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Where C and Tessera's reference disagree (division by zero, NaN in min/max, float-to-int), the device follows the reference. */
class OpenClSemanticsTest {

    @RegisterExtension
    static final DiscoveredDevices devices = new DiscoveredDevices();

    @Test
    void integerDivisionRemainderMinAbs() {
        Device device = Pocl.firstDevice(devices.get());
        double[] a = {7, -7, 7, -7, Integer.MIN_VALUE, Integer.MIN_VALUE, 5, 0, Integer.MIN_VALUE, 123456, -1};
        double[] b = {2, 2, -2, 0, -1, 1, 0, 3, 0, -1000, Integer.MAX_VALUE};
        Expr la = load("a", i32("i"), LType.I32);
        Expr lb = load("b", i32("i"), LType.I32);
        LoopProgram p = binaryProgram("ints", DType.I32, List.of(
                bin(LBinOp.DIV, la, lb), bin(LBinOp.REM, la, lb), bin(LBinOp.MIN, la, lb), bin(LBinOp.MAX, la, lb),
                un(LUnOp.ABS, la), un(LUnOp.NEG, lb)));
        Execution run = runBinary(device, p, DType.I32, a, b);
        Pocl.assertExact(zip(a, b, (x, y) -> y == 0 ? 0 : (int) x / (int) y), run.output(0));
        Pocl.assertExact(zip(a, b, (x, y) -> y == 0 ? 0 : (int) x % (int) y), run.output(1));
        Pocl.assertExact(zip(a, b, Math::min), run.output(2));
        Pocl.assertExact(zip(a, b, Math::max), run.output(3));
        Pocl.assertExact(zip(a, b, (x, y) -> Math.abs((int) x)), run.output(4));
        Pocl.assertExact(zip(a, b, (x, y) -> -(int) y), run.output(5));
    }

    @Test
    void floatMinMaxPropagateNanAndConversionsSaturate() {
        Device device = Pocl.firstDevice(devices.get());
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        double[] x = {1, nan, 2, nan, -3, 1e20f, -1e20f, 2.9f, -2.9f, inf, 7, 5.5f, -0.5f};
        double[] y = {nan, 1, 3, nan, -4, 1, 1, 1, 1, 1, 0, 2, 3};
        Expr lx = load("a", i32("i"), LType.F32);
        Expr ly = load("b", i32("i"), LType.F32);
        LoopProgram p = binaryProgram("floats", DType.F32, List.of(
                bin(LBinOp.MAX, lx, ly), bin(LBinOp.MIN, lx, ly), conv(LType.F32, conv(LType.I32, lx)),
                bin(LBinOp.REM, lx, ly), bin(LBinOp.DIV, lx, ly), un(LUnOp.SQRT, un(LUnOp.ABS, lx)),
                new Expr.Select(lt(lx, ly), lx, ly), conv(LType.F32, conv(LType.BOOL, lx))));
        Execution run = runBinary(device, p, DType.F32, x, y);
        DoubleBinaryOperator nanMax = (u, v) -> Double.isNaN(u) || Double.isNaN(v) ? Double.NaN : Math.max(u, v);
        DoubleBinaryOperator nanMin = (u, v) -> Double.isNaN(u) || Double.isNaN(v) ? Double.NaN : Math.min(u, v);
        Pocl.assertExact(zip(x, y, nanMax), run.output(0));
        Pocl.assertExact(zip(x, y, nanMin), run.output(1));
        Pocl.assertExact(zip(x, y, (u, v) -> (float) Rounding.toI32(u)), run.output(2));
        Pocl.assertExact(zip(x, y, (u, v) -> (float) ((float) u % (float) v)), run.output(3));
        // Division and sqrt are built correctly rounded (the device offers it), so they match Java exactly.
        Pocl.assertExact(zip(x, y, (u, v) -> (float) u / (float) v), run.output(4));
        Pocl.assertExact(zip(x, y, (u, v) -> (float) Math.sqrt(Math.abs(u))), run.output(5));
        Pocl.assertExact(zip(x, y, (u, v) -> u < v ? u : v), run.output(6));
        Pocl.assertExact(zip(x, y, (u, v) -> u != 0 ? 1 : 0), run.output(7));
    }

    @Test
    void transcendentalsWithinTheirUlpBounds() {
        Device device = Pocl.firstDevice(devices.get());
        int n = 500;
        double[] x = HostTensor.random(DType.F32, new long[] {n}, 21).data();
        double[] y = HostTensor.random(DType.F32, new long[] {n}, 22).data();
        Expr lx = load("a", i32("i"), LType.F32);
        LoopProgram p = binaryProgram("math", DType.F32, List.of(un(LUnOp.EXP, lx), un(LUnOp.LOG, un(LUnOp.ABS, lx)),
                un(LUnOp.TANH, lx), un(LUnOp.RSQRT, un(LUnOp.ABS, lx)), un(LUnOp.ERF, lx)));
        Execution run = runBinary(device, p, DType.F32, x, y);
        Pocl.assertClose(zip(x, y, (u, v) -> Math.exp(u)), run.output(0), 0, 4e-7);
        Pocl.assertClose(zip(x, y, (u, v) -> Math.log(Math.abs(u))), run.output(1), 0, 4e-7);
        Pocl.assertClose(zip(x, y, (u, v) -> Math.tanh(u)), run.output(2), 0, 6e-7);
        Pocl.assertClose(zip(x, y, (u, v) -> 1 / Math.sqrt(Math.abs(u))), run.output(3), 0, 4e-7);
        // erf has no Java reference; odd symmetry and range are what can be checked here.
        for (int i = 0; i < n; i++) {
            double e = run.output(4).data()[i];
            assertTrue(Math.abs(e) < 1 && Math.signum(e) == Math.signum(x[i]), "erf(" + x[i] + ") = " + e);
        }
    }

    @Test
    void f64AndI64Arithmetic() {
        Device device = Pocl.firstDevice(devices.get());
        Expr lx = load("x", i32("i"), LType.F64);
        Expr la = conv(LType.I64, load("a", i32("i"), LType.I32));
        Expr product = bin(LBinOp.DIV, bin(LBinOp.MUL, la, la), new Expr.IntLit(1000, LType.I64));
        LoopKernel k = kernel("wide", List.of(in("x", DType.F64), in("a", DType.I32), out("y", DType.F64),
                        out("z", DType.I32), dim("N")), List.of(), List.of(roundUp(i32("N"), 64)), List.of(64),
                decl(i32("i"), gid(0)),
                when(lt(i32("i"), i32("N")),
                        store("y", i32("i"), bin(LBinOp.ADD, bin(LBinOp.MUL, lx, new Expr.FloatLit(0.1, LType.F64)),
                                bin(LBinOp.MAX, lx, new Expr.FloatLit(0.25, LType.F64)))),
                        store("z", i32("i"), conv(LType.I32, product))));
        LoopProgram p = program("wide", List.of(buffer("x", DType.F64, "N"), buffer("a", DType.I32, "N")),
                List.of(buffer("y", DType.F64, "N"), buffer("z", DType.I32, "N")), k);
        double[] x = {0.3, -1.5, 1e300, 0.1};
        double[] a = {100000, -200000, 46341, 7};
        Execution run = device.run(device.compile(p), List.of(new HostTensor(DType.F64, new long[] {4}, x),
                new HostTensor(DType.I32, new long[] {4}, a)), 1);
        Pocl.assertClose(zip(x, x, (u, v) -> u * 0.1 + Math.max(u, 0.25)), run.output(0), 0, 2.3e-16);
        Pocl.assertExact(zip(a, a, (u, v) -> (int) ((long) u * (long) u / 1000)), run.output(1));
    }

    @Test
    void everyOperatorOnEveryTypeCompiles() {
        Device device = Pocl.firstDevice(devices.get());
        List<Stmt> body = new ArrayList<>();
        List<LType> numeric = List.of(LType.I32, LType.I64, LType.F32, LType.F64);
        int n = 0;
        for (LType t : numeric) {
            Expr.Var x = var("x_" + t.irName(), t);
            Expr.Var y = var("y_" + t.irName(), t);
            body.add(decl(x, conv(t, gid(0))));
            body.add(decl(y, conv(t, add(gid(0), lit(1)))));
            for (LBinOp op : LBinOp.values()) {
                if (op != LBinOp.AND && op != LBinOp.OR) {
                    body.add(decl(var("t" + n++, op.isComparison() ? LType.BOOL : t), bin(op, x, y)));
                }
            }
            for (LUnOp op : LUnOp.values()) {
                if (op != LUnOp.NOT && (t.isFloat() || op == LUnOp.NEG || op == LUnOp.ABS)) {
                    body.add(decl(var("t" + n++, t), un(op, x)));
                }
            }
        }
        Expr.Var flag = var("flag", LType.BOOL);
        body.add(decl(flag, lt(gid(0), lit(3))));
        body.add(decl(var("t" + n++, LType.BOOL), bin(LBinOp.AND, flag, un(LUnOp.NOT, flag))));
        body.add(decl(var("t" + n++, LType.BOOL), bin(LBinOp.OR, flag, bin(LBinOp.EQ, flag, lt(gid(0), lit(2))))));
        List<LType> all = List.of(LType.BOOL, LType.I32, LType.I64, LType.F32, LType.F64);
        for (LType from : all) {
            for (LType to : all) {
                Expr source = from == LType.BOOL ? flag : var("x_" + from.irName(), from);
                body.add(decl(var("t" + n++, to), conv(to, source)));
            }
        }
        body.add(store("y", gid(0), conv(LType.F32, var("x_i32", LType.I32))));
        LoopKernel k = new LoopKernel("all_ops", List.of(out("y", DType.F32)), List.of(), List.of(lit(4)), List.of(4), body);
        LoopProgram p = program("all_ops", List.of(), List.of(buffer("y", DType.F32, 4)), k);
        Execution run = device.run(device.compile(p), List.of(), 1);
        Pocl.assertExact(new double[] {0, 1, 2, 3}, run.output(0));
    }

    /** out_j[i] = exprs_j over inputs a[N], b[N] of one dtype; output dtypes follow the expressions. */
    private static LoopProgram binaryProgram(String name, DType in, List<Expr> exprs) {
        List<dev.tessera.ir.loop.LoopParam> params = new ArrayList<>(List.of(in("a", in), in("b", in)));
        List<dev.tessera.ir.Buffer> outs = new ArrayList<>();
        List<Stmt> stores = new ArrayList<>();
        for (int j = 0; j < exprs.size(); j++) {
            DType d = exprs.get(j).type() == LType.F32 ? DType.F32 : DType.I32;
            params.add(out("o" + j, d));
            outs.add(buffer("o" + j, d, "N"));
            stores.add(store("o" + j, i32("i"), exprs.get(j)));
        }
        params.add(dim("N"));
        LoopKernel k = kernel(name, params, List.of(), List.of(roundUp(i32("N"), 64)), List.of(64),
                decl(i32("i"), gid(0)), new Stmt.If(lt(i32("i"), i32("N")), stores, List.of()));
        return program(name, List.of(buffer("a", in, "N"), buffer("b", in, "N")), outs, k);
    }

    private static Execution runBinary(Device device, LoopProgram p, DType d, double[] a, double[] b) {
        long[] shape = {a.length};
        return device.run(device.compile(p), List.of(new HostTensor(d, shape, a), new HostTensor(d, shape, b)), 1);
    }

    private static double[] zip(double[] a, double[] b, DoubleBinaryOperator f) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = f.applyAsDouble(a[i], b[i]);
        }
        return out;
    }
}
