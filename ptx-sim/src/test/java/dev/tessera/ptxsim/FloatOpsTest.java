package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.Eval.asD;
import static dev.tessera.ptxsim.Eval.asF;
import static dev.tessera.ptxsim.Eval.d;
import static dev.tessera.ptxsim.Eval.f;
import static dev.tessera.ptxsim.Eval.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** f32/f64 instructions through PTX: rounding modifiers, NaN rules, .ftz, .sat, comparisons, selection. */
class FloatOpsTest {

    private static final long CANONICAL_NAN = 0x7fff_ffffL;
    private static final float NAN = Float.NaN;
    private static final float TINY = Float.MIN_VALUE * 3; // subnormal

    private static float f32(String code, float... in) {
        long[] bits = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            bits[i] = f(in[i]);
        }
        return asF(run(code, "f32", "f32", bits));
    }

    private static long bits32(String code, float... in) {
        return f(f32(code, in));
    }

    @Test
    void roundingModifiersReachTheArithmetic() {
        float a = 1.0f;
        float b = 0x1p-24f; // exactly half an ulp of 1.0: a tie
        assertEquals(1.0f, f32("add.rn.f32 %d, %a, %b", a, b));
        assertEquals(1.0f, f32("add.f32 %d, %a, %b", a, b)); // .rn is the default
        assertEquals(Math.nextUp(1.0f), f32("add.rp.f32 %d, %a, %b", a, b));
        assertEquals(1.0f, f32("add.rz.f32 %d, %a, %b", a, b));
        assertEquals(-1.0f, f32("sub.rz.f32 %d, %a, %b", -a, b));
        assertEquals(Math.nextDown(-1.0f), f32("sub.rm.f32 %d, %a, %b", -a, b));
        float third = 1.0f / 3; // slightly above 1/3, so 3 * third is slightly above 1
        assertEquals(1.0f, f32("mul.rz.f32 %d, %a, %b", 3.0f, third));
        assertEquals(Math.nextUp(1.0f), f32("mul.rp.f32 %d, %a, %b", 3.0f, third));
        assertEquals(Math.fma(third, 3.0f, -1.0f), f32("fma.rn.f32 %d, %a, %b, %c", third, 3.0f, -1.0f));
        assertEquals(Math.nextDown(1.0f / 3), f32("div.rz.f32 %d, %a, %b", 1.0f, 3.0f));
        assertEquals(1.0 / 3, asD(run("div.rn.f64 %d, %a, %b", "f64", "f64", d(1.0), d(3.0))));
        assertEquals(Math.nextUp(1.0 / 3), asD(run("div.rp.f64 %d, %a, %b", "f64", "f64", d(1.0), d(3.0))));
        assertEquals((float) Math.sqrt(2), f32("sqrt.rn.f32 %d, %a", 2.0f));
        // the nearest f32 to sqrt(2) lies below it
        assertEquals((float) Math.sqrt(2), f32("sqrt.rm.f32 %d, %a", 2.0f));
        assertEquals(Math.nextUp((float) Math.sqrt(2)), f32("sqrt.rp.f32 %d, %a", 2.0f));
        assertEquals(1.0f / 3, f32("rcp.rn.f32 %d, %a", 3.0f));
    }

    @Test
    void fmaNeedsARoundingModifier() {
        PtxException e = assertThrows(PtxException.class, () -> f32("fma.f32 %d, %a, %b, %c", 1, 2, 3));
        assertTrue(e.getMessage().contains("rounding modifier"), e.getMessage());
    }

    @Test
    void minMaxReturnTheNonNaNOperand() {
        assertEquals(1.0f, f32("min.f32 %d, %a, %b", NAN, 1.0f));
        assertEquals(1.0f, f32("min.f32 %d, %a, %b", 1.0f, NAN));
        assertEquals(-2.0f, f32("max.f32 %d, %a, %b", -2.0f, NAN));
        assertEquals(CANONICAL_NAN, bits32("min.f32 %d, %a, %b", NAN, NAN));
        // .NaN propagates instead
        assertEquals(CANONICAL_NAN, bits32("min.NaN.f32 %d, %a, %b", 1.0f, NAN));
        assertEquals(CANONICAL_NAN, bits32("max.NaN.f32 %d, %a, %b", NAN, 1.0f));
        assertEquals(1.0f, f32("max.NaN.f32 %d, %a, %b", 1.0f, -1.0f));
        // -0.0 < +0.0 for min/max
        assertEquals(f(-0.0f), bits32("min.f32 %d, %a, %b", 0.0f, -0.0f));
        assertEquals(f(0.0f), bits32("max.f32 %d, %a, %b", -0.0f, 0.0f));
        // xorsign.abs: magnitude of min(|a|,|b|), sign a^b
        assertEquals(-2.0f, f32("min.xorsign.abs.f32 %d, %a, %b", -3.0f, 2.0f));
        assertEquals(3.0f, f32("max.xorsign.abs.f32 %d, %a, %b", -3.0f, -2.0f));
        assertEquals(1.0, asD(run("min.f64 %d, %a, %b", "f64", "f64", d(Double.NaN), d(1.0))));
        // .ftz flushes the subnormal input before comparing: min(+0 (was TINY), 0) keeps the flushed zero
        assertEquals(0.0f, f32("min.ftz.f32 %d, %a, %b", TINY, 1.0f));
        assertEquals(TINY, f32("min.f32 %d, %a, %b", TINY, 1.0f));
    }

    @Test
    void arithmeticNaNsAreCanonical() {
        assertEquals(CANONICAL_NAN, bits32("add.f32 %d, %a, %b", Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
        assertEquals(CANONICAL_NAN, bits32("mul.f32 %d, %a, %b", Float.intBitsToFloat(0xffc0_0001), 1.0f));
    }

    @Test
    void flushToZeroAndSaturation() {
        assertEquals(f(-0.0f), bits32("mul.ftz.f32 %d, %a, %b", -TINY, 1.0f));
        assertEquals(-TINY, f32("mul.f32 %d, %a, %b", -TINY, 1.0f));
        assertEquals(0.0f, f32("mul.ftz.f32 %d, %a, %b", 0x1p-100f, 0x1p-30f)); // subnormal result
        assertEquals(1.0f, f32("add.sat.f32 %d, %a, %b", 2.0f, 3.0f));
        assertEquals(0.0f, f32("add.sat.f32 %d, %a, %b", -2.0f, 1.0f));
        assertEquals(f(0.0f), bits32("add.sat.f32 %d, %a, %b", NAN, 1.0f));
        assertEquals(0.5f, f32("fma.rn.sat.f32 %d, %a, %b, %c", 0.25f, 2.0f, 0.0f));
    }

    @Test
    void negAbsCopysignTestp() {
        assertEquals(-0.0f, f32("neg.f32 %d, %a", 0.0f));
        assertEquals(3.0f, f32("abs.f32 %d, %a", -3.0f));
        assertEquals(-2.0, asD(run("neg.f64 %d, %a", "f64", "f64", d(2.0))));
        assertEquals(-5.0f, f32("copysign.f32 %d, %a, %b", -1.0f, 5.0f));
        assertEquals(1L, run("testp.subnormal.f32 %d, %a", "pred", "f32", f(TINY)));
        assertEquals(1L, run("testp.normal.f32 %d, %a", "pred", "f32", f(0.0f)));
        assertEquals(0L, run("testp.finite.f32 %d, %a", "pred", "f32", f(Float.POSITIVE_INFINITY)));
        assertEquals(1L, run("testp.notanumber.f64 %d, %a", "pred", "f64", d(Double.NaN)));
    }

    @Test
    void approximateInstructionsAreClose() {
        assertEquals(8.0f, f32("ex2.approx.f32 %d, %a", 3.0f));
        assertEquals((float) Math.pow(2, -0.3), f32("ex2.approx.ftz.f32 %d, %a", -0.3f), 1e-6);
        assertEquals(0.0f, f32("ex2.approx.f32 %d, %a", Float.NEGATIVE_INFINITY));
        assertEquals(3.0f, f32("lg2.approx.f32 %d, %a", 8.0f), 1e-6);
        assertEquals(Float.NEGATIVE_INFINITY, f32("lg2.approx.f32 %d, %a", 0.0f));
        assertEquals((float) Math.sin(1.0), f32("sin.approx.f32 %d, %a", 1.0f), 1e-6);
        assertEquals((float) Math.cos(1.0), f32("cos.approx.ftz.f32 %d, %a", 1.0f), 1e-6);
        assertEquals((float) Math.tanh(0.5), f32("tanh.approx.f32 %d, %a", 0.5f), 1e-6);
        assertEquals(0.5f, f32("rsqrt.approx.f32 %d, %a", 4.0f));
        assertEquals(Float.POSITIVE_INFINITY, f32("rcp.approx.f32 %d, %a", 0.0f));
        assertEquals(2.5f, f32("div.approx.f32 %d, %a, %b", 5.0f, 2.0f));
        assertEquals(2.5f, f32("div.full.f32 %d, %a, %b", 5.0f, 2.0f));
        assertEquals(3.0f, f32("sqrt.approx.f32 %d, %a", 9.0f));
    }

    /** setp against the ISA's definitions, for every comparison and awkward operand. */
    @Test
    void setpOrderedAndUnorderedComparisons() {
        float[][] pairs = {{1, 2}, {2, 1}, {1, 1}, {NAN, 1}, {1, NAN}, {NAN, NAN}, {-0.0f, 0.0f}};
        String[] cmps = {"eq", "ne", "lt", "le", "gt", "ge", "equ", "neu", "ltu", "leu", "gtu", "geu", "num", "nan"};
        for (String cmp : cmps) {
            for (float[] p : pairs) {
                float a = p[0];
                float b = p[1];
                boolean unordered = Float.isNaN(a) || Float.isNaN(b);
                boolean expected = switch (cmp) {
                    case "eq" -> !unordered && a == b;
                    case "ne" -> !unordered && a != b;
                    case "lt" -> !unordered && a < b;
                    case "le" -> !unordered && a <= b;
                    case "gt" -> !unordered && a > b;
                    case "ge" -> !unordered && a >= b;
                    case "equ" -> unordered || a == b;
                    case "neu" -> unordered || a != b;
                    case "ltu" -> unordered || a < b;
                    case "leu" -> unordered || a <= b;
                    case "gtu" -> unordered || a > b;
                    case "geu" -> unordered || a >= b;
                    case "num" -> !unordered;
                    default -> unordered;
                };
                long got = run("setp." + cmp + ".f32 %d, %a, %b", "pred", "f32", f(a), f(b));
                assertEquals(expected ? 1L : 0L, got, "setp." + cmp + " " + a + ", " + b);
                long got64 = run("setp." + cmp + ".f64 %d, %a, %b", "pred", "f64", d(a), d(b));
                assertEquals(expected ? 1L : 0L, got64, "setp." + cmp + ".f64 " + a + ", " + b);
            }
        }
    }

    @Test
    void setpIntegerAndCombining() {
        assertEquals(1L, run("setp.lt.s32 %d, %a, %b", "pred", "b32", 0xffff_ffffL, 1));
        assertEquals(0L, run("setp.lt.u32 %d, %a, %b", "pred", "b32", 0xffff_ffffL, 1));
        assertEquals(1L, run("setp.hi.u32 %d, %a, %b", "pred", "b32", 0xffff_ffffL, 1));
        assertEquals(1L, run("setp.ge.s64 %d, %a, %b", "pred", "b64", 5, -3L));
        // p = (a < b) and c; q = !(a < b) and c
        String code = ".reg .pred %q; .reg .pred %cp; setp.ne.u32 %cp, %c, 0;"
                + " setp.lt.and.s32 %q|%d, %a, %b, %cp;";
        assertEquals(1L, run(code, "pred", "b32", 5, 1, 1));
        assertEquals(0L, run(code, "pred", "b32", 1, 5, 1));
        assertEquals(0L, run(code, "pred", "b32", 5, 1, 0));
        assertEquals(1L, run(".reg .pred %cp; setp.ne.u32 %cp, %c, 0; setp.eq.or.b32 %d, %a, %b, !%cp;", "pred", "b32", 1, 2, 0));
    }

    @Test
    void selpAndSlct() {
        assertEquals(7L, run(".reg .pred %p; setp.ne.u32 %p, %c, 0; selp.b32 %d, %a, %b, %p;", "b32", "b32", 7, 9, 1));
        assertEquals(9L, run(".reg .pred %p; setp.ne.u32 %p, %c, 0; selp.b32 %d, %a, %b, %p;", "b32", "b32", 7, 9, 0));
        assertEquals(7L, run("slct.u32.s32 %d, %a, %b, %c", "b32", "b32", 7, 9, 0));
        assertEquals(9L, run("slct.u32.s32 %d, %a, %b, %c", "b32", "b32", 7, 9, 0xffff_ffffL));
        // -0.0 selects a, NaN selects b
        assertEquals(1.0f, f32("slct.f32.f32 %d, %a, %b, %c", 1.0f, 2.0f, -0.0f));
        assertEquals(2.0f, f32("slct.f32.f32 %d, %a, %b, %c", 1.0f, 2.0f, NAN));
        assertEquals(0xffff_ffffL, run("set.gt.u32.f32 %d, %a, %b", "b32", "f32", f(2), f(1)));
        assertEquals(f(1.0f), run("set.gt.f32.f32 %d, %a, %b", "f32", "f32", f(2), f(1)));
    }
}
