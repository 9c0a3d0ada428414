package dev.tessera.ptxsim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** cp.async: data lands in shared memory when the issuing thread waits for its group, not before. */
class AsyncCopyTest {

    private static final String PTX = Eval.HEADER + """
            .visible .entry k(.param .u64 in, .param .u64 out, .param .u32 srcsize)
            {
              .reg .b32 %r<8>; .reg .b64 %rd<6>;
              .shared .align 16 .b8 tile[64];
              ld.param.u64 %rd1, [in];
              ld.param.u64 %rd2, [out];
              ld.param.u32 %r6, [srcsize];
              mov.u32 %r1, %tid.x;
              shl.b32 %r2, %r1, 4;
              mov.u32 %r3, tile;
              add.s32 %r3, %r3, %r2;
              st.shared.v4.u32 [%r3], {%r1, %r1, %r1, %r1};
              cvt.u64.u32 %rd3, %r2;
              add.s64 %rd4, %rd1, %rd3;
              cp.async.ca.shared.global [%r3], [%rd4], 16, %r6;
              cp.async.commit_group;
              ld.shared.u32 %r4, [%r3];           // before the wait: still the old value
              cp.async.wait_group 0;
              bar.sync 0;
              ld.shared.u32 %r5, [%r3+12];        // after: the copied (or zero-filled) value
              mul.wide.u32 %rd5, %r1, 8;
              add.s64 %rd5, %rd2, %rd5;
              st.global.v2.u32 [%rd5], {%r4, %r5};
              ret;
            }
            """;

    @Test
    void copiesLandAtTheWait() {
        DeviceMemory mem = new DeviceMemory();
        int[] src = new int[16];
        for (int i = 0; i < 16; i++) {
            src[i] = 100 + i;
        }
        long in = mem.allocInts(src);
        long out = mem.alloc(32);
        PtxModule m = PtxModule.parse(PTX);
        m.launch("k", new int[] {1}, new int[] {4}, List.of(in, out, 16), mem);
        assertArrayEquals(new int[] {0, 103, 1, 107, 2, 111, 3, 115}, mem.readInts(out, 8));
        // src-size 8: the last 8 bytes of each 16-byte copy are zero-filled
        m.launch("k", new int[] {1}, new int[] {4}, List.of(in, out, 8), mem);
        assertArrayEquals(new int[] {0, 0, 1, 0, 2, 0, 3, 0}, mem.readInts(out, 8));
    }
}
