package dev.tessera.runtime.opencl;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.DiscoveredDevices;
import dev.tessera.runtime.Execution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hand-built loop-IR kernels run on the OpenCL device and compared with plain Java. */
class OpenClKernelsTest {

    @RegisterExtension
    static final DiscoveredDevices devices = new DiscoveredDevices();

    @Test
    void axpyOverAMaskedGrid() {
        Device device = Pocl.firstDevice(devices.get());
        LoopKernel k = elementwise("axpy", List.of(in("alpha", DType.F32), in("x", DType.F32), in("y", DType.F32),
                out("out", DType.F32), dim("N")), "out",
                add(mul(load("alpha", lit(0), LType.F32), load("x", i32("i"), LType.F32)), load("y", i32("i"), LType.F32)));
        LoopProgram p = program("axpy",
                List.of(buffer("alpha", DType.F32), buffer("x", DType.F32, "N"), buffer("y", DType.F32, "N")),
                List.of(buffer("out", DType.F32, "N")), k);
        int n = 1000;
        HostTensor alpha = new HostTensor(DType.F32, new long[0], new double[] {(float) 1.75});
        HostTensor x = HostTensor.random(DType.F32, new long[] {n}, 1);
        HostTensor y = HostTensor.random(DType.F32, new long[] {n}, 2);

        Execution run = device.run(device.compile(p), List.of(alpha, x, y), 3);

        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            want[i] = 1.75 * x.data()[i] + y.data()[i];
        }
        // Against the exact result: rounding the product (|a * x| < 1.75) and the sum costs at most about
        // 1.2e-7, and OpenCL C may contract a * x + y into an fma that skips the first rounding.
        Pocl.assertClose(want, run.output(0), 1.5e-7, 0);
        assertEquals(Map.of("N", 1000L), run.dims());
        assertEquals(3, run.deviceTimesNs().size());
        assertTrue(run.deviceTimesNs().stream().allMatch(t -> t > 0), run.deviceTimesNs().toString());
    }

    @Test
    void rowSumsWithLocalMemoryTreeReduction() {
        Device device = Pocl.firstDevice(devices.get());
        Expr.Var row = i32("row");
        Expr.Var t = i32("t");
        Expr.Var acc = f32("acc");
        Expr.Var c = i32("c");
        List<dev.tessera.ir.loop.Stmt> body = new java.util.ArrayList<>(List.of(
                decl(row, group(0)),
                decl(t, lid(0)),
                decl(acc, flit(0)),
                loop(c, t, i32("C"), lit(64), assign(acc, add(acc, load("x", add(mul(row, i32("C")), c), LType.F32)))),
                store("partial", t, acc),
                barrier()));
        for (int stride = 32; stride >= 1; stride /= 2) {
            body.add(when(lt(t, lit(stride)), store("partial", t,
                    add(load("partial", t, LType.F32), load("partial", add(t, lit(stride)), LType.F32)))));
            body.add(barrier());
        }
        body.add(when(bin(dev.tessera.ir.loop.LBinOp.EQ, t, lit(0)), store("sums", row, load("partial", lit(0), LType.F32))));
        LoopKernel k = new LoopKernel("row_sum", List.of(in("x", DType.F32), out("sums", DType.F32), dim("R"), dim("C")),
                List.of(local("partial", LType.F32, 64)), List.of(mul(i32("R"), lit(64))), List.of(64), body);
        LoopProgram p = program("row_sum", List.of(buffer("x", DType.F32, "R", "C")), List.of(buffer("sums", DType.F32, "R")), k);
        int rows = 7;
        int cols = 777;
        HostTensor x = HostTensor.random(DType.F32, new long[] {rows, cols}, 3);

        Execution run = device.run(device.compile(p), List.of(x), 1);

        double[] want = new double[rows];
        double[] scale = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                want[r] += x.data()[r * cols + col];
                scale[r] += Math.abs(x.data()[r * cols + col]);
            }
        }
        for (int r = 0; r < rows; r++) {
            double got = run.output(0).data()[r];
            assertEquals(want[r], got, 1e-6 * scale[r], "row " + r);
        }
        assertEquals(Map.of("R", 7L, "C", 777L), run.dims());
    }

    @Test
    void transposeOnATwoDimensionalGrid() {
        Device device = Pocl.firstDevice(devices.get());
        Expr.Var col = i32("col");
        Expr.Var row = i32("row");
        LoopKernel k = kernel("transpose", List.of(in("x", DType.F32), out("y", DType.F32), dim("R"), dim("C")), List.of(),
                List.of(roundUp(i32("C"), 16), roundUp(i32("R"), 8)), List.of(16, 8),
                decl(col, gid(0)),
                decl(row, gid(1)),
                when(and(lt(row, i32("R")), lt(col, i32("C"))),
                        store("y", add(mul(col, i32("R")), row), load("x", add(mul(row, i32("C")), col), LType.F32))));
        LoopProgram p = program("transpose", List.of(buffer("x", DType.F32, "R", "C")),
                List.of(buffer("y", DType.F32, "C", "R")), k);
        int rows = 37;
        int cols = 53;
        HostTensor x = HostTensor.random(DType.F32, new long[] {rows, cols}, 4);

        Execution run = device.run(device.compile(p), List.of(x), 1);

        double[] want = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                want[c * rows + r] = x.data()[r * cols + c];
            }
        }
        Pocl.assertExact(want, run.output(0));
        assertArrayEquals(new long[] {cols, rows}, run.output(0).shape());
    }

    @Test
    void kernelsRunInOrderThroughTempsAndViews() {
        Device device = Pocl.firstDevice(devices.get());
        // x[4, 6] is read through a flat view; kernel 1 writes temp t[24], kernel 2 reads it through a 2-D view.
        LoopKernel scale = kernel("scale", List.of(in("xf", DType.F32), out("t", DType.F32)), List.of(),
                List.of(lit(32)), List.of(32),
                when(lt(gid(0), lit(24)), store("t", gid(0), mul(load("xf", gid(0), LType.F32), flit(2)))));
        LoopKernel shift = kernel("shift", List.of(in("t2", DType.F32), out("y", DType.F32)), List.of(),
                List.of(lit(32)), List.of(32),
                when(lt(gid(0), lit(24)), store("y", gid(0), add(load("t2", gid(0), LType.F32), flit(1)))));
        BufferPlan plan = new BufferPlan(List.of(buffer("x", DType.F32, 4, 6)), List.of(buffer("y", DType.F32, 24)),
                List.of(buffer("t", DType.F32, 24)),
                List.of(new BufferPlan.View(buffer("xf", DType.F32, 24), "x"),
                        new BufferPlan.View(buffer("t2", DType.F32, 4, 6), "t")));
        LoopProgram p = program("two_step", plan, scale, shift);
        HostTensor x = HostTensor.random(DType.F32, new long[] {4, 6}, 5);

        CompiledProgram compiled = device.compile(p);
        Execution run = device.run(compiled, List.of(x), 2);

        double[] want = new double[24];
        for (int i = 0; i < 24; i++) {
            want[i] = (float) (x.data()[i] * 2) + 1f;
        }
        Pocl.assertExact(want, run.output(0));
        assertEquals(2, run.deviceTimesNs().size());
        assertTrue(compiled.source().contains("void tsr_scale(") && compiled.source().contains("void tsr_shift("));
    }
}
