package dev.tessera.ptxsim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** State spaces, vector accesses, extensions on load, atomics, and loud failures on bad addresses. */
class MemoryTest {

    private static final String H = Eval.HEADER;

    private static PtxException failure(String ptx, int threads, List<?> args, DeviceMemory mem) {
        PtxModule m = PtxModule.parse(ptx);
        return assertThrows(PtxException.class, () -> m.launch("k", new int[] {1}, new int[] {threads}, args, mem));
    }

    @Test
    void loadsExtendBySignednessIntoWiderRegisters() {
        String ptx = H + """
                .visible .entry k(.param .u64 in, .param .u64 out)
                {
                  .reg .b32 %r<4>; .reg .b64 %rd<6>;
                  ld.param.u64 %rd1, [in];
                  ld.param.u64 %rd2, [out];
                  ld.global.s8 %r1, [%rd1];
                  ld.global.u8 %r2, [%rd1];
                  ld.global.s16 %r3, [%rd1];
                  ld.global.s32 %rd3, [%rd1];
                  st.global.u32 [%rd2], %r1;
                  st.global.u32 [%rd2+4], %r2;
                  st.global.u32 [%rd2+8], %r3;
                  st.global.u64 [%rd2+16], %rd3;
                  st.global.u8 [%rd2+24], %rd3;
                  ret;
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long in = mem.allocInts(0xffff_fff0);
        long out = mem.alloc(32);
        PtxModule.parse(ptx).launch("k", new int[] {1}, new int[] {1}, List.of(in, out), mem);
        int[] r = mem.readInts(out, 6);
        assertEquals(-16, r[0]);
        assertEquals(0xf0, r[1]);
        assertEquals(-16, r[2]);
        assertEquals(-16, r[4]); // low word of the sign-extended 64-bit value
        assertEquals(-1, r[5]);
        assertEquals((byte) 0xf0, mem.read(out + 24, 1)[0]); // st.u8 of a 64-bit register stores its low byte
    }

    @Test
    void vectorLoadsAndStores() {
        String ptx = H + """
                .visible .entry k(.param .u64 in, .param .u64 out)
                {
                  .reg .f32 %f<5>; .reg .b64 %rd<5>; .reg .b32 %r<3>;
                  ld.param.u64 %rd1, [in];
                  ld.param.u64 %rd2, [out];
                  ld.global.nc.v4.f32 {%f1, %f2, %f3, %f4}, [%rd1];
                  st.global.v4.f32 [%rd2], {%f4, %f3, %f2, %f1};
                  ld.global.v2.u64 {%rd3, %rd4}, [%rd1];
                  st.global.v2.u64 [%rd2+16], {%rd4, %rd3};
                  ld.global.v2.b32 {%r1, _}, [%rd1+8];
                  st.global.u32 [%rd2+32], %r1;
                  ret;
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long in = mem.allocFloats(1, 2, 3, 4);
        long out = mem.alloc(48);
        PtxModule.parse(ptx).launch("k", new int[] {1}, new int[] {1}, List.of(in, out), mem);
        assertArrayEquals(new float[] {4, 3, 2, 1, 3, 4, 1, 2, 3}, mem.readFloats(out, 9));
    }

    @Test
    void sharedLocalConstGlobalVariablesAndGenericAddresses() {
        String ptx = H + """
                .const .align 4 .b32 ctab[4] = {10, 20, 30, 40};
                .global .align 4 .u32 counter = 5;
                .visible .entry k(.param .u64 out)
                {
                  .reg .b32 %r<12>; .reg .b64 %rd<8>; .reg .pred %p;
                  .shared .align 4 .b32 sh[64];
                  .local .align 8 .b8 loc[16];
                  ld.param.u64 %rd1, [out];
                  mov.u32 %r1, %tid.x;
                  ld.const.u32 %r2, [ctab+8];
                  atom.global.add.u32 %r3, [counter], 1;
                  st.local.u32 [loc+4], %r1;
                  mov.u64 %rd2, loc;
                  cvta.local.u64 %rd3, %rd2;
                  ld.u32 %r4, [%rd3+4];
                  shl.b32 %r5, %r1, 2;
                  mov.u32 %r6, sh;
                  add.s32 %r7, %r6, %r5;
                  st.shared.u32 [%r7], %r1;
                  bar.sync 0;
                  // read the next thread's slot through a generic address
                  add.s32 %r8, %r1, 1;
                  rem.u32 %r8, %r8, 8;
                  shl.b32 %r8, %r8, 2;
                  add.s32 %r8, %r6, %r8;
                  cvt.u64.u32 %rd4, %r8;
                  cvta.shared.u64 %rd5, %rd4;
                  ld.u32 %r9, [%rd5];
                  add.s32 %r10, %r2, %r4;
                  add.s32 %r10, %r10, %r9;
                  mul.wide.u32 %rd6, %r1, 4;
                  add.s64 %rd7, %rd1, %rd6;
                  st.global.u32 [%rd7], %r10;
                  setp.ne.u32 %p, %r1, 0;
                  @%p bra DONE;
                  ld.global.u32 %r11, [counter];
                  st.global.u32 [%rd1+32], %r11;
                DONE:
                  ret;
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long out = mem.alloc(36);
        PtxModule.parse(ptx).launch("k", new int[] {1}, new int[] {8}, List.of(out), mem);
        int[] r = mem.readInts(out, 9);
        for (int t = 0; t < 8; t++) {
            assertEquals(30 + t + (t + 1) % 8, r[t], "thread " + t);
        }
        assertEquals(5 + 8, r[8]);
    }

    @Test
    void outOfBoundsGlobalAccessNamesAddressAndInstruction() {
        String ptx = H + """
                .visible .entry k(.param .u64 p)
                {
                  .reg .b32 %r1; .reg .b64 %rd<2>;
                  ld.param.u64 %rd1, [p];
                  ld.global.u32 %r1, [%rd1+16];
                  ret;
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long p = mem.alloc(16);
        PtxException e = failure(ptx, 1, List.of(p), mem);
        String msg = e.getMessage();
        assertEquals(8, e.line());
        assertTrue(msg.contains("out-of-bounds") && msg.contains(Long.toHexString(p + 16))
                && msg.contains("ld.global.u32 %r1, [%rd1+16]") && msg.contains("thread (0,0,0)"), msg);
        PtxException nul = failure(ptx, 1, List.of(0L), mem);
        assertTrue(nul.getMessage().contains("outside every allocation"), nul.getMessage());
    }

    @Test
    void misalignedAndSharedOutOfBoundsAccessesFail() {
        String misaligned = H + """
                .visible .entry k(.param .u64 p)
                {
                  .reg .b32 %r1; .reg .b64 %rd<2>;
                  ld.param.u64 %rd1, [p];
                  ld.global.u32 %r1, [%rd1+2];
                  ret;
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long p = mem.alloc(16);
        assertTrue(failure(misaligned, 1, List.of(p), mem).getMessage().contains("misaligned"));
        String shared = H + """
                .visible .entry k(.param .u64 p)
                {
                  .reg .b32 %r<3>;
                  .shared .align 4 .b32 s[8];
                  mov.u32 %r1, %tid.x;
                  shl.b32 %r2, %r1, 2;
                  st.shared.u32 [s+%r2], %r1;
                  ret;
                }
                """;
        // symbol+register is not PTX syntax: the parser must say so
        assertThrows(PtxException.class, () -> PtxModule.parse(shared));
        String sharedOob = H + """
                .visible .entry k(.param .u64 p)
                {
                  .reg .b32 %r<4>;
                  .shared .align 4 .b32 s[8];
                  mov.u32 %r1, %tid.x;
                  shl.b32 %r2, %r1, 2;
                  mov.u32 %r3, s;
                  add.s32 %r3, %r3, %r2;
                  st.shared.u32 [%r3], %r1;
                  ret;
                }
                """;
        PtxException e = failure(sharedOob, 9, List.of(p), mem);
        assertTrue(e.getMessage().contains("out-of-bounds .shared") && e.getMessage().contains("thread (8,0,0)"),
                e.getMessage());
    }

    @Test
    void dynamicSharedMemoryAndArrayParameters() {
        String ptx = H + """
                .extern .shared .align 16 .b8 dyn[];
                .visible .entry k(.param .align 8 .b8 cfg[16], .param .u64 out)
                {
                  .reg .b32 %r<4>; .reg .b64 %rd<3>;
                  ld.param.u32 %r1, [cfg+4];
                  ld.param.u64 %rd1, [cfg+8];
                  ld.param.u64 %rd2, [out];
                  mov.u32 %r2, %dynamic_smem_size;
                  st.shared.u32 [dyn+252], %r1;
                  ld.shared.u32 %r3, [dyn+252];
                  st.global.u32 [%rd2], %r3;
                  st.global.u32 [%rd2+4], %r2;
                  st.global.u64 [%rd2+8], %rd1;
                  ret;
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long out = mem.alloc(16);
        byte[] cfg = new byte[16];
        cfg[4] = 42;
        cfg[8] = 7;
        PtxModule m = PtxModule.parse(ptx);
        m.launch("k", new int[] {1}, new int[] {1}, List.of(cfg, out), mem, LaunchOptions.DEFAULT.withDynamicShared(256));
        int[] r = mem.readInts(out, 4);
        assertArrayEquals(new int[] {42, 256, 7, 0}, r);
        PtxException e = assertThrows(PtxException.class, () -> m.launch("k", new int[] {1}, new int[] {1},
                List.of(cfg, out), mem, LaunchOptions.DEFAULT.withDynamicShared(128)));
        assertTrue(e.getMessage().contains("out-of-bounds .shared"), e.getMessage());
    }

    @Test
    void atomicsOnGlobalAndSharedMemory() {
        String ptx = H + """
                .visible .entry k(.param .u64 g)
                {
                  .reg .b32 %r<8>; .reg .b64 %rd<2>; .reg .f32 %f<3>; .reg .pred %p;
                  .shared .align 4 .b32 s[2];
                  ld.param.u64 %rd1, [g];
                  mov.u32 %r1, %tid.x;
                  setp.ne.u32 %p, %r1, 0;
                  @!%p st.shared.u32 [s], 0;
                  @!%p st.shared.f32 [s+4], 0f00000000;
                  bar.sync 0;
                  atom.global.add.u32 %r2, [%rd1], 1;
                  atom.global.max.s32 %r3, [%rd1+4], %r1;
                  atom.global.min.u32 %r3, [%rd1+8], %r1;
                  atom.global.exch.b32 %r4, [%rd1+12], %r1;
                  atom.global.cas.b32 %r5, [%rd1+16], 0, 99;
                  atom.global.inc.u32 %r6, [%rd1+20], 2;
                  red.shared.add.u32 [s], %r1;
                  cvt.rn.f32.u32 %f1, %r1;
                  red.shared.add.f32 [s+4], %f1;
                  atom.global.add.f32 %f2, [%rd1+24], %f1;
                  bar.sync 0;
                  @%p bra END;
                  ld.shared.u32 %r7, [s];
                  st.global.u32 [%rd1+28], %r7;
                  ld.shared.f32 %f2, [s+4];
                  st.global.f32 [%rd1+32], %f2;
                END:
                  ret;
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long g = mem.allocInts(0, -5, 100, -1, 0, 0, 0, 0, 0);
        PtxModule.parse(ptx).launch("k", new int[] {1}, new int[] {10}, List.of(g), mem);
        int[] r = mem.readInts(g, 9);
        assertEquals(10, r[0]);
        assertEquals(9, r[1]);
        assertEquals(0, r[2]);
        assertEquals(9, r[3]); // the last exchange wins: threads run in order between barriers
        assertEquals(99, r[4]); // only the first compare-and-swap sees 0
        assertEquals(1, r[5]); // inc wraps to 0 after reaching 2: 0,1,2,0,1,2,...,0 -> 10 increments end at 1
        assertEquals(45f, Float.intBitsToFloat(r[6]));
        assertEquals(45, r[7]);
        assertEquals(45f, Float.intBitsToFloat(r[8]));
    }

    @Test
    void storesToConstantSpaceAreRejected() {
        String ptx = H + """
                .const .align 4 .b32 c[1];
                .visible .entry k()
                {
                  st.const.u32 [c], 1;
                  ret;
                }
                """;
        assertThrows(PtxException.class, () -> PtxModule.parse(ptx));
    }
}
