package dev.tessera.runtime.opencl;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.Rounding;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LUnOp;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.DiscoveredDevices;
import dev.tessera.runtime.Execution;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** f16, bf16 and bool go through device memory in their storage forms, rounding exactly as the reference. */
class OpenClStorageTest {

    @RegisterExtension
    static final DiscoveredDevices devices = new DiscoveredDevices();

    /** f32 values that probe rounding to f16 and bf16: ties, overflow, subnormals, signed zero, specials. */
    private static final float[] PROBES = {
        1f + 0x1p-11f, 1f + 3 * 0x1p-11f, 1f + 0x1p-8f, 1f + 3 * 0x1p-8f, -(1f + 0x1p-11f), 1f + 0x1p-11f + 0x1p-20f,
        65504f, 65519f, 65520f, -65520f, 1e-7f, 0x1p-24f, 0x1p-25f, 0x1.8p-25f, 0x1p-14f, 0x1.ff8p-15f,
        0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, Float.MIN_VALUE,
        3.14159265f, -2.71828f, 1e30f, 0x1.fffffep+127f, 0x1.00ff8p0f, 0x1.01p0f
    };

    @Test
    void halfBf16AndBoolRoundTrip() {
        Device device = Pocl.firstDevice(devices.get());
        Expr.Var i = i32("i");
        Expr src = load("src", i, LType.F32);
        LoopKernel k = kernel("storage", List.of(in("src", DType.F32), in("h", DType.F16), in("bf", DType.BF16),
                        in("m", DType.BOOL), out("h_out", DType.F16), out("bf_out", DType.BF16), out("h_wide", DType.F32),
                        out("bf_wide", DType.F32), out("m_not", DType.BOOL), out("m_f", DType.F32), dim("N")),
                List.of(), List.of(roundUp(i32("N"), 64)), List.of(64),
                decl(i, gid(0)),
                when(lt(i, i32("N")),
                        store("h_out", i, src),
                        store("bf_out", i, src),
                        store("h_wide", i, load("h", i, LType.F32)),
                        store("bf_wide", i, load("bf", i, LType.F32)),
                        store("m_not", i, un(LUnOp.NOT, load("m", i, LType.BOOL))),
                        store("m_f", i, conv(LType.F32, load("m", i, LType.BOOL)))));
        List<dev.tessera.ir.Buffer> outs = List.of(buffer("h_out", DType.F16, "N"), buffer("bf_out", DType.BF16, "N"),
                buffer("h_wide", DType.F32, "N"), buffer("bf_wide", DType.F32, "N"), buffer("m_not", DType.BOOL, "N"),
                buffer("m_f", DType.F32, "N"));
        LoopProgram p = program("storage", List.of(buffer("src", DType.F32, "N"), buffer("h", DType.F16, "N"),
                buffer("bf", DType.BF16, "N"), buffer("m", DType.BOOL, "N")), outs, k);

        int n = 301;
        double[] src32 = HostTensor.random(DType.F32, new long[] {n}, 11).data();
        for (int j = 0; j < PROBES.length; j++) {
            src32[j] = PROBES[j];
        }
        double[] h = HostTensor.random(DType.F16, new long[] {n}, 12).data();
        double[] halfSpecials = {65504, -65504, 0x1p-24, -0x1p-24, 0x1p-14, -0.0, Double.POSITIVE_INFINITY, Double.NaN};
        System.arraycopy(halfSpecials, 0, h, 0, halfSpecials.length);
        double[] bf = HostTensor.random(DType.BF16, new long[] {n}, 13).data();
        double[] bfSpecials = {Rounding.round(DType.BF16, 3e38), 0x1p-133, -0.0, Double.NEGATIVE_INFINITY, Double.NaN};
        System.arraycopy(bfSpecials, 0, bf, 0, bfSpecials.length);
        HostTensor m = HostTensor.random(DType.BOOL, new long[] {n}, 14);

        Execution run = device.run(device.compile(p), List.of(new HostTensor(DType.F32, new long[] {n}, src32),
                new HostTensor(DType.F16, new long[] {n}, h), new HostTensor(DType.BF16, new long[] {n}, bf), m), 1);

        Pocl.assertExact(map(src32, v -> Rounding.round(DType.F16, v)), run.output(0));
        Pocl.assertExact(map(src32, v -> Rounding.round(DType.BF16, v)), run.output(1));
        Pocl.assertExact(h, run.output(2));
        Pocl.assertExact(bf, run.output(3));
        Pocl.assertExact(map(m.data(), v -> v == 0 ? 1 : 0), run.output(4));
        Pocl.assertExact(m.data(), run.output(5));
    }

    @Test
    void bf16NanStaysQuietNan() {
        Device device = Pocl.firstDevice(devices.get());
        LoopProgram p = program("nan_bits", List.of(buffer("src", DType.F32, "N")), List.of(buffer("y", DType.BF16, "N")),
                elementwise("nan_bits", List.of(in("src", DType.F32), out("y", DType.BF16), dim("N")), "y",
                        load("src", i32("i"), LType.F32)));
        // A signalling NaN whose payload lives only in the low bits: truncation alone would make it infinity.
        double snan = Float.intBitsToFloat(0x7F800001);
        Execution run = device.run(device.compile(p), List.of(new HostTensor(DType.F32, new long[] {1}, new double[] {snan})), 1);
        assertTrue(Double.isNaN(run.output(0).data()[0]));
    }

    @Test
    void unwrittenElementsShowThePoison() {
        Device device = Pocl.firstDevice(devices.get());
        // Writes only the first half of each output; the rest must read as poison, not as zeros.
        Expr.Var i = i32("i");
        Expr half = div(i32("N"), lit(2));
        LoopKernel k = kernel("half", List.of(out("f", DType.F32), out("n", DType.I32), out("b", DType.BOOL),
                        out("h", DType.F16), in("x", DType.F32), dim("N")), List.of(),
                List.of(roundUp(i32("N"), 64)), List.of(64),
                decl(i, gid(0)),
                when(lt(i, half), store("f", i, flit(1)), store("n", i, lit(1)), store("b", i, new Expr.BoolLit(true)),
                        store("h", i, flit(1))));
        LoopProgram p = program("half", List.of(buffer("x", DType.F32, "N")), List.of(buffer("f", DType.F32, "N"),
                buffer("n", DType.I32, "N"), buffer("b", DType.BOOL, "N"), buffer("h", DType.F16, "N")), k);
        int n = 10;
        Execution run = device.run(device.compile(p), List.of(HostTensor.random(DType.F32, new long[] {n}, 1)), 2);
        for (int j = 0; j < n; j++) {
            boolean written = j < n / 2;
            assertEquals(written ? 1.0 : Double.NaN, run.output(0).data()[j], "f32 " + j);
            assertEquals(written ? 1.0 : -1.0, run.output(1).data()[j], "i32 " + j);
            assertEquals(written ? 1.0 : Double.NaN, run.output(2).data()[j], "bool " + j);
            assertEquals(written ? 1.0 : Double.NaN, run.output(3).data()[j], "f16 " + j);
        }
    }

    private static double[] map(double[] xs, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = f.applyAsDouble(xs[i]);
        }
        return out;
    }
}
