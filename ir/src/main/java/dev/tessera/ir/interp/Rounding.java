package dev.tessera.ir.interp;

import dev.tessera.ir.DType;

/** Rounds an exact (f64) value to the nearest value a dtype can hold, as a store to that dtype does. */
public final class Rounding {

    private Rounding() {}

    public static double round(DType dtype, double v) {
        return switch (dtype) {
            case F64 -> v;
            case F32 -> (float) v;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16((float) v));
            case BF16 -> bf16ToFloat(floatToBf16((float) v));
            case I32 -> toI32(v);
            case BOOL -> v != 0 ? 1 : 0;
        };
    }

    /** Float to int conversion as the targets do it: truncation toward zero, NaN to 0, saturating. */
    public static double toI32(double v) {
        if (Double.isNaN(v)) {
            return 0;
        }
        return (int) v;
    }

    /** Wraps an exact integer result to 32 bits (two's complement), as i32 arithmetic on every target does. */
    public static double wrapI32(double v) {
        return (int) (long) v;
    }

    /** bf16 bits of a float, rounding to nearest even (NaN stays a quiet NaN). */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int lsb = (bits >>> 16) & 1;
        int rounded = bits + 0x7FFF + lsb;
        return (short) (rounded >>> 16);
    }

    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }
}
