package dev.tessera.ir.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.Rounding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The loop interpreter against results computed in plain Java, and its traps for lowering bugs. */
class LoopInterpreterTest {

    private static float[] floats(HostTensor t) {
        float[] f = new float[t.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) t.data()[i];
        }
        return f;
    }

    /** Runs a program after a print/parse round trip, so that what runs is also what the text says. */
    private static List<HostTensor> run(LoopProgram p, Map<String, Long> dims, HostTensor... inputs) {
        LoopProgram back = LoopParser.parseProgram(LoopPrinter.print(p));
        assertEquals(p, back);
        return LoopInterpreter.run(back, dims, List.of(inputs));
    }

    @Test
    void broadcastAddOnATwoDimensionalGridMaskedAtBothEdges() {
        int n = 13;
        int d = 37;
        HostTensor x = HostTensor.random(DType.F32, new long[] {n, d}, 1);
        HostTensor b = HostTensor.random(DType.F32, new long[] {1, d}, 2);
        HostTensor out = run(LoopFixtures.broadcastAdd(), Map.of("N", (long) n, "D", (long) d), x, b).getFirst();
        float[] want = new float[n * d];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < d; c++) {
                want[r * d + c] = (float) x.data()[r * d + c] + (float) b.data()[c];
            }
        }
        assertArrayEquals(want, floats(out));
        assertArrayEquals(new long[] {n, d}, out.shape());
    }

    /** Row sums (in the kernel's own tree order, so exactly) and maxima, for rows shorter and longer than a group. */
    @ParameterizedTest
    @CsvSource({"128, 5, 300", "128, 3, 50", "128, 2, 1", "64, 4, 128", "1, 3, 7", "32, 1, 1000"})
    void workGroupTreeReductionWithLocalMemoryAndBarriers(int wg, int n, int d) {
        HostTensor x = HostTensor.random(DType.F32, new long[] {n, d}, 3);
        List<HostTensor> out = run(LoopFixtures.rowReduce(wg), Map.of("N", (long) n, "D", (long) d), x);
        float[] sums = new float[n];
        float[] maxes = new float[n];
        for (int r = 0; r < n; r++) {
            float[] partial = new float[wg];
            float[] pmax = new float[wg];
            for (int l = 0; l < wg; l++) {
                pmax[l] = Float.NEGATIVE_INFINITY;
                for (int c = l; c < d; c += wg) {
                    float v = (float) x.data()[r * d + c];
                    partial[l] += v;
                    pmax[l] = Math.max(pmax[l], v);
                }
            }
            for (int s = wg / 2; s >= 1; s /= 2) {
                for (int l = 0; l < s; l++) {
                    partial[l] += partial[l + s];
                    pmax[l] = Math.max(pmax[l], pmax[l + s]);
                }
            }
            sums[r] = partial[0];
            maxes[r] = pmax[0];
            double plain = 0;
            for (int c = 0; c < d; c++) {
                plain += x.data()[r * d + c];
            }
            assertEquals(plain, sums[r], 1e-5 * d, "close to the exact sum too");
        }
        assertArrayEquals(sums, floats(out.get(0)));
        assertArrayEquals(maxes, floats(out.get(1)));
    }

    static final String MATMUL = """
            program @mm(%a: f32[M, K], %b: f32[K, N]) -> (%c: f32[M, N]) {
              kernel @mm_0(global f32 %a, global f32 %b, global mut f32 %c, dim %M, dim %N, dim %K) \
            local(f32 as[64], f32 bs[64]) grid((%N + 7) / 8 * 8, (%M + 7) / 8 * 8) block(8, 8) {
                decl i32 tx = local_id(0)
                decl i32 ty = local_id(1)
                decl i32 col = global_id(0)
                decl i32 row = global_id(1)
                decl f32 acc = 0.0f
                for i32 k0 = 0 to %K step 8 {
                  decl i32 ka = k0 + tx
                  if (row < %M && ka < %K) { store as[ty * 8 + tx] = %a[row * %K + ka] }
                  else { store as[ty * 8 + tx] = 0.0f }
                  decl i32 kb = k0 + ty
                  if (kb < %K && col < %N) { store bs[ty * 8 + tx] = %b[kb * %N + col] }
                  else { store bs[ty * 8 + tx] = 0.0f }
                  barrier
                  for i32 kk = 0 to 8 step 1 {
                    acc = acc + as[ty * 8 + kk] * bs[kk * 8 + tx]
                  }
                  barrier
                }
                if (row < %M && col < %N) { store %c[row * %N + col] = acc }
              }
            }
            """;

    @Test
    void tiledMatmulWithTwoDimensionalWorkGroupsAndBarriersInALoop() {
        LoopProgram p = LoopParser.parseProgram(MATMUL);
        int m = 13;
        int n = 11;
        int k = 19;
        HostTensor a = HostTensor.random(DType.F32, new long[] {m, k}, 4);
        HostTensor b = HostTensor.random(DType.F32, new long[] {k, n}, 5);
        HostTensor c = run(p, Map.of("M", (long) m, "N", (long) n, "K", (long) k), a, b).getFirst();
        float[] want = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0;
                for (int kk = 0; kk < k; kk++) {
                    acc += (float) a.data()[i * k + kk] * (float) b.data()[kk * n + j];
                }
                want[i * n + j] = acc;
            }
        }
        assertArrayEquals(want, floats(c));
    }

    static final String TWICE = """
            program @twice(%x: f32[N, D]) -> (%out0: f32[N, D]) {
              temp %t: f32[N, D]
              view %tv: f32[D, N] = %t
              kernel @twice_0(global f32 %x, global mut f32 %t, dim %N, dim %D) grid((%N * %D + 63) / 64 * 64) block(64) {
                decl i32 i = global_id(0)
                if (i < %N * %D) { store %t[i] = %x[i] * 2.0f }
              }
              kernel @twice_1(global f32 %tv, global mut f32 %out0, dim %N, dim %D) grid((%N * %D + 63) / 64 * 64) block(64) {
                decl i32 i = global_id(0)
                if (i < %N * %D) { store %out0[i] = %tv[i] + 1.0f }
              }
            }
            """;

    private static final Map<String, Long> SIX_BY_TEN = Map.of("N", 6L, "D", 10L);

    @Test
    void kernelsRunInOrderAndViewsShareStorage() {
        HostTensor x = HostTensor.random(DType.F32, new long[] {6, 10}, 6);
        HostTensor out = LoopInterpreter.run(LoopParser.parseProgram(TWICE), SIX_BY_TEN, List.of(x)).getFirst();
        for (int i = 0; i < 60; i++) {
            assertEquals((float) x.data()[i] * 2f + 1f, (float) out.data()[i]);
        }
        assertEquals(6 * 10, out.size());
    }

    @Test
    void outOfBoundsAccessNamesTheBufferAndIndex() {
        String unmasked = TWICE.replace("if (i < %N * %D) { store %t[i] = %x[i] * 2.0f }", "store %t[i] = %x[i] * 2.0f");
        HostTensor x = HostTensor.random(DType.F32, new long[] {6, 10}, 6);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LoopInterpreter.run(LoopParser.parseProgram(unmasked), SIX_BY_TEN, List.of(x)));
        assertTrue(e.getMessage().matches("out-of-bounds (load %x|store %t)\\[60] \\(size 60\\) in @twice/@twice_0 "
                + "at global_id \\(60, 0, 0\\)"), e.getMessage());
    }

    @Test
    void unwrittenElementsAreTrappedOrSeenAsPoison() {
        String evens = TWICE.replace("if (i < %N * %D) { store %t[i]", "if (i < %N * %D && i % 2 == 0) { store %t[i]");
        LoopProgram p = LoopParser.parseProgram(evens);
        HostTensor x = HostTensor.random(DType.F32, new long[] {6, 10}, 6);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LoopInterpreter.run(p, SIX_BY_TEN, List.of(x)));
        assertTrue(e.getMessage().startsWith("load of %tv[1], which nothing has written yet, in @twice/@twice_1"),
                e.getMessage());
        HostTensor out = LoopInterpreter.run(p, SIX_BY_TEN, List.of(x), false).getFirst();
        assertEquals((float) x.data()[0] * 2f + 1f, (float) out.data()[0]);
        assertTrue(Double.isNaN(out.data()[1]), "the poison shows through");
    }

    @Test
    void outputsNobodyWritesStayPoisoned() {
        String evens = TWICE.replace("if (i < %N * %D) { store %out0[i]", "if (i < %N * %D && i % 2 == 0) { store %out0[i]");
        HostTensor x = HostTensor.random(DType.F32, new long[] {6, 10}, 6);
        HostTensor out = LoopInterpreter.run(LoopParser.parseProgram(evens), SIX_BY_TEN, List.of(x)).getFirst();
        for (int i = 0; i < 60; i++) {
            assertEquals(i % 2 == 1, Double.isNaN(out.data()[i]), "element " + i);
        }
    }

    static final String SEMANTICS = """
            program @sem() -> (%i: i32[12], %f: f32[8], %h: f16[2], %b: bool[3], %d: f64[4], %w: bf16[1]) {
              kernel @k(global mut i32 %i, global mut f32 %f, global mut f16 %h, global mut bool %b, global mut f64 %d,
                        global mut bf16 %w) grid(1) block(1) {
                decl i32 big = 2147483647
                store %i[0] = big + 1                  // wraps
                store %i[1] = 7 / 0                    // division by zero gives 0
                store %i[2] = 7 % 0
                store %i[3] = -7 / 2                   // truncates toward zero
                store %i[4] = -7 % 2
                store %i[5] = i32(-2.9f)
                store %i[6] = i32(nanf)
                store %i[7] = i32(1.0E10f)             // saturates
                store %i[8] = i32(4294967297L)         // i64 to i32 wraps
                store %i[9] = abs(-2147483648)
                store %i[10] = i32(select(true, 1.0f, %f[100]))  // the other operand is not evaluated
                store %i[11] = i32(not(true) || 3 > 2)
                store %f[0] = 16777216.0f + 1.0f       // every f32 operation rounds to float
                store %f[1] = f32(0.1)
                store %f[2] = min(nanf, 2.0f)          // NaN propagates, as in the reference
                store %f[3] = max(1.0f, nanf)
                store %f[4] = erf(0.5f)
                store %f[5] = 7.5f % -2.0f
                store %f[6] = rsqrt(3.0f)
                store %f[7] = f32(16777217)
                store %h[0] = 0.1f                     // stores round to the storage type
                store %h[1] = 70000.0f
                store %b[0] = bool(nanf)
                store %b[1] = 0.0f == -0.0f
                store %b[2] = %h[0] < 0.1f             // loads of f16 give its exact value
                store %d[0] = 0.1 + 0.2
                store %d[1] = f64(0.1f)
                store %d[2] = exp(1.0)
                store %d[3] = f64(9223372036854775807L)
                store %w[0] = 1.00390625f              // half-way between bf16 neighbours: to even
              }
            }
            """;

    @Test
    void scalarSemanticsMatchTheTargets() {
        List<HostTensor> out = LoopInterpreter.run(LoopParser.parseProgram(SEMANTICS), Map.of(), List.of(), false);
        assertArrayEquals(new double[] {Integer.MIN_VALUE, 0, 0, -3, -1, -2, 0, Integer.MAX_VALUE, 1,
            Integer.MIN_VALUE, 1, 1}, out.get(0).data());
        assertArrayEquals(new float[] {16777216f, 0.1f, Float.NaN, Float.NaN, (float) ScalarMath.erf(0.5), 1.5f,
            (float) (1 / Math.sqrt(3)), 16777216f}, floats(out.get(1)));
        assertArrayEquals(new double[] {Rounding.round(DType.F16, 0.1f), Double.POSITIVE_INFINITY}, out.get(2).data());
        assertArrayEquals(new double[] {1, 1, 1}, out.get(3).data());
        assertArrayEquals(new double[] {0.1 + 0.2, (double) 0.1f, StrictMath.exp(1), 9.223372036854775807E18},
                out.get(4).data());
        assertArrayEquals(new double[] {1.0}, out.get(5).data());
    }

    @Test
    void erfIsAccurate() {
        double[][] table = {{0.0, 0.0}, {1e-10, 1.1283791670955126e-10}, {0.5, 0.5204998778130465},
            {1.0, 0.8427007929497149}, {2.0, 0.9953222650189527}, {2.5, 0.999593047982555},
            {3.0, 0.9999779095030014}, {4.0, 0.9999999845827421}, {7.0, 1.0}};
        for (double[] row : table) {
            assertEquals(row[1], ScalarMath.erf(row[0]), 4e-16, "erf(" + row[0] + ")");
            assertEquals(-row[1], ScalarMath.erf(-row[0]), 4e-16, "erf(-" + row[0] + ")");
        }
        assertTrue(Double.isNaN(ScalarMath.erf(Double.NaN)));
        assertEquals(1.0, ScalarMath.erf(Double.POSITIVE_INFINITY));
        // Against a 90-digit Maclaurin series across [0, 6]: within a few units in the last place.
        java.math.MathContext mc = new java.math.MathContext(90);
        java.math.BigDecimal pi = new java.math.BigDecimal("3.14159265358979323846264338327950288419716939937510"
                + "58209749445923078164062862089986280348253421170679");
        java.math.BigDecimal twoOverSqrtPi = java.math.BigDecimal.TWO.divide(pi.sqrt(mc), mc);
        for (int i = 1; i <= 600; i++) {
            double x = i * 0.01 + i * 1e-7;
            java.math.BigDecimal bx = new java.math.BigDecimal(x);
            java.math.BigDecimal x2 = bx.multiply(bx, mc);
            java.math.BigDecimal power = bx;
            java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
            java.math.BigDecimal factorial = java.math.BigDecimal.ONE;
            for (int n = 0; n < 400; n++) {
                if (n > 0) {
                    factorial = factorial.multiply(java.math.BigDecimal.valueOf(n));
                    power = power.multiply(x2, mc).negate();
                }
                sum = sum.add(power.divide(factorial.multiply(java.math.BigDecimal.valueOf(2L * n + 1)), mc), mc);
            }
            double want = sum.multiply(twoOverSqrtPi, mc).doubleValue();
            double got = ScalarMath.erf(x);
            assertTrue(Math.abs(got - want) <= 3 * Math.ulp(want), "erf(" + x + ") = " + got + ", want " + want);
        }
    }

    @Test
    void badCallsAreRejectedUpFront() {
        LoopProgram twice = LoopParser.parseProgram(TWICE);
        HostTensor x = HostTensor.random(DType.F32, new long[] {6, 10}, 6);
        assertThrows(IllegalArgumentException.class, () -> LoopInterpreter.run(twice, Map.of("N", 6L), List.of(x)));
        assertThrows(IllegalArgumentException.class, () -> LoopInterpreter.run(twice, Map.of("N", 10L, "D", 6L), List.of(x)));
        assertThrows(IllegalArgumentException.class, () -> LoopInterpreter.run(twice, SIX_BY_TEN, List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoopInterpreter.run(
                LoopParser.parseProgram(TWICE.replace("store %t[i] = %x[i] * 2.0f", "store %x[i] = 2.0f")),
                SIX_BY_TEN, List.of(x)));
        assertTrue(e.getMessage().contains("store to %x, which is not marked mut"), e.getMessage());
        IllegalStateException g = assertThrows(IllegalStateException.class, () -> LoopInterpreter.run(
                LoopParser.parseProgram(TWICE.replace("grid((%N * %D + 63) / 64 * 64) block(64) {\n    decl i32 i = "
                        + "global_id(0)\n    if (i < %N * %D) { store %t[i]", "grid(%N * %D) block(64) {\n    decl i32 "
                        + "i = global_id(0)\n    if (i < %N * %D) { store %t[i]")), SIX_BY_TEN, List.of(x)));
        assertTrue(g.getMessage().contains("global size 60 of @twice/@twice_0 in dimension 0 is not a non-negative "
                + "multiple of the work-group size 64"), g.getMessage());
    }

    @Test
    void inputsAreNotModified() {
        HostTensor x = HostTensor.random(DType.F32, new long[] {6, 10}, 6);
        double[] before = x.data().clone();
        LoopInterpreter.run(LoopParser.parseProgram(TWICE), SIX_BY_TEN, List.of(x));
        assertArrayEquals(before, x.data());
    }

    /** Enough threads and barriers to notice if the interpreter became slow; prints the time taken. */
    @Test
    void manyThreadsRunInReasonableTime() {
        long t0 = System.nanoTime();
        HostTensor x = HostTensor.random(DType.F32, new long[] {256, 512}, 8);
        HostTensor b = HostTensor.random(DType.F32, new long[] {1, 512}, 9);
        run(LoopFixtures.broadcastAdd(), Map.of("N", 256L, "D", 512L), x, b);
        long t1 = System.nanoTime();
        run(LoopFixtures.rowReduce(128), Map.of("N", 256L, "D", 512L), x);
        long t2 = System.nanoTime();
        System.out.printf("131072 threads without barriers: %d ms; 32768 threads with 8 barriers each: %d ms%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    }
}
