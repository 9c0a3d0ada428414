package dev.tessera.ptxsim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Barriers and warp collectives: reductions, shuffle modes, votes, and deadlocks reported, not hung. */
class SynchronizationTest {

    private static final String H = Eval.HEADER;

    private static float[] randomFloats(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void blockReductionWithSharedMemoryAndBarriers() {
        int n = 1000;
        int block = 128;
        int ctas = (n + block - 1) / block;
        float[] x = randomFloats(n, 1);
        DeviceMemory mem = new DeviceMemory();
        long px = mem.allocFloats(x);
        long out = mem.alloc(4L * ctas);
        PtxModule m = PtxModule.parse(Eval.resource("ptx/block_sum.ptx"));
        LaunchStats s = m.launch("block_sum", new int[] {ctas}, new int[] {block}, List.of(px, out, n), mem);
        float[] expected = new float[ctas];
        for (int c = 0; c < ctas; c++) {
            // the same tree, in f32, so the comparison is exact
            float[] partial = new float[block];
            for (int t = 0; t < block; t++) {
                int i = c * block + t;
                partial[t] = i < n ? x[i] : 0f;
            }
            for (int stride = block / 2; stride > 0; stride /= 2) {
                for (int t = 0; t < stride; t++) {
                    partial[t] += partial[t + stride];
                }
            }
            expected[c] = partial[0];
        }
        assertArrayEquals(expected, mem.readFloats(out, ctas));
        assertEquals(ctas, s.ctas());
        assertEquals(block, s.threadsPerCta());
        assertTrue(s.instructions() > (long) n * 10, "instructions: " + s.instructions());
    }

    @Test
    void warpReductionWithButterflyShuffles() {
        int n = 256;
        float[] x = randomFloats(n, 2);
        DeviceMemory mem = new DeviceMemory();
        long px = mem.allocFloats(x);
        long out = mem.alloc(4L * n / 32);
        PtxModule.parse(Eval.resource("ptx/warp_sum.ptx"))
                .launch("warp_sum", new int[] {2}, new int[] {128}, List.of(px, out), mem);
        float[] expected = new float[n / 32];
        for (int w = 0; w < n / 32; w++) {
            float[] v = new float[32];
            System.arraycopy(x, 32 * w, v, 0, 32);
            for (int offset = 16; offset > 0; offset /= 2) {
                float[] next = new float[32];
                for (int l = 0; l < 32; l++) {
                    next[l] = v[l] + v[l ^ offset];
                }
                v = next;
            }
            expected[w] = v[0];
        }
        assertArrayEquals(expected, mem.readFloats(out, n / 32));
    }

    /** Runs one shfl.sync per lane of a single warp and returns each lane's value and predicate. */
    private static int[][] shuffle(String mode, int b, int c, int mask, int threads) {
        String ptx = H + """
                .visible .entry k(.param .u64 out)
                {
                  .reg .b32 %r<5>; .reg .b64 %rd<4>; .reg .pred %p;
                  ld.param.u64 %rd1, [out];
                  mov.u32 %r1, %laneid;
                  mul.lo.u32 %r2, %r1, 10;
                  shfl.sync.MODE.b32 %r3|%p, %r2, B, C, MASK;
                  selp.u32 %r4, 1, 0, %p;
                  mul.wide.u32 %rd2, %r1, 8;
                  add.s64 %rd3, %rd1, %rd2;
                  st.global.v2.u32 [%rd3], {%r3, %r4};
                  ret;
                }
                """.replace("MODE", mode).replace("B,", b + ",").replace("C,", c + ",").replace("MASK", Integer.toString(mask));
        DeviceMemory mem = new DeviceMemory();
        long out = mem.alloc(8 * 32);
        PtxModule.parse(ptx).launch("k", new int[] {1}, new int[] {threads}, List.of(out), mem);
        int[] raw = mem.readInts(out, 64);
        int[][] r = new int[2][32];
        for (int l = 0; l < 32; l++) {
            r[0][l] = raw[2 * l];
            r[1][l] = raw[2 * l + 1];
        }
        return r;
    }

    @Test
    void shuffleModesClampAndSegment() {
        int[][] up = shuffle("up", 1, 0, -1, 32);
        assertEquals(0, up[0][0]); // lane 0 has no source: keeps its own value, predicate false
        assertEquals(0, up[1][0]);
        assertEquals(40, up[0][5]);
        assertEquals(1, up[1][5]);
        int[][] down = shuffle("down", 2, 0x1f, -1, 32);
        assertEquals(20, down[0][0]);
        assertEquals(310, down[0][31]);
        assertEquals(0, down[1][31]);
        int[][] idx = shuffle("idx", 7, 0x1f, -1, 32);
        for (int l = 0; l < 32; l++) {
            assertEquals(70, idx[0][l]);
        }
        // width 8 as CUDA encodes it: c = ((32 - 8) << 8) | 0x1f; lane 7 of each segment
        int[][] seg = shuffle("idx", 7, (24 << 8) | 0x1f, -1, 32);
        for (int l = 0; l < 32; l++) {
            assertEquals(10 * ((l & ~7) + 7), seg[0][l], "lane " + l);
        }
        // .up with width 8 (c = (32 - 8) << 8): the first lane of each segment keeps its value
        int[][] segUp = shuffle("up", 1, 24 << 8, -1, 32);
        for (int l = 0; l < 32; l++) {
            assertEquals(l % 8 == 0 ? 10 * l : 10 * (l - 1), segUp[0][l], "lane " + l);
            assertEquals(l % 8 == 0 ? 0 : 1, segUp[1][l], "predicate of lane " + l);
        }
        int[][] bfly = shuffle("bfly", 3, 0x1f, -1, 32);
        for (int l = 0; l < 32; l++) {
            assertEquals(10 * (l ^ 3), bfly[0][l]);
        }
        // half-warp masks: lanes 0..15 exchange among themselves
        int[][] half = shuffle("down", 1, 0xf, 0xffff, 16);
        assertEquals(150, half[0][14]);
        assertEquals(150, half[0][15]); // 15 + 1 exceeds the clamp (15): own value
    }

    @Test
    void shuffleFromAnAbsentLaneIsAnError() {
        // 48 threads: the second warp has 16 lanes, and lane 0 reads lane 16 with .bfly 16
        PtxException e = assertThrows(PtxException.class, () -> shuffle("bfly", 16, 0x1f, -1, 48));
        assertTrue(e.getMessage().contains("reads lane 16"), e.getMessage());
    }

    @Test
    void votesAndWarpReductions() {
        String ptx = H + """
                .visible .entry k(.param .u64 out)
                {
                  .reg .b32 %r<8>; .reg .b64 %rd<4>; .reg .pred %p<6>;
                  ld.param.u64 %rd1, [out];
                  mov.u32 %r1, %laneid;
                  setp.lt.u32 %p1, %r1, 5;
                  vote.sync.ballot.b32 %r2, %p1, 0xffffffff;
                  vote.sync.any.pred %p2, %p1, 0xffffffff;
                  vote.sync.all.pred %p3, %p1, 0xffffffff;
                  @%p1 vote.sync.uni.pred %p4, %p1, 0x1f;  // only lanes 0..4 take part
                  redux.sync.add.u32 %r3, %r1, 0xffffffff;
                  redux.sync.max.s32 %r4, %r1, 0xffffffff;
                  bar.warp.sync 0xffffffff;
                  setp.ne.u32 %p5, %r1, 0;
                  @%p5 bra END;
                  selp.u32 %r5, 1, 0, %p2;
                  selp.u32 %r6, 1, 0, %p3;
                  selp.u32 %r7, 1, 0, %p4;
                  st.global.v4.u32 [%rd1], {%r2, %r5, %r6, %r7};
                  st.global.v2.u32 [%rd1+16], {%r3, %r4};
                END:
                  ret;
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long out = mem.alloc(24);
        PtxModule.parse(ptx).launch("k", new int[] {1}, new int[] {32}, List.of(out), mem);
        assertArrayEquals(new int[] {0x1f, 1, 0, 1, 496, 31}, mem.readInts(out, 6));
    }

    @Test
    void exitedThreadAtABarrierIsReportedAsDeadlock() {
        String ptx = H + """
                .visible .entry k(.param .u32 n)
                {
                  .reg .b32 %r<3>; .reg .pred %p;
                  ld.param.u32 %r1, [n];
                  mov.u32 %r2, %tid.x;
                  setp.ge.u32 %p, %r2, %r1;
                  @%p ret;
                  bar.sync 0;
                  ret;
                }
                """;
        PtxModule m = PtxModule.parse(ptx);
        DeviceMemory mem = new DeviceMemory();
        m.launch("k", new int[] {1}, new int[] {64}, List.of(64), mem); // nobody leaves early: fine
        PtxException e = assertThrows(PtxException.class,
                () -> m.launch("k", new int[] {1}, new int[] {64}, List.of(60), mem));
        String msg = e.getMessage();
        assertTrue(msg.contains("deadlock") && msg.contains("60 thread(s) wait at line 11")
                && msg.contains("4 thread(s) have exited") && msg.contains("thread (60,0,0)"), msg);
    }

    @Test
    void namedBarrierWithAThreadCount() {
        String ptx = H + """
                .visible .entry k(.param .u64 out)
                {
                  .reg .b32 %r<4>; .reg .b64 %rd<4>; .reg .pred %p;
                  .shared .align 4 .b32 s[64];
                  ld.param.u64 %rd1, [out];
                  mov.u32 %r1, %tid.x;
                  setp.ge.u32 %p, %r1, 64;
                  @%p bra END;
                  shl.b32 %r2, %r1, 2;
                  st.shared.u32 [s+0], 0;
                  mov.u32 %r3, s;
                  add.s32 %r3, %r3, %r2;
                  st.shared.u32 [%r3], %r1;
                  barrier.sync.aligned 1, 64;
                  xor.b32 %r2, %r2, 4;
                  mov.u32 %r3, s;
                  add.s32 %r3, %r3, %r2;
                  ld.shared.u32 %r2, [%r3];
                  mul.wide.u32 %rd2, %r1, 4;
                  add.s64 %rd3, %rd1, %rd2;
                  st.global.u32 [%rd3], %r2;
                END:
                  ret;
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long out = mem.alloc(4 * 64);
        PtxModule.parse(ptx).launch("k", new int[] {1}, new int[] {128}, List.of(out), mem);
        int[] r = mem.readInts(out, 64);
        for (int t = 2; t < 64; t++) {
            assertEquals(t ^ 1, r[t]);
        }
    }

    @Test
    void divergentShufflesAreAnError() {
        String ptx = H + """
                .visible .entry k()
                {
                  .reg .b32 %r<3>; .reg .pred %p;
                  mov.u32 %r1, %laneid;
                  setp.lt.u32 %p, %r1, 16;
                  @%p bra A;
                  shfl.sync.bfly.b32 %r2, %r1, 1, 0x1f, 0xffffffff;
                  ret;
                A:
                  shfl.sync.bfly.b32 %r2, %r1, 2, 0x1f, 0xffffffff;
                  ret;
                }
                """;
        PtxModule m = PtxModule.parse(ptx);
        PtxException e = assertThrows(PtxException.class,
                () -> m.launch("k", new int[] {1}, new int[] {32}, List.of(), new DeviceMemory()));
        assertTrue(e.getMessage().contains("different warp-synchronous"), e.getMessage());
    }

    @Test
    void runawayLoopsHitTheInstructionLimit() {
        String ptx = H + """
                .visible .entry k()
                {
                L: bra L;
                }
                """;
        PtxModule m = PtxModule.parse(ptx);
        PtxException e = assertThrows(PtxException.class, () -> m.launch("k", new int[] {1}, new int[] {1}, List.of(),
                new DeviceMemory(), LaunchOptions.DEFAULT.withMaxInstructions(10_000)));
        assertTrue(e.getMessage().contains("instruction limit"), e.getMessage());
    }
}
