package dev.tessera.ptxsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Launch geometry: special registers in three dimensions, statistics, generic-address conversions. */
class LaunchTest {

    @Test
    void specialRegistersInThreeDimensions() {
        String ptx = Eval.HEADER + """
                .visible .entry k(.param .u64 out)
                {
                  .reg .b32 %r<20>; .reg .b64 %rd<4>;
                  ld.param.u64 %rd1, [out];
                  mov.u32 %r1, %tid.x;   mov.u32 %r2, %tid.y;   mov.u32 %r3, %tid.z;
                  mov.u32 %r4, %ntid.x;  mov.u32 %r5, %ntid.y;  mov.u32 %r6, %ntid.z;
                  mov.u32 %r7, %ctaid.x; mov.u32 %r8, %ctaid.y; mov.u32 %r9, %ctaid.z;
                  mov.u32 %r10, %nctaid.x; mov.u32 %r11, %nctaid.y; mov.u32 %r12, %nctaid.z;
                  mov.u32 %r13, %laneid; mov.u32 %r14, %warpid; mov.u32 %r15, %lanemask_lt;
                  // linear thread id in the CTA, then linear CTA id, then global slot
                  mad.lo.u32 %r16, %r3, %r5, %r2;
                  mad.lo.u32 %r16, %r16, %r4, %r1;
                  mad.lo.u32 %r17, %r9, %r11, %r8;
                  mad.lo.u32 %r17, %r17, %r10, %r7;
                  mul.lo.u32 %r18, %r4, %r5;
                  mul.lo.u32 %r18, %r18, %r6;
                  mad.lo.u32 %r19, %r17, %r18, %r16;
                  mul.wide.u32 %rd2, %r19, 64;
                  add.s64 %rd3, %rd1, %rd2;
                  st.global.v4.u32 [%rd3], {%r1, %r2, %r3, %r4};
                  st.global.v4.u32 [%rd3+16], {%r5, %r6, %r7, %r8};
                  st.global.v4.u32 [%rd3+32], {%r9, %r10, %r11, %r12};
                  st.global.v4.u32 [%rd3+48], {%r13, %r14, %r15, %r16};
                  ret;
                }
                """;
        int[] grid = {2, 3, 2};
        int[] block = {5, 4, 3};
        int threads = 60;
        int ctas = 12;
        DeviceMemory mem = new DeviceMemory();
        long out = mem.alloc(64L * threads * ctas);
        LaunchStats s = PtxModule.parse(ptx).launch("k", grid, block, List.of(out), mem);
        assertEquals(ctas, s.ctas());
        assertEquals(threads, s.threadsPerCta());
        assertEquals(30L * threads * ctas, s.instructions()); // 30 instructions per thread, ret included
        int[] r = mem.readInts(out, 16 * threads * ctas);
        for (int cz = 0; cz < 2; cz++) {
            for (int cy = 0; cy < 3; cy++) {
                for (int cx = 0; cx < 2; cx++) {
                    int cta = (cz * 3 + cy) * 2 + cx;
                    for (int t = 0; t < threads; t++) {
                        int base = 16 * (cta * threads + t);
                        int[] expected = {t % 5, t / 5 % 4, t / 20, 5, 4, 3, cx, cy, cz, 2, 3, 2,
                            t % 32, t / 32, (1 << (t % 32)) - 1, t};
                        for (int i = 0; i < 16; i++) {
                            assertEquals(expected[i], r[base + i], "value " + i + " of thread " + t + " of CTA " + cta);
                        }
                    }
                }
            }
        }
    }

    @Test
    void cvtaToSharedRejectsNonSharedAddresses() {
        String ptx = Eval.HEADER + """
                .visible .entry k(.param .u64 p, .param .u64 out)
                {
                  .reg .b64 %rd<5>; .reg .b32 %r<3>;
                  .shared .align 4 .b32 s[4];
                  ld.param.u64 %rd1, [p];
                  ld.param.u64 %rd4, [out];
                  mov.u64 %rd2, s;
                  cvta.shared.u64 %rd3, %rd2;
                  cvta.to.shared.u64 %rd2, %rd1;
                  cvt.u32.u64 %r1, %rd2;
                  st.shared.u32 [%r1+8], 77;
                  ld.shared.u32 %r2, [s+8];
                  st.global.u32 [%rd4], %r2;
                  ret;
                }
                """;
        PtxModule m = PtxModule.parse(ptx);
        DeviceMemory mem = new DeviceMemory();
        long out = mem.alloc(4);
        // a generic pointer into shared memory round-trips through cvta.to.shared
        m.launch("k", new int[] {1}, new int[] {1}, List.of(Memory.SHARED_WINDOW, out), mem);
        assertEquals(77, mem.readInts(out, 1)[0]);
        PtxException e = assertThrows(PtxException.class,
                () -> m.launch("k", new int[] {1}, new int[] {1}, List.of(out, out), mem));
        assertTrue(e.getMessage().contains("not in the .shared window"), e.getMessage());
    }
}
