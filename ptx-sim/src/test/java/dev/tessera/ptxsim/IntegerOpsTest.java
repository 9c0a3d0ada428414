package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.Eval.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Integer instructions against plain-Java expectations: wrap-around, signedness, division, bit tricks. */
class IntegerOpsTest {

    private static long u32(int v) {
        return v & 0xffff_ffffL;
    }

    @Test
    void additionWrapsAndSaturates() {
        assertEquals(0x8000_0000L, run("add.s32 %d, %a, %b", "b32", "b32", 0x7fff_ffffL, 1));
        assertEquals(0x7fff_ffffL, run("add.sat.s32 %d, %a, %b", "b32", "b32", 0x7fff_ffffL, 1));
        assertEquals(0x8000_0000L, run("sub.sat.s32 %d, %a, %b", "b32", "b32", 0x8000_0000L, 1));
        assertEquals(0xffffL, run("sub.u16 %d, %a, %b", "b16", "b16", 0, 1));
        assertEquals(0L, run("add.u64 %d, %a, %b", "b64", "b64", -1L, 1));
    }

    @Test
    void multiplicationModes() {
        int a = -123456;
        int b = 98765;
        assertEquals(u32(a * b), run("mul.lo.s32 %d, %a, %b", "b32", "b32", u32(a), u32(b)));
        assertEquals(u32((int) (((long) a * b) >> 32)), run("mul.hi.s32 %d, %a, %b", "b32", "b32", u32(a), u32(b)));
        long ua = u32(a);
        long ub = u32(b);
        assertEquals((ua * ub) >>> 32, run("mul.hi.u32 %d, %a, %b", "b32", "b32", ua, ub));
        assertEquals((long) a * b, run("mul.wide.s32 %d, %a, %b", "b64", "b32", ua, ub));
        assertEquals(0xffff_fffe_0000_0001L, run("mul.wide.u32 %d, %a, %b", "b64", "b32", 0xffff_ffffL, 0xffff_ffffL));
        assertEquals(u32(-6), run("mul.wide.s16 %d, %a, %b", "b32", "b16", 0xfffe, 3));
        long x = 0x1234_5678_9abc_def0L;
        long y = -0x0fed_cba9_8765_4321L;
        assertEquals(Math.multiplyHigh(x, y), run("mul.hi.s64 %d, %a, %b", "b64", "b64", x, y));
        assertEquals(Math.unsignedMultiplyHigh(x, y), run("mul.hi.u64 %d, %a, %b", "b64", "b64", x, y));
        assertEquals(x * y, run("mul.lo.u64 %d, %a, %b", "b64", "b64", x, y));
    }

    @Test
    void multiplyAdd() {
        assertEquals(u32(-7 * 9 + 100), run("mad.lo.s32 %d, %a, %b, %c", "b32", "b32", u32(-7), 9, 100));
        assertEquals(-7L * 9 + 100, run(".reg .b64 %w; cvt.s64.s32 %w, %c; mad.wide.s32 %d, %a, %b, %w;", "b64", "b32",
                u32(-7), 9, 100));
        // the addend of mad.hi adds to the high word
        assertEquals(u32((int) ((0x4000_0000L * 8) >> 32) + 5),
                run("mad.hi.s32 %d, %a, %b, %c", "b32", "b32", 0x4000_0000L, 8, 5));
        assertEquals(0x7fff_ffffL, run("mad.hi.sat.s32 %d, %a, %b, %c", "b32", "b32", 0x7fff_ffffL, 0x7fff_ffffL,
                0x7fff_ffffL));
    }

    @Test
    void divisionTruncatesTowardZero() {
        assertEquals(u32(-7 / 2), run("div.s32 %d, %a, %b", "b32", "b32", u32(-7), 2));
        assertEquals(u32(-7 % 2), run("rem.s32 %d, %a, %b", "b32", "b32", u32(-7), 2));
        assertEquals(u32(7 % -2), run("rem.s32 %d, %a, %b", "b32", "b32", 7, u32(-2)));
        assertEquals(0xffff_fff9L / 2, run("div.u32 %d, %a, %b", "b32", "b32", u32(-7), 2));
        assertEquals(0x8000_0000L, run("div.s32 %d, %a, %b", "b32", "b32", 0x8000_0000L, u32(-1)));
        assertEquals(Long.divideUnsigned(-10L, 3), run("div.u64 %d, %a, %b", "b64", "b64", -10L, 3));
        assertEquals(Long.remainderUnsigned(-10L, 3), run("rem.u64 %d, %a, %b", "b64", "b64", -10L, 3));
        PtxException e = assertThrows(PtxException.class, () -> run("div.s32 %d, %a, %b", "b32", "b32", 1, 0));
        assertTrue(e.getMessage().contains("division by zero") && e.getMessage().contains("div.s32"), e.getMessage());
    }

    @Test
    void minMaxRespectSignedness() {
        assertEquals(u32(-1), run("min.s32 %d, %a, %b", "b32", "b32", u32(-1), 1));
        assertEquals(1L, run("min.u32 %d, %a, %b", "b32", "b32", u32(-1), 1));
        assertEquals(u32(-1), run("max.u32 %d, %a, %b", "b32", "b32", u32(-1), 1));
        assertEquals(0L, run("max.relu.s32 %d, %a, %b", "b32", "b32", u32(-5), u32(-3)));
        assertEquals(-5L, run("min.s64 %d, %a, %b", "b64", "b64", -5L, 3));
        assertEquals(0xfffbL, run("min.s16 %d, %a, %b", "b16", "b16", 0xfffb, 3));
    }

    @Test
    void negAbsAndLogic() {
        assertEquals(u32(5), run("neg.s32 %d, %a", "b32", "b32", u32(-5)));
        assertEquals(0x8000_0000L, run("abs.s32 %d, %a", "b32", "b32", 0x8000_0000L));
        assertEquals(7L, run("abs.s64 %d, %a", "b64", "b64", -7L));
        assertEquals(0x0f0fL & 0x00ffL, run("and.b16 %d, %a, %b", "b16", "b16", 0x0f0f, 0x00ff));
        assertEquals(0xf0f0_f0f0L, run("not.b32 %d, %a", "b32", "b32", 0x0f0f_0f0fL));
        assertEquals(1L, run("cnot.b32 %d, %a", "b32", "b32", 0));
        assertEquals(0L, run("cnot.b32 %d, %a", "b32", "b32", 42));
        assertEquals(1L, run("xor.pred %d, %a, %b", "pred", "pred", 1, 0));
        assertEquals(0L, run("not.pred %d, %a", "pred", "pred", 1));
    }

    @Test
    void shiftsClampTheirAmount() {
        assertEquals(0L, run("shl.b32 %d, %a, 33", "b32", "b32", 1));
        assertEquals(0x8000_0000L, run("shl.b32 %d, %a, 31", "b32", "b32", 1));
        assertEquals(0xffff_ffffL, run("shr.s32 %d, %a, 40", "b32", "b32", 0x8000_0000L));
        assertEquals(1L, run("shr.u32 %d, %a, 31", "b32", "b32", 0x8000_0000L));
        assertEquals(0L, run("shr.b64 %d, %a, 64", "b64", "b64", -1L));
        assertEquals(-1L >>> 4, run("shr.u64 %d, %a, 4", "b64", "b64", -1L));
        assertEquals(0xfff0L, run("shl.b16 %d, %a, 4", "b16", "b16", 0xffff));
    }

    @Test
    void bitManipulation() {
        assertEquals(Long.bitCount(0xf0f0_1234L), run("popc.b32 %d, %a", "b32", "b32", 0xf0f0_1234L));
        assertEquals(64L, run("popc.b64 %d, %a", "b32", "b64", -1L));
        assertEquals(Integer.numberOfLeadingZeros(0x0001_0000), run("clz.b32 %d, %a", "b32", "b32", 0x0001_0000));
        assertEquals(32L, run("clz.b32 %d, %a", "b32", "b32", 0));
        assertEquals(u32(Integer.reverse(0x1234_5678)), run("brev.b32 %d, %a", "b32", "b32", 0x1234_5678));
        // bfe.s32: 4 bits from bit 4 of 0x000000f0 is 0xf, sign-extended to -1
        assertEquals(u32(-1), run("bfe.s32 %d, %a, 4, 4", "b32", "b32", 0xf0));
        assertEquals(0xfL, run("bfe.u32 %d, %a, 4, 4", "b32", "b32", 0xf0));
        assertEquals(0x0000_0ab0L, run("bfi.b32 %d, %a, %b, 4, 8", "b32", "b32", 0xab, 0));
        assertEquals(30L, run("bfind.u32 %d, %a", "b32", "b32", 0x4000_0000L));
        assertEquals(1L, run("bfind.shiftamt.u32 %d, %a", "b32", "b32", 0x4000_0000L));
        assertEquals(0xffff_ffffL, run("bfind.u32 %d, %a", "b32", "b32", 0));
        assertEquals(0L, run("bfind.s32 %d, %a", "b32", "b32", u32(-2)));
        // prmt picks bytes of {b, a}; selector 0x3210 is the identity, 0x0123 reverses a's bytes
        assertEquals(0x7856_3412L, run("prmt.b32 %d, %a, %b, 0x0123", "b32", "b32", 0x1234_5678L, 0));
        // selector nibbles with bit 3 set replicate the sign of the selected byte (0xf8 here)
        assertEquals(0xffff_fff8L, run("prmt.b32 %d, %a, %b, 0x8880", "b32", "b32", 0x1234_56f8L, 0));
        // lop3 with immLut 0xF0 & 0xCC | 0xAA: (a & b) | c
        long a = 0xf0f0_f0f0L;
        long b = 0xff00_ff00L;
        long c = 0x0000_000fL;
        assertEquals((a & b) | c, run("lop3.b32 %d, %a, %b, %c, 0xEA", "b32", "b32", a, b, c));
    }

    @Test
    void mul24UsesLow24Bits() {
        long a = 0x00ff_ffffL; // -1 as a signed 24-bit value
        assertEquals(u32(-3), run("mul24.lo.s32 %d, %a, %b", "b32", "b32", a, 3));
        assertEquals(0x00ff_ffffL * 3, run("mul24.lo.u32 %d, %a, %b", "b32", "b32", a, 3));
        // .hi takes bits 16..47 of the 48-bit product
        assertEquals((0x00ff_ffffL * 0x00ff_ffffL) >>> 16, run("mul24.hi.u32 %d, %a, %b", "b32", "b32", a, a));
    }
}
