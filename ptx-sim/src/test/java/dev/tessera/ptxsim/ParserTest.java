package dev.tessera.ptxsim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of the PTX subset, and the diagnostics for what is malformed or not supported. */
class ParserTest {

    private static final String H = Eval.HEADER;

    private static PtxException rejects(String ptx) {
        return assertThrows(PtxException.class, () -> PtxModule.parse(ptx));
    }

    @Test
    void headerAndEntries() {
        PtxModule m = PtxModule.parse("""
                // a comment
                .version 8.3
                .target sm_90a
                .address_size 64
                /* a block
                   comment */
                .visible .entry first() { ret; }
                .entry second(.param .u32 n) .maxntid 128, 1, 1 { exit; }
                """);
        assertEquals(List.of("first", "second"), m.entryNames());
        assertEquals("8.3", m.version());
        assertEquals("sm_90a", m.target());
    }

    @Test
    void unknownInstructionIsRejectedWithItsLine() {
        PtxException e = rejects(H + """
                .visible .entry k()
                {
                  .reg .b32 %r<2>;
                  frobnicate.b32 %r1, %r0;
                  ret;
                }
                """);
        assertEquals(7, e.line());
        assertTrue(e.getMessage().contains("unsupported instruction frobnicate")
                && e.getMessage().contains("frobnicate.b32 %r1, %r0;"), e.getMessage());
    }

    @Test
    void unknownModifierIsRejected() {
        PtxException e = rejects(H + """
                .visible .entry k()
                {
                  .reg .b32 %r<2>;
                  add.cc.u32 %r1, %r0, %r0;
                }
                """);
        assertTrue(e.getMessage().contains("unsupported modifier .cc"), e.getMessage());
    }

    @Test
    void registerRangesAndUndeclaredRegisters() {
        String ok = H + """
                .visible .entry k()
                {
                  .reg .b32 %r<3>;
                  mov.u32 %r2, %r0;
                }
                """;
        PtxModule.parse(ok);
        PtxException e = rejects(ok.replace("%r2, %r0", "%r3, %r0"));
        assertTrue(e.getMessage().contains("undeclared register %r3"), e.getMessage());
        PtxException narrow = rejects(ok.replace("mov.u32 %r2, %r0", "mov.u64 %r2, %r0"));
        assertTrue(narrow.getMessage().contains("narrower"), narrow.getMessage());
    }

    @Test
    void nestedScopesMayRedeclareRegisters() {
        String ptx = H + """
                .visible .entry k(.param .u64 out)
                {
                  .reg .b32 %r<3>; .reg .b64 %rd1;
                  ld.param.u64 %rd1, [out];
                  mov.u32 %r1, 0x0000ABCD;
                  {
                  .reg .b16 %temp;
                  mov.b32 {%temp, _}, %r1;
                  cvt.u32.u16 %r2, %temp;
                  }
                  {
                  .reg .b16 %temp;
                  mov.b32 {_, %temp}, %r1;
                  cvt.u32.u16 %r0, %temp;
                  }
                  st.global.v2.u32 [%rd1], {%r2, %r0};
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long out = mem.alloc(8);
        PtxModule.parse(ptx).launch("k", new int[] {1}, new int[] {1}, List.of(out), mem);
        assertArrayEquals(new int[] {0xabcd, 0}, mem.readInts(out, 2));
    }

    @Test
    void literalForms() {
        String ptx = H + """
                .visible .entry k(.param .u64 out)
                {
                  .reg .b32 %r<8>; .reg .b64 %rd<3>; .reg .f32 %f<3>; .reg .f64 %d1;
                  ld.param.u64 %rd1, [out];
                  mov.u32 %r0, 0x7fffFFFF;
                  mov.u32 %r1, 017;
                  mov.u32 %r2, 0b101;
                  mov.u32 %r3, -2;
                  mov.u32 %r4, 42U;
                  mov.f32 %f1, 0f3FC00000;
                  mov.f64 %d1, 0d4004000000000000;
                  cvt.rn.f32.f64 %f2, %d1;
                  mov.b32 %r5, %f1;
                  mov.b32 %r6, %f2;
                  st.global.v4.u32 [%rd1], {%r0, %r1, %r2, %r3};
                  st.global.v2.u32 [%rd1+16], {%r4, %r5};
                  st.global.u32 [%rd1+24], %r6;
                  st.global.f32 [%rd1+28], 1.25;
                }
                """;
        DeviceMemory mem = new DeviceMemory();
        long out = mem.alloc(32);
        PtxModule.parse(ptx).launch("k", new int[] {1}, new int[] {1}, List.of(out), mem);
        int[] r = mem.readInts(out, 8);
        assertArrayEquals(new int[] {0x7fff_ffff, 15, 5, -2, 42, Float.floatToRawIntBits(1.5f),
            Float.floatToRawIntBits(2.5f), Float.floatToRawIntBits(1.25f)}, r);
    }

    @Test
    void undefinedLabelsAndCallsAreRejected() {
        assertTrue(rejects(H + ".visible .entry k() { bra NOWHERE; }").getMessage().contains("undefined label NOWHERE"));
        PtxException e = rejects(H + """
                .func helper() { ret; }
                .visible .entry k()
                {
                  call helper, ();
                }
                """);
        assertTrue(e.getMessage().contains("calls of .func are not supported"), e.getMessage());
        assertTrue(rejects(".target sm_80\n.visible .entry k() { ret; }").getMessage().contains(".version"));
        assertTrue(rejects(H + ".visible .entry k() { ret }").getMessage().contains("expected ';'"));
    }

    @Test
    void launchArgumentsAreChecked() {
        PtxModule m = PtxModule.parse(H + """
                .visible .entry k(.param .u64 p, .param .f32 f, .param .s32 i) { ret; }
                """);
        DeviceMemory mem = new DeviceMemory();
        int[] one = {1};
        m.launch("k", one, one, List.of(16L, 1.5f, -3), mem);
        assertTrue(assertThrows(PtxException.class, () -> m.launch("k", one, one, List.of(16L, 1.5, -3), mem))
                .getMessage().contains("needs a Float"));
        assertTrue(assertThrows(PtxException.class, () -> m.launch("k", one, one, List.of(16L, 1.5f), mem))
                .getMessage().contains("takes 3 parameters"));
        assertTrue(assertThrows(PtxException.class, () -> m.launch("k", one, one, List.of(16L, 1.5f, 1L << 40), mem))
                .getMessage().contains("fits .s32"));
        assertTrue(assertThrows(PtxException.class, () -> m.launch("k", one, new int[] {64, 32}, List.of(1L, 1f, 1), mem))
                .getMessage().contains("exceeds the limit of 1024"));
        assertTrue(assertThrows(PtxException.class, () -> m.launch("nope", one, one, List.of(), mem))
                .getMessage().contains("no entry named nope"));
    }

    @Test
    void specialRegistersAreReadOnly() {
        PtxException e = rejects(H + ".visible .entry k() { mov.u32 %tid.x, 1; }");
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }
}
