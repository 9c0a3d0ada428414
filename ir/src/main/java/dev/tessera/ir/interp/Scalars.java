package dev.tessera.ir.interp;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.UnaryOp;

/**
 * The meaning of every elementwise op on one element, shared by the reference interpreter and constant
 * folding so that folding never changes a result. Floats are computed in f64 without rounding to their
 * dtype; i32 is computed exactly and wrapped to 32 bits (two's complement) as every target's integers do.
 *
 * <p>Choices the targets disagree on, fixed here: i32 division truncates toward zero and i32 division or
 * remainder by zero gives 0 (C leaves it undefined; a device must not trap); {@code mod} is the truncated
 * remainder with the dividend's sign (C {@code fmod} / {@code %}); max and min propagate NaN.
 */
public final class Scalars {

    private static final double SQRT_HALF = 0.7071067811865476;

    private Scalars() {}

    /** {@code op x}, where {@code dtype} is the operand's (and result's) element type. */
    public static double unary(UnaryOp op, DType dtype, double x) {
        if (dtype == DType.I32) {
            long v = (long) x;
            return switch (op) {
                case NEG -> (int) -v;
                case ABS -> (int) Math.abs(v);
                case RELU -> Math.max(v, 0);
                // not reachable for well-typed IR; the float meaning keeps the interpreter total
                default -> unaryFloat(op, x);
            };
        }
        return unaryFloat(op, x);
    }

    private static double unaryFloat(UnaryOp op, double x) {
        return switch (op) {
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case RELU -> Double.isNaN(x) ? x : Math.max(x, 0.0);
            // 0.5·x·(1 + erf(x/√2)), written with erfc so that the negative tail keeps its relative accuracy
            case GELU -> 0.5 * x * Erf.erfc(-x * SQRT_HALF);
            case ERF -> Erf.erf(x);
            case ABS -> Math.abs(x);
            case NEG -> -x;
            case NOT -> x == 0 ? 1 : 0;
        };
    }

    /** {@code a op b}, where {@code dtype} is the operands' element type (comparisons give 0 or 1). */
    public static double binary(BinaryOp op, DType dtype, double a, double b) {
        if (dtype == DType.I32) {
            return binaryI32(op, (long) a, (long) b);
        }
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MOD -> a % b; // Java's double % is C fmod
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case LT -> bool(a < b);
            case LE -> bool(a <= b);
            case GT -> bool(a > b);
            case GE -> bool(a >= b);
            case EQ -> bool(a == b);
            case NE -> bool(a != b);
            case AND -> bool(a != 0 && b != 0);
            case OR -> bool(a != 0 || b != 0);
        };
    }

    /** Exact in 64 bits, then wrapped: products of two i32 values need more than a double's 53 bits. */
    private static double binaryI32(BinaryOp op, long a, long b) {
        return switch (op) {
            case ADD -> (int) (a + b);
            case SUB -> (int) (a - b);
            case MUL -> (int) (a * b);
            case DIV -> b == 0 ? 0 : (int) (a / b);
            case MOD -> b == 0 ? 0 : (int) (a % b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case LT -> bool(a < b);
            case LE -> bool(a <= b);
            case GT -> bool(a > b);
            case GE -> bool(a >= b);
            case EQ -> bool(a == b);
            case NE -> bool(a != b);
            case AND -> bool(a != 0 && b != 0);
            case OR -> bool(a != 0 || b != 0);
        };
    }

    /**
     * Conversion as {@code cast} does it: a cast to the operand's own dtype is the identity (a no-op on
     * every device, so the oracle must not round there either); otherwise the value is rounded to {@code to}.
     */
    public static double cast(DType from, DType to, double x) {
        return from == to ? x : Rounding.round(to, x);
    }

    /** A literal as the device holds it: rounded to its dtype. */
    public static double constant(DType dtype, double value) {
        return Rounding.round(dtype, value);
    }

    private static double bool(boolean b) {
        return b ? 1 : 0;
    }
}
