package dev.tessera.codegen.ptx;

import static dev.tessera.codegen.ptx.FloatMathModel.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.interp.Erf;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Bounds the error of the math the PTX backend emits, by running the same algorithms with the same
 * constants in Java ({@link FloatMathModel}) against the reference's functions. The bounds asserted here are
 * the ones docs/ptx.md states. Errors are in units in the last place of the correctly rounded result.
 */
class FloatMathModelTest {

    private static final int SAMPLES = 400_000;

    @Test
    void reductionConstantsAreWhatTheyClaim() {
        // ln 2 to 40 digits, from its series definition, checked independently of the doubles.
        BigDecimal ln2 = new BigDecimal("0.6931471805599453094172321214581765680755");
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal hiLoF = new BigDecimal(MathTables.LN2_HI_F).add(new BigDecimal(MathTables.LN2_LO_F), mc);
        assertTrue(hiLoF.subtract(ln2).abs().doubleValue() < 5e-12, "f32 split of ln 2");
        BigDecimal hiLoD = new BigDecimal(MathTables.LN2_HI_D).add(new BigDecimal(MathTables.LN2_LO_D), mc);
        assertTrue(hiLoD.subtract(ln2).abs().doubleValue() < 1e-22, "f64 split of ln 2: " + hiLoD.subtract(ln2));
        // The high parts times any exponent the routines meet must be exact: few significant bits.
        assertTrue(Integer.numberOfTrailingZeros(Float.floatToRawIntBits(MathTables.LN2_HI_F)) >= 12);
        assertTrue(Long.numberOfTrailingZeros(Double.doubleToRawLongBits(MathTables.LN2_HI_D)) >= 32);
    }

    @Test
    void seriesCoefficientsMatchTheirClosedForms() {
        double[] t = MathTables.TANH_F64;
        assertEquals(1, t[0]);
        assertEquals(-1.0 / 3, t[1], 1e-17);
        assertEquals(2.0 / 15, t[2], 1e-17);
        assertEquals(-17.0 / 315, t[3], 1e-17);
        assertEquals(62.0 / 2835, t[4], 1e-17);
        assertEquals(-1382.0 / 155925, t[5], 1e-17);
        double[] e = MathTables.ERF_F64;
        assertEquals(2 / Math.sqrt(Math.PI), e[0], 1e-16);
        assertEquals(-2 / Math.sqrt(Math.PI) / 3, e[1], 1e-16);
        assertEquals(2 / Math.sqrt(Math.PI) / 10, e[2], 1e-16);
        assertEquals(1.0 / 3, MathTables.LOG_F64[0]);
        assertEquals(1.0 / 23, MathTables.LOG_F64[10]);
        assertEquals(1.0 / 6227020800.0, MathTables.EXP_F64[13], 1e-25);
    }

    @Test
    void exp32WithinOneUlpPlusTheInstruction() {
        double worst = worstF32(x -> exp32((float) x), StrictMath::exp, -110, 95);
        assertTrue(worst <= 1.0, "exp f32 error " + worst + " ulp");
        assertEquals(0f, exp32(-200f));
        assertEquals(Float.POSITIVE_INFINITY, exp32(100f));
        assertEquals(Float.POSITIVE_INFINITY, exp32(Float.POSITIVE_INFINITY));
        assertEquals(0f, exp32(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(exp32(Float.NaN)));
        assertEquals(1f, exp32(0f));
    }

    @Test
    void exp64WithinTwoUlp() {
        double worst = worstF64(FloatMathModel::exp64, StrictMath::exp, -750, 712);
        assertTrue(worst <= 2.0, "exp f64 error " + worst + " ulp");
        assertEquals(0.0, exp64(-800));
        assertEquals(Double.POSITIVE_INFINITY, exp64(800));
        assertTrue(Double.isNaN(exp64(Double.NaN)));
        assertEquals(1.0, exp64(0));
    }

    @Test
    void log32WithinTwoUlpOverEveryExponent() {
        double worst = worstPositiveF32(x -> log32((float) x), StrictMath::log);
        assertTrue(worst <= 2.0, "log f32 error " + worst + " ulp");
        assertEquals(Float.NEGATIVE_INFINITY, log32(0f));
        assertEquals(Float.NEGATIVE_INFINITY, log32(-0f));
        assertEquals(Float.POSITIVE_INFINITY, log32(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(log32(-1f)));
        assertTrue(Float.isNaN(log32(Float.NaN)));
        assertEquals(0f, log32(1f));
    }

    @Test
    void log64WithinTwoUlpOverEveryExponent() {
        double worst = worstPositiveF64(FloatMathModel::log64, StrictMath::log);
        assertTrue(worst <= 2.0, "log f64 error " + worst + " ulp");
        assertEquals(Double.NEGATIVE_INFINITY, log64(0));
        assertTrue(Double.isNaN(log64(-1e-300)));
        assertEquals(0.0, log64(1));
    }

    @Test
    void tanhWithinAFewUlp() {
        double w32 = worstF32(x -> tanh32((float) x), StrictMath::tanh, -12, 12);
        assertTrue(w32 <= 3.0, "tanh f32 error " + w32 + " ulp");
        double w64 = worstF64(FloatMathModel::tanh64, StrictMath::tanh, -25, 25);
        assertTrue(w64 <= 4.0, "tanh f64 error " + w64 + " ulp");
        assertEquals(1f, tanh32(Float.POSITIVE_INFINITY));
        assertEquals(-1.0, tanh64(Double.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(tanh32(Float.NaN)));
        assertTrue(Double.isNaN(tanh64(Double.NaN)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(tanh32(-0f)));
    }

    @Test
    void erfWithinAFewUlp() {
        double w32 = worstF32(x -> erf32((float) x), Erf::erf, -6, 6);
        assertTrue(w32 <= 5.0, "erf f32 error " + w32 + " ulp");
        double w64 = worstF64(FloatMathModel::erf64, Erf::erf, -7, 7);
        assertTrue(w64 <= 16.0, "erf f64 error " + w64 + " ulp");
        assertEquals(1f, erf32(Float.POSITIVE_INFINITY));
        assertEquals(-1.0, erf64(Double.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(erf32(Float.NaN)));
        assertTrue(Double.isNaN(erf64(Double.NaN)));
    }

    @Test
    void fmodIsExactForEveryKindOfOperand() {
        SplittableRandom r = new SplittableRandom(3);
        float[] specialF = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 0x1p-126f, Float.MAX_VALUE, 1f, -1f, 3f, 0.1f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (float a : specialF) {
            for (float b : specialF) {
                assertSameF(a % b, fmod32(a, b), a, b);
            }
        }
        double[] specialD = {0, -0.0, Double.MIN_VALUE, 0x1p-1022, Double.MAX_VALUE, 1, -7.5, 0.1,
            Double.POSITIVE_INFINITY, Double.NaN};
        for (double a : specialD) {
            for (double b : specialD) {
                assertSameD(a % b, fmod64(a, b), a, b);
            }
        }
        for (int i = 0; i < SAMPLES; i++) {
            float a = Float.intBitsToFloat(r.nextInt());
            float b = i % 3 == 0 ? Float.intBitsToFloat(r.nextInt()) : (float) r.nextDouble(-10, 10);
            assertSameF(a % b, fmod32(a, b), a, b);
            double c = Double.longBitsToDouble(r.nextLong());
            double d = i % 3 == 0 ? Double.longBitsToDouble(r.nextLong()) : r.nextDouble(-1e3, 1e3);
            assertSameD(c % d, fmod64(c, d), c, d);
        }
    }

    // measurement

    /** Worst error in f32 ulp over uniform samples of [lo, hi] and its grid points. */
    private static double worstF32(DoubleUnaryOperator model, DoubleUnaryOperator exact, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(1);
        double worst = 0;
        for (int i = 0; i < SAMPLES; i++) {
            float x = i % 2 == 0 ? (float) r.nextDouble(lo, hi) : (float) (lo + (hi - lo) * i / SAMPLES);
            worst = Math.max(worst, ulpErrorF32(model.applyAsDouble(x), exact.applyAsDouble(x)));
        }
        return worst;
    }

    private static double worstF64(DoubleUnaryOperator model, DoubleUnaryOperator exact, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(2);
        double worst = 0;
        for (int i = 0; i < SAMPLES; i++) {
            double x = i % 2 == 0 ? r.nextDouble(lo, hi) : lo + (hi - lo) * i / SAMPLES;
            worst = Math.max(worst, ulpErrorF64(model.applyAsDouble(x), exact.applyAsDouble(x)));
        }
        return worst;
    }

    /** Over positive floats of every exponent, subnormals included (random bit patterns). */
    private static double worstPositiveF32(DoubleUnaryOperator model, DoubleUnaryOperator exact) {
        SplittableRandom r = new SplittableRandom(4);
        double worst = 0;
        for (int i = 0; i < SAMPLES; i++) {
            float x = Float.intBitsToFloat(r.nextInt(1, 0x7F80_0000));
            worst = Math.max(worst, ulpErrorF32(model.applyAsDouble(x), exact.applyAsDouble(x)));
        }
        return worst;
    }

    private static double worstPositiveF64(DoubleUnaryOperator model, DoubleUnaryOperator exact) {
        SplittableRandom r = new SplittableRandom(5);
        double worst = 0;
        for (int i = 0; i < SAMPLES; i++) {
            double x = Double.longBitsToDouble(r.nextLong(1, 0x7FF0_0000_0000_0000L));
            worst = Math.max(worst, ulpErrorF64(model.applyAsDouble(x), exact.applyAsDouble(x)));
        }
        return worst;
    }

    /** Against the exact value; where that rounds to an f32 infinity, the result must be that infinity. */
    private static double ulpErrorF32(double got, double exact) {
        float rounded = (float) exact;
        if (Float.isNaN(rounded) || Float.isInfinite(rounded) || Double.isInfinite(got)) {
            return got == rounded || (Double.isNaN(got) && Float.isNaN(rounded)) ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - exact) / Math.ulp(rounded);
    }

    private static double ulpErrorF64(double got, double exact) {
        if (Double.isNaN(exact) || Double.isInfinite(exact) || Double.isInfinite(got)) {
            return got == exact || (Double.isNaN(got) && Double.isNaN(exact)) ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - exact) / Math.ulp(exact);
    }

    private static void assertSameF(float expected, float got, float a, float b) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got), () -> a + " % " + b);
    }

    private static void assertSameD(double expected, double got, double a, double b) {
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(got), () -> a + " % " + b);
    }
}
