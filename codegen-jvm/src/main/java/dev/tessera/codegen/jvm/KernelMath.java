package dev.tessera.codegen.jvm;

import dev.tessera.ir.interp.Erf;
import dev.tessera.ir.interp.Rounding;

/**
 * Small static helpers that generated kernels call where one bytecode instruction does not give loop IR's
 * meaning; the JIT inlines them. Package-private: hidden kernel classes are defined in this package.
 */
final class KernelMath {

    private KernelMath() {}

    // Loop IR defines x / 0 == 0 and x % 0 == 0 where the JVM throws; INT_MIN / -1 wraps on both.
    static int div(int a, int b) {
        return b == 0 ? 0 : a / b;
    }

    static int rem(int a, int b) {
        return b == 0 ? 0 : a % b;
    }

    static long div(long a, long b) {
        return b == 0 ? 0 : a / b;
    }

    static long rem(long a, long b) {
        return b == 0 ? 0 : a % b;
    }

    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    static short floatToBf16(float f) {
        return Rounding.floatToBf16(f);
    }

    static float roundBf16(float f) {
        return bf16ToFloat(Rounding.floatToBf16(f));
    }

    static float roundF16(float f) {
        return Float.float16ToFloat(Float.floatToFloat16(f));
    }

    /** The reference's erf, so that gelu agrees with the graph interpreter as closely as the f32 rounding allows. */
    static double erf(double x) {
        return Erf.erf(x);
    }

    /** Where a stored bool byte is neither 0 nor 1 (the poison pattern), it reads as true, as in the interpreter. */
    static int boolOf(byte b) {
        return b != 0 ? 1 : 0;
    }

    static IllegalStateException badStep(String loop, long step) {
        return new IllegalStateException("loop " + loop + " has step " + step + "; steps must be positive");
    }

    /** A local-array index of type i64, which must address an element. */
    static int localIndex(long i) {
        return i < 0 || i > Integer.MAX_VALUE ? -1 : (int) i; // -1 makes the array access throw
    }
}
