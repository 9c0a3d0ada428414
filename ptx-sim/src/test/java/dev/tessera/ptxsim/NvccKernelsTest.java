package dev.tessera.ptxsim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real-world PTX: CUDA C kernels compiled by nvcc when the test runs, executed by the interpreter and
 * compared with Java. Skipped (with the reason) where nvcc is not installed.
 */
class NvccKernelsTest {

    private static final String[] SOURCES = {"axpy", "row_softmax", "tiled_matmul", "warp_reduce", "math_kernels", "idioms"};
    private static Path dir;
    private static String skipReason;

    @BeforeAll
    static void compile() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("ptxsim-nvcc");
        List<String> cmd = new ArrayList<>(List.of("nvcc", "-ptx", "-arch=sm_80", "-odir", dir.toString()));
        for (String s : SOURCES) {
            Path cu = dir.resolve(s + ".cu");
            Files.writeString(cu, Eval.resource("cuda/" + s + ".cu"));
            cmd.add(cu.toString());
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            skipReason = "nvcc is not on the PATH (" + e.getMessage() + ")";
            return;
        }
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("nvcc failed:\n" + log);
        }
    }

    private static PtxModule module(String name) throws IOException {
        assumeTrue(skipReason == null, skipReason);
        return PtxModule.parse(Files.readString(dir.resolve(name + ".ptx")));
    }

    private static float[] gaussian(int n, long seed, double scale) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * scale);
        }
        return x;
    }

    @Test
    void axpy() throws IOException {
        int n = 1000;
        float a = 1.7f;
        float[] x = gaussian(n, 1, 1);
        float[] y = gaussian(n, 2, 1);
        DeviceMemory mem = new DeviceMemory();
        long px = mem.allocFloats(x);
        long py = mem.allocFloats(y);
        module("axpy").launch("axpy", new int[] {(n + 127) / 128}, new int[] {128}, List.of(n, a, px, py), mem);
        float[] out = mem.readFloats(py, n);
        for (int i = 0; i < n; i++) {
            assertEquals(a * x[i] + y[i], out[i], 1e-6f * (1 + Math.abs(out[i])), "y[" + i + "]");
        }
    }

    @Test
    void rowSoftmaxWithSharedMemory() throws IOException {
        int rows = 6;
        int cols = 150;
        float[] x = gaussian(rows * cols, 3, 3);
        DeviceMemory mem = new DeviceMemory();
        long px = mem.allocFloats(x);
        long py = mem.alloc(4L * x.length);
        module("row_softmax").launch("row_softmax", new int[] {rows}, new int[] {64}, List.of(px, py, cols), mem);
        float[] y = mem.readFloats(py, x.length);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[r * cols + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(x[r * cols + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                double e = Math.exp(x[r * cols + c] - max) / sum;
                assertEquals(e, y[r * cols + c], 1e-6 + 1e-5 * e, "y[" + r + "][" + c + "]");
            }
        }
    }

    @Test
    void tiledMatmulWithSyncthreads() throws IOException {
        int m = 37;
        int n = 29;
        int k = 45;
        float[] a = gaussian(m * k, 4, 1);
        float[] b = gaussian(k * n, 5, 1);
        DeviceMemory mem = new DeviceMemory();
        long pa = mem.allocFloats(a);
        long pb = mem.allocFloats(b);
        long pc = mem.alloc(4L * m * n);
        module("tiled_matmul").launch("tiled_matmul", new int[] {(n + 15) / 16, (m + 15) / 16}, new int[] {16, 16},
                List.of(pa, pb, pc, m, n, k), mem);
        float[] c = mem.readFloats(pc, m * n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int kk = 0; kk < k; kk++) {
                    acc += (double) a[i * k + kk] * b[kk * n + j];
                }
                assertEquals(acc, c[i * n + j], 1e-5 * (1 + Math.abs(acc)), "C[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void shflXorReduction() throws IOException {
        int n = 512;
        float[] x = gaussian(n, 6, 1);
        DeviceMemory mem = new DeviceMemory();
        long px = mem.allocFloats(x);
        long sums = mem.alloc(4L * n / 32);
        long total = mem.allocFloats(0f);
        module("warp_reduce").launch("warp_reduce", new int[] {n / 128}, new int[] {128}, List.of(px, sums, total), mem);
        float[] expected = new float[n / 32];
        double all = 0;
        for (int w = 0; w < n / 32; w++) {
            float[] v = new float[32];
            System.arraycopy(x, 32 * w, v, 0, 32);
            for (int o = 16; o > 0; o >>= 1) {
                float[] next = new float[32];
                for (int l = 0; l < 32; l++) {
                    next[l] = v[l] + v[l ^ o];
                }
                v = next;
            }
            expected[w] = v[0];
            all += v[0];
        }
        assertArrayEquals(expected, mem.readFloats(sums, n / 32));
        assertEquals(all, mem.readFloats(total, 1)[0], 1e-4);
    }

    @Test
    void libraryMathAsCompiledByNvcc() throws IOException {
        float[] x = gaussian(200, 7, 10);
        x[0] = 1e4f;
        x[1] = -123456.7f;
        x[2] = 3e30f; // sinf's Payne-Hanek path: local memory and a .global table
        x[3] = 0f;
        x[4] = -0f;
        DeviceMemory mem = new DeviceMemory();
        long px = mem.allocFloats(x);
        long out = mem.alloc(4L * 6 * x.length);
        module("math_kernels").launch("math_fns", new int[] {2}, new int[] {128}, List.of(px, out, x.length), mem);
        float[] r = mem.readFloats(out, 6 * x.length);
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            double[] expected = {Math.sin(v), Math.cos(v), Math.exp(v * 0.01f), Math.log(Math.abs(v) + 1.0f),
                Math.tanh(v * 0.01f), Math.sqrt(Math.abs(v))};
            for (int j = 0; j < 6; j++) {
                double e = expected[j];
                assertEquals(e, r[6 * i + j], 4 * Math.ulp((float) e) + 1e-7, "function " + j + " of " + v);
            }
        }
    }

    @Test
    void halfPrecisionAndIntegerConversions() throws IOException {
        float[] x = {1.0f, 1 + 0x1p-11f, 1 + 3 * 0x1p-11f, 65519f, 70000f, -2.5f, 2.5f, 3.5f, -0.4f, 1e-8f,
            1 + 0x1p-8f, 1 + 3 * 0x1p-8f, 3e9f, -3e9f, 123.456f, -7.9f};
        int n = x.length;
        DeviceMemory mem = new DeviceMemory();
        long px = mem.allocFloats(x);
        long h = mem.alloc(2L * n);
        long b = mem.alloc(2L * n);
        long ints = mem.alloc(16L * n);
        long sums = mem.alloc(4L * n);
        module("math_kernels").launch("conversions", new int[] {1}, new int[] {32}, List.of(px, h, b, ints, sums, n),
                mem);
        short[] hs = mem.readShorts(h, n);
        short[] bs = mem.readShorts(b, n);
        int[] is = mem.readInts(ints, 4 * n);
        float[] ss = mem.readFloats(sums, n);
        for (int i = 0; i < n; i++) {
            float v = x[i];
            assertEquals(Float.floatToFloat16(v), hs[i], "f16 of " + v);
            int bits = Float.floatToRawIntBits(v);
            short bf = (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16); // round half to even
            assertEquals(bf, bs[i], "bf16 of " + v);
            float half = Float.float16ToFloat(hs[i]);
            float twice = Float.float16ToFloat(Float.floatToFloat16(half + half));
            assertEquals(twice + Float.intBitsToFloat(bf << 16), ss[i], "sum for " + v);
            assertEquals((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.rint(v))), is[4 * i], "rn " + v);
            assertEquals((int) v, is[4 * i + 1], "(int) " + v);
            long u = v <= 0 ? 0 : (long) Math.min(0xffff_ffffL, (long) v);
            assertEquals((int) u, is[4 * i + 2], "uint rz " + v);
            assertEquals((int) Math.floor(v), is[4 * i + 3], "floor " + v);
        }
        assertTrue(n > 0);
    }

    @Test
    void codeGeneratorIdioms() throws IOException {
        int n4 = 100;
        int block = 64;
        int grid = 2;
        float[] x = gaussian(4 * n4, 8, 1);
        DeviceMemory mem = new DeviceMemory();
        long px = mem.allocFloats(x);
        int warps = grid * block / 32;
        long out = mem.alloc(4L * warps);
        long ballots = mem.alloc(4L * warps);
        long h = mem.alloc(4L * n4);
        long gmax = mem.allocFloats(Float.NEGATIVE_INFINITY);
        module("idioms").launch("idioms", new int[] {grid}, new int[] {block}, List.of(px, out, ballots, h, gmax, n4),
                mem, LaunchOptions.DEFAULT.withDynamicShared(4 * block));
        float[] s = new float[grid * block];
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < s.length; i++) {
            s[i] = i < n4 ? x[4 * i] + x[4 * i + 1] + x[4 * i + 2] + x[4 * i + 3] : 0f;
            if (i < n4) {
                max = Math.max(max, s[i]);
            }
        }
        float[] sums = mem.readFloats(out, warps);
        int[] votes = mem.readInts(ballots, warps);
        for (int w = 0; w < warps; w++) {
            int cta = w / (block / 32);
            float[] t = new float[32];
            int ballot = 0;
            for (int l = 0; l < 32; l++) {
                int tid = (w % (block / 32)) * 32 + l;
                t[l] = s[cta * block + block - 1 - tid];
                ballot |= s[cta * block + tid] > 0 ? 1 << l : 0;
            }
            for (int o = 16; o > 0; o >>= 1) {
                float[] next = new float[32];
                for (int l = 0; l < 32; l++) {
                    next[l] = t[l] + (l + o < 32 ? t[l + o] : t[l]); // out of range: a lane's own value
                }
                t = next;
            }
            assertEquals(t[0], sums[w], "warp " + w);
            assertEquals(ballot, votes[w], "ballot of warp " + w);
        }
        int[] halves = mem.readInts(h, n4);
        for (int i = 0; i < n4; i++) {
            float lo = Float.float16ToFloat(Float.floatToFloat16(x[4 * i]));
            float hi = Float.float16ToFloat(Float.floatToFloat16(x[4 * i + 1]));
            int expected = (Float.floatToFloat16(hi + hi) & 0xffff) << 16 | (Float.floatToFloat16(lo + lo) & 0xffff);
            assertEquals(expected, halves[i], "half2 " + i);
        }
        assertEquals(max, mem.readFloats(gmax, 1)[0]);
    }
}
