package dev.tessera.codegen.ptx;

/**
 * Immediate operands whose value is exactly the IR's. Floats are written as their IEEE bits
 * ({@code 0f3F800000}, {@code 0d3FF0000000000000}), so no decimal parsing, and no rounding, is involved.
 */
final class PtxLiterals {

    private PtxLiterals() {}

    /** The f32 nearest to {@code value}, as PTX's {@code 0f} hex form. */
    static String f32(double value) {
        return f32Bits(Float.floatToRawIntBits((float) value));
    }

    static String f32Bits(int bits) {
        return String.format("0f%08X", bits);
    }

    static String f64(double value) {
        return f64Bits(Double.doubleToRawLongBits(value));
    }

    static String f64Bits(long bits) {
        return String.format("0d%016X", bits);
    }

    /** An i32 immediate; out-of-range values are a bug in the IR, not something to wrap silently. */
    static String i32(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("i32 literal out of range: " + v);
        }
        return Long.toString(v);
    }

    /** An i64 immediate; the most negative value in hex, since its decimal magnitude is no 64-bit literal. */
    static String i64(long v) {
        return v == Long.MIN_VALUE ? "0x8000000000000000" : Long.toString(v);
    }

    /** The value of an integer immediate written by {@link #i32} or {@link #i64}. */
    static long value(Val immediate) {
        String t = immediate.text();
        return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
    }
}
