package dev.tessera.ir.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.DType;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle against hand-computed results and naive loops. */
class ReferenceInterpreterTest {

    static GraphKernel kernel(String text) {
        return GraphParser.parse(text).kernels().getFirst();
    }

    static HostTensor tensor(DType d, long[] shape, double... data) {
        return new HostTensor(d, shape, data);
    }

    static long[] s(long... dims) {
        return dims;
    }

    static final String SOFTMAX = """
            kernel @softmax(%x: f32[N, D]) -> (f32[N, D]) {
              %m = reduce.max %x axes=[1] keepdim=true : f32[N, 1]
              %0 = sub %x, %m : f32[N, D]
              %e = exp %0 : f32[N, D]
              %s = reduce.sum %e axes=[1] keepdim=true : f32[N, 1]
              %y = div %e, %s : f32[N, D]
              return %y
            }
            """;

    @Test
    void softmaxRowsSumToOne() {
        HostTensor x = HostTensor.random(DType.F32, s(5, 7), 1);
        HostTensor y = ReferenceInterpreter.run(kernel(SOFTMAX), List.of(x)).getFirst();
        assertArrayEquals(s(5, 7), y.shape());
        for (int r = 0; r < 5; r++) {
            double sum = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 7; c++) {
                sum += y.data()[r * 7 + c];
                max = Math.max(max, x.data()[r * 7 + c]);
            }
            assertEquals(1.0, sum, 1e-6);
            double denom = 0;
            for (int c = 0; c < 7; c++) {
                denom += Math.exp(x.data()[r * 7 + c] - max);
            }
            assertEquals((float) (Math.exp(x.data()[r * 7] - max) / denom), y.data()[r * 7]);
        }
    }

    @Test
    void matmulMatchesATripleLoopAndRunsQuickly() {
        GraphKernel k = kernel("""
                kernel @mm(%a: f32[M, K], %b: f32[K, N]) -> (f32[M, N]) {
                  %c = matmul %a, %b : f32[M, N]
                  return %c
                }
                """);
        int m = 300;
        int kk = 200;
        int n = 100;
        HostTensor a = HostTensor.random(DType.F32, s(m, kk), 2);
        HostTensor b = HostTensor.random(DType.F32, s(kk, n), 3);
        long t0 = System.nanoTime();
        HostTensor c = ReferenceInterpreter.run(k, List.of(a, b)).getFirst();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2000, "matmul 300x200x100 took " + ms + " ms");
        for (int i = 0; i < m; i += 37) {
            for (int j = 0; j < n; j += 13) {
                double acc = 0;
                for (int p = 0; p < kk; p++) {
                    acc += a.data()[i * kk + p] * b.data()[p * n + j];
                }
                assertEquals((float) acc, c.data()[i * n + j]);
            }
        }
    }

    @Test
    void batchedAndVectorMatmul() {
        GraphKernel k = kernel("""
                kernel @bmm(%a: f32[2, 1, 2, 3], %b: f32[3, 3, 1], %v: f32[3]) -> (f32[2, 3, 2, 1], f32[2, 1, 2]) {
                  %c = matmul %a, %b : f32[2, 3, 2, 1]
                  %d = matmul %a, %v : f32[2, 1, 2]
                  return %c, %d
                }
                """);
        HostTensor a = tensor(DType.F32, s(2, 1, 2, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        HostTensor b = tensor(DType.F32, s(3, 3, 1), 1, 0, 0, 0, 1, 0, 1, 1, 1);
        HostTensor v = tensor(DType.F32, s(3), 1, 10, 100);
        List<HostTensor> out = ReferenceInterpreter.run(k, List.of(a, b, v));
        // batch (i, j) multiplies a[i, 0] by b[j]: b[0] picks column 0, b[1] column 1, b[2] sums the row
        assertArrayEquals(new double[] {1, 4, 2, 5, 6, 15, 7, 10, 8, 11, 24, 33}, out.get(0).data());
        assertArrayEquals(new double[] {321, 654, 987, 1320}, out.get(1).data());
    }

    @Test
    void broadcastingKeepdimAndMean() {
        GraphKernel k = kernel("""
                kernel @k(%x: f32[2, 3], %r: f32[3], %c: f32[2, 1]) -> (f32[2, 3], f32[1, 3], f32[2], f32[]) {
                  %a = add %x, %r : f32[2, 3]
                  %b = mul %a, %c : f32[2, 3]
                  %s = reduce.sum %x axes=[0] keepdim=true : f32[1, 3]
                  %m = reduce.mean %x axes=[1] keepdim=false : f32[2]
                  %t = reduce.min %x axes=[0, 1] keepdim=false : f32[]
                  return %b, %s, %m, %t
                }
                """);
        HostTensor x = tensor(DType.F32, s(2, 3), 1, 2, 3, 4, 5, 6);
        HostTensor r = tensor(DType.F32, s(3), 10, 20, 30);
        HostTensor c = tensor(DType.F32, s(2, 1), 1, -1);
        List<HostTensor> out = ReferenceInterpreter.run(k, List.of(x, r, c));
        assertArrayEquals(new double[] {11, 22, 33, -14, -25, -36}, out.get(0).data());
        assertArrayEquals(new double[] {5, 7, 9}, out.get(1).data());
        assertArrayEquals(s(1, 3), out.get(1).shape());
        assertArrayEquals(new double[] {2, 5}, out.get(2).data());
        assertArrayEquals(new double[] {1}, out.get(3).data());
        assertArrayEquals(s(), out.get(3).shape());
    }

    @Test
    void i32WrapsTruncatesAndDividesByZeroAsZero() {
        GraphKernel k = kernel("""
                kernel @k(%a: i32[4], %b: i32[4]) -> (i32[4], i32[4], i32[4], i32[4], i32[]) {
                  %p = mul %a, %b : i32[4]
                  %q = div %a, %b : i32[4]
                  %r = mod %a, %b : i32[4]
                  %n = neg %a : i32[4]
                  %s = reduce.sum %p axes=[0] keepdim=false : i32[]
                  return %p, %q, %r, %n, %s
                }
                """);
        HostTensor a = tensor(DType.I32, s(4), 2147483647, -7, 7, -2147483648);
        HostTensor b = tensor(DType.I32, s(4), 2, 2, 0, -1);
        List<HostTensor> out = ReferenceInterpreter.run(k, List.of(a, b));
        assertArrayEquals(new double[] {-2, -14, 0, -2147483648}, out.get(0).data());
        assertArrayEquals(new double[] {1073741823, -3, 0, -2147483648}, out.get(1).data());
        assertArrayEquals(new double[] {1, -1, 0, 0}, out.get(2).data());
        assertArrayEquals(new double[] {-2147483647, 7, -7, -2147483648}, out.get(3).data());
        assertArrayEquals(new double[] {(int) (-2L - 14 + 0 - 2147483648L)}, out.get(4).data());
    }

    @Test
    void castsRoundToTheTargetDtype() {
        GraphKernel k = kernel("""
                kernel @k(%x: f32[4]) -> (f16[4], bf16[4], i32[4], bool[4], f32[4]) {
                  %h = cast %x : f16[4]
                  %b = cast %x : bf16[4]
                  %i = cast %x : i32[4]
                  %t = cast %x : bool[4]
                  %c = const 3.0 : f32[]
                  %y = div %x, %c : f32[4]
                  %z = cast %y : f16[4]
                  %w = cast %z : f32[4]
                  return %h, %b, %i, %t, %w
                }
                """);
        HostTensor x = tensor(DType.F32, s(4), 1.0009765625, 1.00048828125, -2.75, 0);
        List<HostTensor> out = ReferenceInterpreter.run(k, List.of(x));
        // f16 has 10 mantissa bits: 1 + 2^-10 is exact, 1 + 2^-11 is a tie that rounds to even (1.0)
        assertArrayEquals(new double[] {1.0009765625, 1.0, -2.75, 0}, out.get(0).data());
        // bf16 has 7: both round to 1.0
        assertArrayEquals(new double[] {1.0, 1.0, -2.75, 0}, out.get(1).data());
        assertArrayEquals(new double[] {1, 1, -2, 0}, out.get(2).data());
        assertArrayEquals(new double[] {1, 1, 1, 0}, out.get(3).data());
        assertEquals(Rounding.round(DType.F16, 1.0009765625 / 3), out.get(4).data()[0]);
    }

    @Test
    void selectTransposeReshapeBroadcastAndUnaryCorners() {
        GraphKernel k = kernel("""
                kernel @k(%x: f32[2, 3], %n: f32[]) -> (f32[3, 2], f32[6], f32[2, 2, 3], f32[2, 3], f32[], f32[]) {
                  %t = transpose %x perm=[1, 0] : f32[3, 2]
                  %r = reshape %x : f32[6]
                  %b = broadcast_to %x : f32[2, 2, 3]
                  %z = const 2.5 : f32[]
                  %g = gt %x, %z : bool[2, 3]
                  %s = select %g, %x, %z : f32[2, 3]
                  %m = max %n, %z : f32[]
                  %u = relu %n : f32[]
                  return %t, %r, %b, %s, %m, %u
                }
                """);
        HostTensor x = tensor(DType.F32, s(2, 3), 1, 2, 3, 4, 5, 6);
        HostTensor nan = tensor(DType.F32, s(), Double.NaN);
        List<HostTensor> out = ReferenceInterpreter.run(k, List.of(x, nan));
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, out.get(0).data());
        assertArrayEquals(x.data(), out.get(1).data());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, out.get(2).data());
        assertArrayEquals(new double[] {2.5, 2.5, 3, 4, 5, 6}, out.get(3).data());
        assertTrue(Double.isNaN(out.get(4).data()[0]), "max propagates NaN");
        assertTrue(Double.isNaN(out.get(5).data()[0]), "relu propagates NaN");
    }

    @Test
    void largeSoftmaxIsQuick() {
        HostTensor x = HostTensor.random(DType.F32, s(1000, 777), 4);
        long t0 = System.nanoTime();
        HostTensor y = ReferenceInterpreter.run(kernel(SOFTMAX), List.of(x)).getFirst();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 3000, "softmax 1000x777 took " + ms + " ms");
        assertEquals(777_000, y.size());
    }

    @Test
    void inputsAreCheckedAgainstTheSignature() {
        GraphKernel k = kernel("""
                kernel @k(%a: f32[N, 4], %b: f32[N]) -> (f32[N, 4]) {
                  return %a
                }
                """);
        HostTensor a = HostTensor.random(DType.F32, s(3, 4), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceInterpreter.run(k, List.of(a, HostTensor.random(DType.F32, s(2), 1))));
        assertEquals("input 2 ('b') of @k must be f32[N] but the tensor given has shape [2]: dim 0 is 2, but N is 3 "
                + "from dim 0 of input 1 ('a')", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceInterpreter.run(k, List.of(a, HostTensor.random(DType.F16, s(3), 1))));
        assertEquals("input 2 ('b') of @k must be f32[N] but the tensor given is f16[3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReferenceInterpreter.run(k, List.of(a)));
        assertEquals("kernel @k takes 2 inputs (a: f32[N, 4], b: f32[N]) but 1 was given", e.getMessage());
    }
}
