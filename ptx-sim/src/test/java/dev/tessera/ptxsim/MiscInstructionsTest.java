package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.Eval.f;
import static dev.tessera.ptxsim.Eval.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The smaller instructions: hints and fences, trap, isspacep, tf32 conversion, bar.arrive. */
class MiscInstructionsTest {

    @Test
    void hintsAndFencesChangeNothing() {
        String code = "membar.gl; fence.acq_rel.gpu; nanosleep.u32 100; prefetch.global.L2 [%rd2];"
                + " add.u32 %d, %a, %b;";
        assertEquals(5L, run(code, "b32", "b32", 2, 3));
    }

    @Test
    void trapFailsTheLaunch() {
        PtxException e = assertThrows(PtxException.class, () -> run("trap; mov.u32 %d, %a;", "b32", "b32", 1));
        assertTrue(e.getMessage().contains("trap executed"), e.getMessage());
    }

    @Test
    void isspacepTellsTheWindows() {
        String code = ".reg .b64 %g; cvta.shared.u64 %g, %a; isspacep.shared %d, %g;";
        assertEquals(1L, run(code, "pred", "b64", 16));
        assertEquals(0L, run("isspacep.shared %d, %a;", "pred", "b64", DeviceMemory.BASE));
        assertEquals(1L, run("isspacep.global %d, %a;", "pred", "b64", DeviceMemory.BASE));
    }

    @Test
    void tf32KeepsTenFractionBits() {
        float v = 1 + 0x1p-11f + 0x1p-20f; // just above the tie between 1 and 1 + 2^-10
        assertEquals(f(1 + 0x1p-10f), run("cvt.rna.tf32.f32 %d, %a", "b32", "f32", f(v)));
        assertEquals(f(1.0f), run("cvt.rn.tf32.f32 %d, %a", "b32", "f32", f(1 + 0x1p-12f)));
        assertEquals(f(1 + 0x1p-10f), run("cvt.rna.tf32.f32 %d, %a", "b32", "f32", f(1 + 0x1p-11f))); // ties away
    }

    @Test
    void producerConsumerWithBarArrive() {
        // warp 1 produces and arrives; warp 0 waits on the same named barrier, then consumes
        String ptx = Eval.HEADER + """
                .visible .entry k(.param .u64 out)
                {
                  .reg .b32 %r<5>; .reg .b64 %rd<4>; .reg .pred %p;
                  .shared .align 4 .b32 s[32];
                  ld.param.u64 %rd1, [out];
                  mov.u32 %r1, %tid.x;
                  and.b32 %r2, %r1, 31;
                  shl.b32 %r3, %r2, 2;
                  mov.u32 %r4, s;
                  add.s32 %r4, %r4, %r3;
                  setp.lt.u32 %p, %r1, 32;
                  @%p bra CONSUMER;
                  mul.lo.u32 %r2, %r2, 3;
                  st.shared.u32 [%r4], %r2;
                  bar.arrive 1, 64;
                  ret;
                CONSUMER:
                  bar.sync 1, 64;
                  ld.shared.u32 %r2, [%r4];
                  mul.wide.u32 %rd2, %r1, 4;
                  add.s64 %rd3, %rd1, %rd2;
                  st.global.u32 [%rd3], %r2;
                  ret;
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long out = mem.alloc(128);
        PtxModule.parse(ptx).launch("k", new int[] {1}, new int[] {64}, List.of(out), mem);
        int[] expected = new int[32];
        for (int i = 0; i < 32; i++) {
            expected[i] = 3 * i;
        }
        assertArrayEquals(expected, mem.readInts(out, 32));
    }
}
