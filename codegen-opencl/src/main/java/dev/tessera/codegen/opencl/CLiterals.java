package dev.tessera.codegen.opencl;

import java.math.BigDecimal;

/**
 * Literals whose C value is exactly the IR value. A float is written in decimal only when that decimal is
 * the float's exact binary value (so no parser rounding is involved), otherwise as a C99 hex float,
 * which is exact by construction, with the shortest round-tripping decimal beside it in a comment.
 */
final class CLiterals {

    /** Longest exact decimal expansion still written as decimal; longer ones read better as hex. */
    private static final int MAX_DECIMAL_CHARS = 12;

    private CLiterals() {}

    /** An f32 literal of the float nearest to {@code value}. */
    static String f32(double value) {
        float f = (float) value;
        if (Float.isNaN(f)) {
            return "NAN";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "INFINITY" : "(-INFINITY)";
        }
        String text = exactDecimal(f);
        if (text == null) {
            text = Float.toHexString(Math.abs(f)) + "f /* " + Float.toString(Math.abs(f)) + " */";
        } else {
            text = text + "f";
        }
        return negative(f) ? "(-" + text + ")" : text;
    }

    /** An f64 literal of exactly {@code value}. */
    static String f64(double d) {
        if (Double.isNaN(d)) {
            return "((double)NAN)";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "((double)INFINITY)" : "(-(double)INFINITY)";
        }
        String text = exactDecimal(d);
        if (text == null) {
            text = Double.toHexString(Math.abs(d)) + " /* " + Double.toString(Math.abs(d)) + " */";
        }
        return negative(d) ? "(-" + text + ")" : text;
    }

    /** An i32 literal; the most negative value cannot be written directly (2147483648 is not an int). */
    static String i32(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("i32 literal out of range: " + v);
        }
        if (v == Integer.MIN_VALUE) {
            return "(-2147483647 - 1)";
        }
        return v < 0 ? "(" + v + ")" : Long.toString(v);
    }

    static String i64(long v) {
        if (v == Long.MIN_VALUE) {
            return "(-9223372036854775807L - 1L)";
        }
        return v < 0 ? "(" + v + "L)" : v + "L";
    }

    private static boolean negative(double d) {
        return Double.doubleToRawLongBits(d) < 0;
    }

    /** The exact decimal of |d| if it is short, with a '.' so C reads it as floating; null otherwise. */
    private static String exactDecimal(double d) {
        String plain = new BigDecimal(Math.abs(d)).toPlainString();
        if (!plain.contains(".")) {
            plain = plain + ".0";
        }
        return plain.length() <= MAX_DECIMAL_CHARS ? plain : null;
    }
}
