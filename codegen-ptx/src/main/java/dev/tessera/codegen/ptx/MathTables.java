package dev.tessera.codegen.ptx;

/**
 * The constants and polynomial coefficients of the emitted math routines ({@link FloatMath}), computed here
 * from their definitions rather than typed in, so that each can be checked against what it claims to be.
 * The tests evaluate the same algorithms with these tables in Java and bound their error.
 */
final class MathTables {

    private MathTables() {}

    static final double LOG2E = 1.4426950408889634;
    static final double LN2 = 0.6931471805599453;
    static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    /**
     * ln 2 split in two for Cody-Waite range reduction: the high part has few enough significant bits that
     * its product with any exponent the routines meet (|n| < 2^11) is exact, the low part holds the rest.
     */
    static final float LN2_HI_F = Float.intBitsToFloat(Float.floatToRawIntBits((float) LN2) & 0xFFFFF000);
    static final float LN2_LO_F = (float) (LN2 - LN2_HI_F);
    static final double LN2_HI_D = Double.longBitsToDouble(Double.doubleToRawLongBits(LN2) & 0xFFFFFFFF00000000L);
    static final double LN2_LO_D = lowPartOfLn2(LN2_HI_D);

    /** Coefficients 1/k! for k = 0..13: exp(r) on |r| <= ln2/2 to 4e-18 relative. */
    static final double[] EXP_F64 = inverseFactorials(13);

    /**
     * log(m) = 2f + 2f s P(s) with f = (m-1)/(m+1), s = f^2 and P(s) = 1/3 + s/5 + s^2/7 + ...; for m in
     * [sqrt(1/2), sqrt(2)) |f| <= 0.1716 and s <= 0.0295. Four terms leave 2e-9 relative (f32), eleven 1e-18 (f64).
     */
    static final double[] LOG_F32 = oddReciprocals(4);
    static final double[] LOG_F64 = oddReciprocals(11);

    /** Taylor coefficients of tanh x, x^1 to x^15 (f32, used below 0.55) and to x^25 (f64, below 0.3). */
    static final double[] TANH_F32 = tanhTaylor(8);
    static final double[] TANH_F64 = tanhTaylor(13);
    static final double TANH_SMALL_F32 = 0.55;
    static final double TANH_SMALL_F64 = 0.3;

    /** erf x = x * sum c_n x^(2n), c_n = (2/sqrt(pi)) (-1)^n / (n! (2n+1)): 16 terms below 1.5 (f32), 34 below 2 (f64). */
    static final double[] ERF_F32 = erfTaylor(16);
    static final double[] ERF_F64 = erfTaylor(34);
    static final double ERF_SERIES_F32 = 1.5;
    static final double ERF_SERIES_F64 = 2.0;
    /** Terms of erfc's continued fraction above the series' range; 16 give 2e-6 relative at 1.5, 64 give 1e-16 at 2. */
    static final int ERF_CF_TERMS_F32 = 16;
    static final int ERF_CF_TERMS_F64 = 64;
    /** Where erf is 1 to the precision: erfc(4.5) = 2e-10 (f32), erfc(6) = 2e-17 (f64). */
    static final double ERF_ONE_F32 = 4.5;
    static final double ERF_ONE_F64 = 6.0;

    private static double lowPartOfLn2(double hi) {
        // ln 2 - hi to double precision: hi is ln2 with its last 32 bits cleared, so the difference of the
        // double nearest ln 2 and hi is exact, and the remaining error (ln 2 - LN2) is added from a longer value.
        double ln2Tail = 2.3190468138462996e-17; // ln 2 - LN2, with LN2 the double nearest ln 2
        return (LN2 - hi) + ln2Tail;
    }

    private static double[] inverseFactorials(int degree) {
        double[] c = new double[degree + 1];
        double f = 1;
        for (int k = 0; k <= degree; k++) {
            if (k > 0) {
                f *= k;
            }
            c[k] = 1 / f;
        }
        return c;
    }

    private static double[] oddReciprocals(int n) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = 1.0 / (2 * i + 3);
        }
        return c;
    }

    /**
     * tanh' = 1 - tanh^2 gives the coefficients a_(2n+1) of x^(2n+1):
     * a_1 = 1, a_(2n+1) = -(1/(2n+1)) * sum over odd i + j = 2n of a_i a_j. Returned as a_1, a_3, ...
     */
    static double[] tanhTaylor(int terms) {
        double[] a = new double[2 * terms];
        a[1] = 1;
        for (int n = 1; n < terms; n++) {
            double sum = 0;
            for (int i = 1; i < 2 * n; i += 2) {
                sum += a[i] * a[2 * n - i];
            }
            a[2 * n + 1] = -sum / (2 * n + 1);
        }
        double[] odd = new double[terms];
        for (int n = 0; n < terms; n++) {
            odd[n] = a[2 * n + 1];
        }
        return odd;
    }

    static double[] erfTaylor(int terms) {
        double[] c = new double[terms];
        double factorial = 1;
        for (int n = 0; n < terms; n++) {
            if (n > 0) {
                factorial *= n;
            }
            c[n] = 2 * ONE_OVER_SQRT_PI * (n % 2 == 0 ? 1 : -1) / (factorial * (2 * n + 1));
        }
        return c;
    }
}
