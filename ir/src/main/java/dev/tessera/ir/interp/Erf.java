package dev.tessera.ir.interp;

/**
 * The error function and its complement to about 1e-15 absolute (erfc also to a few ulps relative in its
 * tail), for the reference interpreter, where the oracle must be far more accurate than any device.
 *
 * <p>Two regimes, each used where it has no cancellation: the alternating Maclaurin series below 1.25, and the
 * Laplace continued fraction for erfc beyond. The threshold and the fraction's depth hold erf within 3 ulps of
 * a 90-digit evaluation over (0, 6] (ErfTest, LoopInterpreterTest).
 */
public final class Erf {

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    /** Depth of the continued fraction; converged below 1e-18 from x = 1.25 on. */
    private static final int CF_TERMS = 150;

    private Erf() {}

    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r;
        if (a == 0) {
            return x; // keeps the sign of -0.0
        } else if (a < 1.25) {
            r = maclaurin(a);
        } else if (a < 6) {
            r = 1 - erfcTail(a);
        } else {
            r = 1; // erfc(6) < 2.2e-17, below half an ulp of 1
        }
        return Math.copySign(r, x);
    }

    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return 2 - erfc(-x);
        }
        return x < 1.25 ? 1 - erf(x) : erfcTail(x);
    }

    /** Alternating series; the terms shrink from the first, so rounding stays near one ulp. */
    private static double maclaurin(double x) {
        double x2 = x * x;
        double power = x;
        double sum = x;
        for (int n = 1; n < 60; n++) {
            power *= -x2 / n;
            double term = power / (2 * n + 1);
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /** erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the back. */
    private static double erfcTail(double x) {
        double f = x;
        for (int k = CF_TERMS; k >= 1; k--) {
            f = x + (k * 0.5) / f;
        }
        return ONE_OVER_SQRT_PI * expMinusSquare(x) / f;
    }

    /** e^(-x²) with the rounding error of x² restored (x² = hi + lo exactly, e^(-lo) ≈ 1 - lo). */
    private static double expMinusSquare(double x) {
        double hi = x * x;
        double lo = Math.fma(x, x, -hi);
        return Math.exp(-hi) * (1 - lo);
    }
}
