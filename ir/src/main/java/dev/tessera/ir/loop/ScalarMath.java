package dev.tessera.ir.loop;

/**
 * Scalar semantics of loop IR shared by the interpreter's nodes: what every target computes, pinned down where
 * C and Java differ (integer division by zero, NaN in min/max, float to integer conversion).
 */
final class ScalarMath {

    private ScalarMath() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    /**
     * Loop IR's min: a NaN operand gives NaN, as the reference computes; backends whose native min drops
     * NaNs (OpenCL {@code fmin}, PTX {@code min.f32}) must emit the propagating form.
     */
    static double fmin(double a, double b) {
        return Math.min(a, b);
    }

    static double fmax(double a, double b) {
        return Math.max(a, b);
    }

    /** Integer division truncating toward zero; division by zero gives 0 rather than trapping. */
    static long div(long a, long b) {
        return b == 0 ? 0 : a / b;
    }

    static long rem(long a, long b) {
        return b == 0 ? 0 : a % b;
    }

    /** Float to integer as the targets convert: truncation toward zero, NaN to 0, saturating at the ends. */
    static long toI32(double v) {
        return (int) v; // Java's narrowing is exactly that: NaN -> 0, saturating.
    }

    static long toI64(double v) {
        return (long) v;
    }

    /** A unary math function in double precision (the f32 caller rounds the result). */
    static double math(LUnOp op, double x) {
        return switch (op) {
            case EXP -> StrictMath.exp(x);
            case LOG -> StrictMath.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case TANH -> StrictMath.tanh(x);
            case ERF -> erf(x);
            case ABS -> Math.abs(x);
            case NEG -> -x;
            case NOT -> throw new IllegalArgumentException("not on a float");
            case ROUND_F16 -> dev.tessera.ir.interp.Rounding.round(dev.tessera.ir.DType.F16, x);
            case ROUND_BF16 -> dev.tessera.ir.interp.Rounding.round(dev.tessera.ir.DType.BF16, x);
        };
    }

    /**
     * The error function within 3 units in the last place of double (checked against a 90-digit series in the
     * tests): below 1.25 its Maclaurin series, whose terms fall fast there so little cancels; above, 1 - erfc
     * with erfc from its continued fraction, which converges quickly there; beyond 6, erf is 1 in double.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        double r;
        if (ax < 1.25) {
            // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
            double x2 = ax * ax;
            double power = ax;
            double sum = ax;
            for (int n = 1; n < 60; n++) {
                power = -power * x2 / n;
                double term = power / (2 * n + 1);
                sum += term;
                if (Math.abs(term) <= sum * 1e-18) {
                    break;
                }
            }
            r = TWO_OVER_SQRT_PI * sum;
        } else if (ax < 6) {
            r = 1 - erfc(ax);
        } else {
            r = 1;
        }
        return Math.copySign(r, x);
    }

    /**
     * erfc for x >= 1.25 from its continued fraction
     * {@code erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...)))))},
     * evaluated from the tail.
     */
    private static double erfc(double x) {
        double tail = x;
        for (int n = 150; n >= 1; n--) {
            tail = x + (n / 2.0) / tail;
        }
        return ONE_OVER_SQRT_PI * StrictMath.exp(-x * x) / tail;
    }
}
