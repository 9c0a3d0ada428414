package dev.tessera.ir.loop;

/**
 * Scalar semantics of loop IR shared by the interpreter's nodes: what every target computes, pinned down where
 * C and Java differ (integer division by zero, NaN in min/max, float to integer conversion).
 */
final class ScalarMath {

    private ScalarMath() {}


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

    /** The error function: the reference's own, so that the loop and graph levels agree on erf and gelu. */
    static double erf(double x) {
        return dev.tessera.ir.interp.Erf.erf(x);
    }
}
