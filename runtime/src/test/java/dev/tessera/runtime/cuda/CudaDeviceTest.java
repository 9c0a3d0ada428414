package dev.tessera.runtime.cuda;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LUnOp;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.DiscoveredDevices;
import dev.tessera.runtime.Execution;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CUDA device on a real GPU: running, caching, poisoning, timing, and Tessera's semantics where PTX's
 * differ. Every test is skipped, with the discovery's reason, where there is no CUDA GPU (as on CI).
 */
class CudaDeviceTest {

    @RegisterExtension
    static final DiscoveredDevices devices = new DiscoveredDevices();

    private static Device gpu() {
        assumeTrue(!devices.get().cuda().isEmpty(), () -> "needs a CUDA GPU, skipped: "
                + devices.get().cudaUnavailable().orElse("none found"));
        return devices.get().cuda().getFirst();
    }

    private static LoopProgram unary(String name, DType d, List<Expr> outputs) {
        List<dev.tessera.ir.Buffer> outs = new java.util.ArrayList<>();
        List<dev.tessera.ir.loop.LoopParam> params = new java.util.ArrayList<>(List.of(in("a", d), in("b", d)));
        List<dev.tessera.ir.loop.Stmt> body = new java.util.ArrayList<>();
        body.add(decl(i32("i"), gid(0)));
        for (int o = 0; o < outputs.size(); o++) {
            outs.add(buffer("r" + o, d, "N"));
            params.add(out("r" + o, d));
            body.add(when(lt(i32("i"), i32("N")), store("r" + o, i32("i"), outputs.get(o))));
        }
        params.add(dim("N"));
        return program(name, List.of(buffer("a", d, "N"), buffer("b", d, "N")), outs,
                kernel(name, params, List.of(), List.of(roundUp(i32("N"), 64)), List.of(64),
                        body.toArray(dev.tessera.ir.loop.Stmt[]::new)));
    }

    private static Execution run(Device device, LoopProgram p, DType d, double[] a, double[] b) {
        long[] shape = {a.length};
        return device.run(device.compile(p), List.of(new HostTensor(d, shape, a), new HostTensor(d, shape, b)), 1);
    }

    @Test
    void copyRunsCachesAndTimes() {
        Device device = gpu();
        LoopProgram p = unary("copy", DType.F32, List.of(load("a", i32("i"), LType.F32)));
        CompiledProgram c = device.compile(p);
        assertSame(c, device.compile(p));
        assertTrue(c.source().contains(".visible .entry tsr_copy("), c.source());
        double[] a = {1, 2, 3, 4.5, -7};
        Execution e = device.run(c, List.of(new HostTensor(DType.F32, new long[] {5}, a),
                new HostTensor(DType.F32, new long[] {5}, a)), 3);
        assertArrayEquals(a, e.output(0).data());
        assertEquals(3, e.deviceTimesNs().size());
        assertTrue(e.minTimeNs() > 0, e.deviceTimesNs().toString());
    }

    @Test
    void unwrittenElementsShowThePoison() {
        Device device = gpu();
        // Writes only even elements; odd ones keep the 0xFF poison, which reads as NaN.
        LoopProgram p = program("half", List.of(buffer("a", DType.F32, "N"), buffer("b", DType.F32, "N")),
                List.of(buffer("r", DType.F32, "N")), kernel("half", List.of(in("a", DType.F32), in("b", DType.F32),
                        out("r", DType.F32), dim("N")), List.of(), List.of(roundUp(i32("N"), 64)), List.of(64),
                        decl(i32("i"), gid(0)),
                        when(and(lt(i32("i"), i32("N")), bin(LBinOp.EQ, bin(LBinOp.REM, i32("i"), lit(2)), lit(0))),
                                store("r", i32("i"), flit(1)))));
        Execution e = run(device, p, DType.F32, new double[4], new double[4]);
        assertEquals(1, e.output(0).data()[0]);
        assertTrue(Double.isNaN(e.output(0).data()[1]));
    }

    @Test
    void integerSemanticsFollowTheReference() {
        Device device = gpu();
        double[] a = {7, -7, 7, -7, Integer.MIN_VALUE, Integer.MIN_VALUE, 5, 0, Integer.MIN_VALUE, 123456, -1};
        double[] b = {2, 2, -2, 0, -1, 1, 0, 3, 0, -1000, Integer.MAX_VALUE};
        Expr la = load("a", i32("i"), LType.I32);
        Expr lb = load("b", i32("i"), LType.I32);
        Execution e = run(device, unary("ints", DType.I32, List.of(bin(LBinOp.DIV, la, lb), bin(LBinOp.REM, la, lb),
                bin(LBinOp.MIN, la, lb), un(LUnOp.ABS, la), un(LUnOp.NEG, lb))), DType.I32, a, b);
        assertExact(zip(a, b, (x, y) -> y == 0 ? 0 : (int) x / (int) y), e.output(0));
        assertExact(zip(a, b, (x, y) -> y == 0 ? 0 : (int) x % (int) y), e.output(1));
        assertExact(zip(a, b, Math::min), e.output(2));
        assertExact(zip(a, b, (x, y) -> Math.abs((int) x)), e.output(3));
        assertExact(zip(a, b, (x, y) -> -(int) y), e.output(4));
    }

    @Test
    void floatSemanticsFollowTheReference() {
        Device device = gpu();
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        double[] x = {1, nan, 2, nan, -3, 1e20f, -1e20f, 2.9f, -2.9f, inf, 7, 5.5f, -0.5f, 1e-40f};
        double[] y = {nan, 1, 3, nan, -4, 1, 1, 1, 1, 1, 0, 2, 3, 3e-41f};
        Expr lx = load("a", i32("i"), LType.F32);
        Expr ly = load("b", i32("i"), LType.F32);
        Execution e = run(device, unary("floats", DType.F32, List.of(bin(LBinOp.MAX, lx, ly), bin(LBinOp.MIN, lx, ly),
                conv(LType.F32, conv(LType.I32, lx)), bin(LBinOp.REM, lx, ly), bin(LBinOp.DIV, lx, ly),
                un(LUnOp.SQRT, un(LUnOp.ABS, lx)), conv(LType.F32, conv(LType.BOOL, lx)))), DType.F32, x, y);
        DoubleBinaryOperator nanMax = (u, v) -> Double.isNaN(u) || Double.isNaN(v) ? Double.NaN : Math.max(u, v);
        DoubleBinaryOperator nanMin = (u, v) -> Double.isNaN(u) || Double.isNaN(v) ? Double.NaN : Math.min(u, v);
        assertExact(zip(x, y, nanMax), e.output(0));
        assertExact(zip(x, y, nanMin), e.output(1));
        assertExact(zip(x, y, (u, v) -> (float) (Double.isNaN(u) ? 0 : (int) u)), e.output(2));
        assertExact(zip(x, y, (u, v) -> (float) ((float) u % (float) v)), e.output(3));
        assertExact(zip(x, y, (u, v) -> (float) ((float) u / (float) v)), e.output(4));
        assertExact(zip(x, y, (u, v) -> (float) Math.sqrt(Math.abs((float) u))), e.output(5));
        assertExact(zip(x, y, (u, v) -> u != 0 ? 1 : 0), e.output(6));
    }

    @Test
    void mathFunctionsAreWithinTheirDocumentedBounds() {
        Device device = gpu();
        int n = 20001;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -30 + 60.0 * i / (n - 1);
        }
        Expr lx = load("a", i32("i"), LType.F32);
        Execution e = run(device, unary("math", DType.F32, List.of(un(LUnOp.EXP, lx), un(LUnOp.TANH, lx),
                un(LUnOp.ERF, lx), un(LUnOp.LOG, un(LUnOp.ABS, lx)))), DType.F32, x, x);
        assertWithinUlp(x, StrictMath::exp, e.output(0), 4);
        assertWithinUlp(x, StrictMath::tanh, e.output(1), 4);
        assertWithinUlp(x, dev.tessera.ir.interp.Erf::erf, e.output(2), 6);
        assertWithinUlp(x, v -> StrictMath.log(Math.abs(v)), e.output(3), 3);
    }

    private static void assertWithinUlp(double[] x, DoubleUnaryOperator f, HostTensor got, double ulps) {
        for (int i = 0; i < x.length; i++) {
            double want = f.applyAsDouble((float) x[i]);
            double g = got.data()[i];
            if (Double.isNaN(want) || Double.isInfinite((float) want)) {
                assertEquals((float) want, (float) g, "at " + x[i]);
                continue;
            }
            assertTrue(Math.abs(g - want) <= ulps * Math.ulp((float) want), "at " + x[i] + ": want " + want + ", got " + g);
        }
    }

    private static double[] zip(double[] a, double[] b, DoubleBinaryOperator f) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = f.applyAsDouble(a[i], b[i]);
        }
        return r;
    }

    private static void assertExact(double[] want, HostTensor got) {
        assertEquals(want.length, got.size(), "element count");
        for (int i = 0; i < want.length; i++) {
            double g = got.data()[i];
            boolean same = Double.isNaN(want[i]) ? Double.isNaN(g)
                    : Double.doubleToRawLongBits(want[i]) == Double.doubleToRawLongBits(g);
            assertTrue(same, "element " + i + ": want " + want[i] + ", got " + g);
        }
    }

}
