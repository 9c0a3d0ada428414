package dev.tessera.ptxsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** mma.sync m16n8k16 and ldmatrix against a plain Java matmul. */
class MmaTest {

    private static final int M = 16;
    private static final int N = 8;
    private static final int K = 16;

    /** Random f16 values (rounded by the JDK's own conversion) or bf16 values (exact by construction). */
    private static short[] halves(int n, boolean bf16, long seed, float[] decoded) {
        Random r = new Random(seed);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            if (bf16) {
                float v = (r.nextInt(129) - 64) / 16f * (r.nextBoolean() ? 1 : 0.125f);
                out[i] = (short) (Float.floatToRawIntBits(v) >>> 16);
                decoded[i] = v;
            } else {
                out[i] = Float.floatToFloat16((float) r.nextGaussian());
                decoded[i] = Float.float16ToFloat(out[i]);
            }
        }
        return out;
    }

    private static void check(String ptxResource, String entry, boolean bf16, long seed) {
        float[] a = new float[M * K];
        float[] b = new float[K * N];
        short[] ha = halves(M * K, bf16, seed, a);
        short[] hb = halves(K * N, bf16, seed + 1, b);
        float[] c = new float[M * N];
        Random r = new Random(seed + 2);
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) r.nextGaussian();
        }
        DeviceMemory mem = new DeviceMemory();
        long pa = mem.alloc(2L * ha.length);
        mem.writeShorts(pa, ha);
        long pb = mem.alloc(2L * hb.length);
        mem.writeShorts(pb, hb);
        long pc = mem.allocFloats(c);
        long pd = mem.alloc(4L * M * N);
        PtxModule m = PtxModule.parse(Eval.resource(ptxResource));
        m.launch(entry, new int[] {1}, new int[] {32}, List.of(pa, pb, pc, pd), mem);
        float[] d = mem.readFloats(pd, M * N);
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                double acc = c[i * N + j];
                for (int k = 0; k < K; k++) {
                    acc += (double) a[i * K + k] * b[k * N + j];
                }
                assertEquals((float) acc, d[i * N + j], Math.abs(acc) * 1e-6, entry + " D[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void f16FragmentsLoadedByHand() {
        check("ptx/mma_fragments.ptx", "mma_f16", false, 11);
    }

    @Test
    void bf16FragmentsLoadedByHand() {
        check("ptx/mma_fragments.ptx", "mma_bf16", true, 12);
    }

    @Test
    void fragmentsLoadedWithLdmatrix() {
        check("ptx/mma_ldmatrix.ptx", "mma_ldmatrix", false, 13);
    }

    @Test
    void mmaNeedsAFullWarp() {
        PtxModule m = PtxModule.parse(Eval.resource("ptx/mma_fragments.ptx"));
        DeviceMemory mem = new DeviceMemory();
        long p = mem.alloc(1024);
        PtxException e = assertThrows(PtxException.class,
                () -> m.launch("mma_f16", new int[] {1}, new int[] {16}, List.of(p, p, p, p), mem));
        assertTrue(e.getMessage().contains("full warp") && e.getMessage().contains("mma.sync"), e.getMessage());
    }

    @Test
    void unsupportedMmaShapesAreRejectedAtParseTime() {
        String ptx = Eval.HEADER + """
                .visible .entry k()
                {
                  .reg .f32 %f<9>; .reg .b32 %r<7>;
                  mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 {%r1, %r2, %r3, %r4}, {%r5, %r6}, {%r1}, {%r1, %r2, %r3, %r4};
                  ret;
                }
                """;
        PtxException e = assertThrows(PtxException.class, () -> PtxModule.parse(ptx));
        assertEquals(7, e.line());
    }
}
