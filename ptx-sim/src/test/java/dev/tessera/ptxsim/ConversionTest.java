package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.Eval.asD;
import static dev.tessera.ptxsim.Eval.asF;
import static dev.tessera.ptxsim.Eval.d;
import static dev.tessera.ptxsim.Eval.f;
import static dev.tessera.ptxsim.Eval.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** cvt in all its forms, and arithmetic on the 16-bit float types. */
class ConversionTest {

    private static long u32(int v) {
        return v & 0xffff_ffffL;
    }

    private static long toS32(String mods, float v) {
        return run("cvt" + mods + ".s32.f32 %d, %a", "b32", "f32", f(v));
    }

    @Test
    void floatToIntegerRounding() {
        assertEquals(2L, toS32(".rni", 2.5f));
        assertEquals(4L, toS32(".rni", 3.5f));
        assertEquals(u32(-2), toS32(".rni", -2.5f));
        assertEquals(u32(-2), toS32(".rzi", -2.7f));
        assertEquals(u32(-3), toS32(".rmi", -2.2f));
        assertEquals(3L, toS32(".rpi", 2.2f));
        assertEquals(1L, toS32(".rpi", Float.MIN_VALUE));
        assertEquals(0L, toS32(".rpi.ftz", Float.MIN_VALUE)); // flushed before rounding
    }

    @Test
    void floatToIntegerSaturatesAndMapsNaNToZero() {
        assertEquals(0x7fff_ffffL, toS32(".rzi", 3e9f));
        assertEquals(0x8000_0000L, toS32(".rzi", -3e9f));
        assertEquals(0x7fff_ffffL, toS32(".rzi", Float.POSITIVE_INFINITY));
        assertEquals(0L, toS32(".rzi", Float.NaN));
        assertEquals(0L, run("cvt.rzi.u32.f32 %d, %a", "b32", "f32", f(-5)));
        assertEquals(0xffff_ffffL, run("cvt.rni.u32.f32 %d, %a", "b32", "f32", f(1e10f)));
        assertEquals(255L, run("cvt.rzi.u8.f32 %d, %a", "b16", "f32", f(300)));
        assertEquals(u32(-128), run("cvt.rzi.s8.f32 %d, %a", "b32", "f32", f(-300))); // sign-extended into .b32
        assertEquals(Long.MAX_VALUE, run("cvt.rzi.s64.f64 %d, %a", "b64", "f64", d(1e19)));
        assertEquals(15_000_000_000_000_000_000.0, Long.toUnsignedString(run("cvt.rzi.u64.f64 %d, %a", "b64", "f64",
                d(1.5e19))).transform(Double::parseDouble));
        assertEquals(-1L, run("cvt.rzi.u64.f64 %d, %a", "b64", "f64", d(1e30)));
        assertEquals(0L, run("cvt.rzi.s64.f64 %d, %a", "b64", "f64", d(Double.NaN)));
    }

    @Test
    void integerToFloatRounding() {
        long big = 16_777_217; // 2^24 + 1: between two floats
        assertEquals(16_777_216f, asF(run("cvt.rn.f32.s32 %d, %a", "f32", "b32", big)));
        assertEquals(16_777_218f, asF(run("cvt.rp.f32.s32 %d, %a", "f32", "b32", big)));
        assertEquals(-16_777_216f, asF(run("cvt.rz.f32.s32 %d, %a", "f32", "b32", u32(-16_777_217))));
        assertEquals(-16_777_218f, asF(run("cvt.rm.f32.s32 %d, %a", "f32", "b32", u32(-16_777_217))));
        assertEquals(4294967295.0, asD(run("cvt.rn.f64.u32 %d, %a", "f64", "b32", 0xffff_ffffL)));
        assertEquals(0x1p64f, asF(run("cvt.rn.f32.u64 %d, %a", "f32", "b64", -1L)));
        assertEquals(Math.nextDown(0x1p64f), asF(run("cvt.rz.f32.u64 %d, %a", "f32", "b64", -1L)));
        assertEquals(-1.0f, asF(run("cvt.rn.f32.s8 %d, %a", "f32", "b16", 0xff)));
        assertThrows(PtxException.class, () -> run("cvt.f32.s32 %d, %a", "f32", "b32", 1));
    }

    @Test
    void floatToFloat() {
        double v = 1.0 + 0x1p-30; // not an f32
        assertEquals(1.0f, asF(run("cvt.rn.f32.f64 %d, %a", "f32", "f64", d(v))));
        assertEquals(Math.nextUp(1.0f), asF(run("cvt.rp.f32.f64 %d, %a", "f32", "f64", d(v))));
        assertEquals(Float.MAX_VALUE, asF(run("cvt.rz.f32.f64 %d, %a", "f32", "f64", d(1e300))));
        assertEquals(Float.POSITIVE_INFINITY, asF(run("cvt.rn.f32.f64 %d, %a", "f32", "f64", d(1e300))));
        assertEquals(0.1f, asD(run("cvt.f64.f32 %d, %a", "f64", "f32", f(0.1f))), 0.0);
        assertEquals(2.0f, asF(run("cvt.rni.f32.f32 %d, %a", "f32", "f32", f(2.5f))));
        assertEquals(-3.0f, asF(run("cvt.rmi.f32.f32 %d, %a", "f32", "f32", f(-2.5f))));
        assertEquals(1.0f, asF(run("cvt.sat.f32.f32 %d, %a", "f32", "f32", f(7f))));
        assertEquals(0.0f, asF(run("cvt.sat.f32.f32 %d, %a", "f32", "f32", f(Float.NaN))));
        assertEquals(0.0f, asF(run("cvt.ftz.f32.f32 %d, %a", "f32", "f32", f(Float.MIN_VALUE))));
        assertEquals(-3.0, asD(run("cvt.rzi.f64.f64 %d, %a", "f64", "f64", d(-3.9))));
        // a rounding modifier on an exact conversion is illegal
        assertThrows(PtxException.class, () -> run("cvt.rn.f64.f32 %d, %a", "f64", "f32", f(1)));
    }

    @Test
    void halfPrecisionTiesToEven() {
        // 1 + 2^-11 lies exactly between 1 and 1 + 2^-10: ties go to the even 1.0 (0x3c00)
        assertEquals(0x3c00L, run("cvt.rn.f16.f32 %d, %a", "b16", "f32", f(1 + 0x1p-11f)));
        // 1 + 3 * 2^-11 lies between 1 + 2^-10 (odd) and 1 + 2^-9 (even, 0x3c02)
        assertEquals(0x3c02L, run("cvt.rn.f16.f32 %d, %a", "b16", "f32", f(1 + 3 * 0x1p-11f)));
        assertEquals(0x3c01L, run("cvt.rp.f16.f32 %d, %a", "b16", "f32", f(1 + 0x1p-11f)));
        assertEquals(0x7bffL, run("cvt.rn.f16.f32 %d, %a", "b16", "f32", f(65519f))); // 65504, the largest
        assertEquals(0x7c00L, run("cvt.rn.f16.f32 %d, %a", "b16", "f32", f(65520f))); // rounds to infinity
        assertEquals(0x7bffL, run("cvt.rz.f16.f32 %d, %a", "b16", "f32", f(1e6f)));
        assertEquals(0x7bffL, run("cvt.rn.satfinite.f16.f32 %d, %a", "b16", "f32", f(1e6f)));
        assertEquals(0x0000L, run("cvt.rn.f16.f32 %d, %a", "b16", "f32", f(0x1p-25f))); // tie between 0 and 2^-24
        assertEquals(0x0001L, run("cvt.rn.f16.f32 %d, %a", "b16", "f32", f(0x1.8p-25f)));
        assertEquals(0x7fffL, run("cvt.rn.f16.f32 %d, %a", "b16", "f32", f(Float.NaN)));
        assertEquals(0x0000L, run("cvt.rn.relu.f16.f32 %d, %a", "b16", "f32", f(-3f)));
        assertEquals(0x1p-24f, asF(run("cvt.f32.f16 %d, %a", "f32", "b16", 0x0001)));
        assertEquals(-2.0f, asF(run("cvt.f32.f16 %d, %a", "f32", "b16", 0xc000)));
        assertEquals(Float.POSITIVE_INFINITY, asF(run("cvt.f32.f16 %d, %a", "f32", "b16", 0x7c00)));
    }

    @Test
    void bfloat16TiesToEven() {
        // bf16 keeps 8 significant bits: 1 + 2^-8 is a tie between 1.0 (0x3f80) and 1 + 2^-7 (odd)
        assertEquals(0x3f80L, run("cvt.rn.bf16.f32 %d, %a", "b16", "f32", f(1 + 0x1p-8f)));
        assertEquals(0x3f82L, run("cvt.rn.bf16.f32 %d, %a", "b16", "f32", f(1 + 3 * 0x1p-8f)));
        assertEquals(0x3f81L, run("cvt.rz.bf16.f32 %d, %a", "b16", "f32", f(1 + 3 * 0x1p-8f)));
        assertEquals(0xbf81L, run("cvt.rz.bf16.f32 %d, %a", "b16", "f32", f(-(1 + 3 * 0x1p-8f)))); // rz truncates
        assertEquals(0x7f80L, run("cvt.rn.bf16.f32 %d, %a", "b16", "f32", f(Float.MAX_VALUE)));
        assertEquals(0x7f7fL, run("cvt.rn.satfinite.bf16.f32 %d, %a", "b16", "f32", f(Float.MAX_VALUE)));
        assertEquals(1.5f, asF(run("cvt.f32.bf16 %d, %a", "f32", "b16", 0x3fc0)));
        // the nvcc idiom for bf16 -> f32: place the 16 bits in the upper half
        assertEquals(1.5f, asF(run(".reg .b16 %h; cvt.u16.u32 %h, %a; mov.b32 %d, {0, %h};", "f32", "b32", 0x3fc0)));
    }

    @Test
    void packedPairConversionPutsTheFirstSourceHigh() {
        long r = run("cvt.rn.f16x2.f32 %d, %a, %b", "b32", "f32", f(1.0f), f(-2.0f));
        assertEquals(0x3c00_c000L, r);
        long rb = run("cvt.rn.bf16x2.f32 %d, %a, %b", "b32", "f32", f(1.0f), f(-2.0f));
        assertEquals(0x3f80_c000L, rb);
    }

    @Test
    void integerToInteger() {
        assertEquals(u32(-1), run("cvt.s32.s8 %d, %a", "b32", "b16", 0x00ff));
        assertEquals(0xffL, run("cvt.u32.u8 %d, %a", "b32", "b16", 0x00ff));
        assertEquals(127L, run("cvt.sat.s8.s32 %d, %a", "b32", "b32", 300));
        assertEquals(u32(-128), run("cvt.sat.s8.s32 %d, %a", "b32", "b32", u32(-300)));
        assertEquals(0L, run("cvt.sat.u8.s32 %d, %a", "b32", "b32", u32(-5)));
        assertEquals(0x5678L, run("cvt.u16.u32 %d, %a", "b16", "b32", 0x1234_5678L));
        assertEquals(-5L, run("cvt.s64.s32 %d, %a", "b64", "b32", u32(-5)));
        assertEquals(0xffff_fffbL, run("cvt.u64.u32 %d, %a", "b64", "b32", u32(-5)));
        assertEquals(0x7fff_ffffL, run("cvt.sat.s32.u32 %d, %a", "b32", "b32", 0xffff_ffffL));
        assertEquals(0xffff_ffffL, run("cvt.sat.u32.s64 %d, %a", "b32", "b64", 1L << 40));
        assertEquals(0L, run("cvt.sat.u32.s64 %d, %a", "b32", "b64", -7L));
        assertEquals(0x7fff_ffff_ffff_ffffL, run("cvt.sat.s64.u64 %d, %a", "b64", "b64", -1L));
    }

    @Test
    void halfArithmetic() {
        // 1 + 2^-11 is not an f16, so add rounds (ties to even) to 1.0
        long one = 0x3c00;
        long tiny = 0x1001; // 2^-11 * (1 + 2^-10): just above the tie
        assertEquals(0x3c01L, run("add.f16 %d, %a, %b", "b16", "b16", one, tiny));
        assertEquals(0x3c00L, run("add.f16 %d, %a, %b", "b16", "b16", one, 0x1000)); // exactly the tie
        assertEquals(0x4000L, run("mul.f16 %d, %a, %b", "b16", "b16", one, 0x4000));
        assertEquals(0x4200L, run("fma.rn.f16 %d, %a, %b, %c", "b16", "b16", 0x3c00, 0x4000, 0x3c00)); // 1*2+1 = 3
        assertEquals(0x3c00L, run("add.sat.f16 %d, %a, %b", "b16", "b16", 0x4000, 0x4000));
        assertEquals(0x0000L, run("fma.rn.relu.f16 %d, %a, %b, %c", "b16", "b16", 0xbc00, 0x4000, 0x3c00));
        assertEquals(0xbc00L, run("neg.f16 %d, %a", "b16", "b16", 0x3c00));
        assertEquals(0x3c00L, run("min.f16 %d, %a, %b", "b16", "b16", 0x7e00, 0x3c00)); // NaN ignored
        assertEquals(0x7fffL, run("min.NaN.f16 %d, %a, %b", "b16", "b16", 0x7e00, 0x3c00));
        // packed: lane 0 in the low half
        assertEquals(0x4000_4200L, run("add.f16x2 %d, %a, %b", "b32", "b32", 0x3c00_3c00L, 0x3c00_4000L));
        // bf16: 1 + 2^-9 is below half an ulp of 1.0, so the sum stays 1.0
        assertEquals(0x3f80L, run("add.rn.bf16 %d, %a, %b", "b16", "b16", 0x3f80, 0x3b00));
        assertEquals(0x4040L, run("fma.rn.bf16 %d, %a, %b, %c", "b16", "b16", 0x3f80, 0x4000, 0x3f80));
        assertEquals(1L, run("setp.lt.f16 %d, %a, %b", "pred", "b16", 0x3c00, 0x4000));
        assertEquals(0L, run("setp.lt.f16 %d, %a, %b", "pred", "b16", 0x7e00, 0x4000));
    }
}
