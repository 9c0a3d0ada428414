package dev.tessera.ptxsim;

import java.math.BigDecimal;

/**
 * Floating-point arithmetic with PTX rounding modes, narrowing conversions (f64/f32 to f32, f16, bf16,
 * tf32) and subnormal flushing, all exact: Java only rounds to nearest, so every directed mode is
 * derived from the exact value or from the exact sign of the rounding error.
 */
final class Fp {

    private Fp() {}

    /** IEEE rounding modes of PTX's .rn/.rz/.rm/.rp and .rna (nearest, ties away from zero). */
    enum Rnd { RN, RZ, RM, RP, RNA }

    static final int CANONICAL_NAN_F32 = 0x7fffffff;
    static final short CANONICAL_NAN_16 = 0x7fff;

    /** Binary formats narrower than f64, by exponent and fraction width. */
    enum Format {
        F32(8, 23), F16(5, 10), BF16(8, 7), TF32(8, 10);

        final int expBits;
        final int fracBits;

        Format(int expBits, int fracBits) {
            this.expBits = expBits;
            this.fracBits = fracBits;
        }
    }

    // ---- flushing and canonical NaNs -------------------------------------------------------------

    /** Flushes an f32 subnormal to a zero of the same sign (.ftz). */
    static float ftz(float x) {
        return Math.abs(x) < Float.MIN_NORMAL && x != 0 ? Math.copySign(0f, x) : x;
    }

    /** Bits of an f32 result, NaNs replaced by the canonical NaN GPUs produce. */
    static long bitsF32(float x) {
        return x != x ? CANONICAL_NAN_F32 : Float.floatToRawIntBits(x) & 0xffffffffL;
    }

    static float f32(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    static double f64(long bits) {
        return Double.longBitsToDouble(bits);
    }

    /** Clamps to [0, 1] with NaN to +0 (.sat on floating-point results). */
    static double saturate(double x) {
        return x != x ? 0.0 : x < 0 ? 0.0 : Math.min(x, 1.0);
    }

    // ---- narrowing ---------------------------------------------------------------------------------

    /** Rounds an f64 (or a widened f32) to {@code fmt} and returns the format's bits. */
    static long narrow(double x, Format fmt, Rnd mode) {
        int signShift = fmt.expBits + fmt.fracBits;
        long maxExp = (1L << fmt.expBits) - 1;
        if (x != x) {
            // canonical NaN of the format: all exponent ones and all fraction ones
            return (maxExp << fmt.fracBits) | ((1L << fmt.fracBits) - 1);
        }
        boolean neg = Double.doubleToRawLongBits(x) < 0;
        long sign = neg ? 1L << signShift : 0;
        double a = Math.abs(x);
        if (Double.isInfinite(a)) {
            return sign | (maxExp << fmt.fracBits);
        }
        if (a == 0) {
            return sign;
        }
        long bits = Double.doubleToRawLongBits(a);
        int dexp = (int) (bits >>> 52);
        long m = bits & ((1L << 52) - 1);
        int e;
        if (dexp == 0) {
            e = -1074;
        } else {
            m |= 1L << 52;
            e = dexp - 1075;
        }
        return sign | roundCore(neg, m, e, fmt.expBits, fmt.fracBits, mode);
    }

    /**
     * Rounds the exact value {@code s + err} (as from an error-free sum, {@code |err|} at most half an
     * ulp of s) to {@code fmt}: the error only acts as a sticky bit below s's last bit.
     */
    static long narrowPair(double s, double err, Format fmt, Rnd mode) {
        if (err == 0 || !Double.isFinite(s) || s == 0) {
            return narrow(s, fmt, mode);
        }
        boolean neg = s < 0;
        long bits = Double.doubleToRawLongBits(Math.abs(s));
        int dexp = (int) (bits >>> 52);
        long m = bits & ((1L << 52) - 1);
        int e;
        if (dexp == 0) {
            e = -1074;
        } else {
            m |= 1L << 52;
            e = dexp - 1075;
        }
        // a quarter-ulp nudge toward the exact value: nothing of the coarse format lies in between
        boolean awayFromZero = (err > 0) != neg;
        long m4 = (m << 2) + (awayFromZero ? 1 : -1);
        long sign = neg ? 1L << (fmt.expBits + fmt.fracBits) : 0;
        return sign | roundCore(neg, m4, e - 2, fmt.expBits, fmt.fracBits, mode);
    }

    /** The exact error of the double sum {@code s = a + b} (Knuth's TwoSum). */
    static double twoSumError(double a, double b, double s) {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    /** f64 → f32 with any rounding mode. */
    static float f64ToF32(double x, Rnd mode) {
        return mode == Rnd.RN ? (float) x : Float.intBitsToFloat((int) narrow(x, Format.F32, mode));
    }

    /** An unsigned 64-bit integer (or a signed one, {@code signed}) rounded to a format narrower than f64. */
    static long intToFormat(long v, boolean signed, Format fmt, Rnd mode) {
        boolean neg = signed && v < 0;
        long mag = neg ? -v : v; // Long.MIN_VALUE stays 2^63 when read unsigned
        long sign = neg ? 1L << (fmt.expBits + fmt.fracBits) : 0;
        return mag == 0 ? 0 : sign | roundCore(neg, mag, 0, fmt.expBits, fmt.fracBits, mode);
    }

    /** An integer rounded to f64 with any rounding mode. */
    static double intToF64(long v, boolean signed, Rnd mode) {
        BigDecimal exact = signed ? BigDecimal.valueOf(v) : new BigDecimal(Long.toUnsignedString(v));
        return roundF64(exact, mode);
    }

    /**
     * Rounds the positive value {@code m * 2^e} (m unsigned, nonzero) to a binary format with the given
     * exponent and fraction widths; returns the bits without the sign. {@code neg} only steers the
     * directed modes.
     */
    private static long roundCore(boolean neg, long m, int e, int expBits, int fracBits, Rnd mode) {
        int bias = (1 << (expBits - 1)) - 1;
        int emin = 1 - bias;
        int k = e + 63 - Long.numberOfLeadingZeros(m); // floor(log2(value))
        int quantumExp = Math.max(k, emin) - fracBits;
        int shift = quantumExp - e;
        long q;
        boolean up;
        if (shift <= 0) {
            q = m << -shift;
            up = false;
        } else {
            long rem;
            long half;
            if (shift >= 64) {
                q = 0;
                rem = m;
                half = -1; // stands for 2^(shift-1), which exceeds any 64-bit m: below half
            } else {
                q = m >>> shift;
                rem = shift == 64 ? m : m & ((1L << shift) - 1);
                half = 1L << (shift - 1);
            }
            boolean above = half == -1 ? false : Long.compareUnsigned(rem, half) > 0;
            boolean tie = half != -1 && rem == half;
            up = switch (mode) {
                case RN -> above || tie && (q & 1) == 1;
                case RNA -> above || tie;
                case RZ -> false;
                case RP -> rem != 0 && !neg;
                case RM -> rem != 0 && neg;
            };
        }
        if (up) {
            q++;
        }
        if (q >= 1L << (fracBits + 1)) {
            q >>>= 1;
            quantumExp++;
        }
        long biased;
        if (q < 1L << fracBits) {
            biased = 0; // subnormal (or zero): the quantum is already the subnormal one
        } else {
            biased = quantumExp + fracBits + bias;
        }
        long maxExp = (1L << expBits) - 1;
        if (biased >= maxExp) {
            boolean toInf = switch (mode) {
                case RN, RNA -> true;
                case RZ -> false;
                case RP -> !neg;
                case RM -> neg;
            };
            return toInf ? maxExp << fracBits : ((maxExp - 1) << fracBits) | ((1L << fracBits) - 1);
        }
        return (biased << fracBits) | (q & ((1L << fracBits) - 1));
    }

    /** Widens f16 bits to f32 (exact). */
    static float f16ToF32(long h) {
        int bits = (int) (h & 0xffff);
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int frac = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (frac << 13));
        }
        if (exp == 0) {
            float v = frac * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (frac << 13));
    }

    /** Widens bf16 bits to f32 (exact). */
    static float bf16ToF32(long b) {
        return Float.intBitsToFloat((int) ((b & 0xffff) << 16));
    }

    // ---- arithmetic with rounding modes -------------------------------------------------------------

    static float add(float a, float b, Rnd mode) {
        float rn = a + b;
        if (mode == Rnd.RN || !Float.isFinite(a) || !Float.isFinite(b)) {
            return rn;
        }
        return roundF32(exact(a).add(exact(b)), mode, rn, zeroSumNegative(a, b, mode));
    }

    static float mul(float a, float b, Rnd mode) {
        float rn = a * b;
        if (mode == Rnd.RN || !Float.isFinite(a) || !Float.isFinite(b)) {
            return rn;
        }
        return roundF32(exact(a).multiply(exact(b)), mode, rn, rn);
    }

    static float fma(float a, float b, float c, Rnd mode) {
        float rn = Math.fma(a, b, c);
        if (mode == Rnd.RN || !Float.isFinite(a) || !Float.isFinite(b) || !Float.isFinite(c)) {
            return rn;
        }
        return roundF32(exact(a).multiply(exact(b)).add(exact(c)), mode, rn,
                zeroSumNegative(productSign(a, b), c, mode));
    }

    static double add(double a, double b, Rnd mode) {
        double rn = a + b;
        if (mode == Rnd.RN || !Double.isFinite(a) || !Double.isFinite(b)) {
            return rn;
        }
        return roundF64(exact(a).add(exact(b)), mode, zeroSumNegative(a, b, mode));
    }

    static double mul(double a, double b, Rnd mode) {
        double rn = a * b;
        if (mode == Rnd.RN || !Double.isFinite(a) || !Double.isFinite(b)) {
            return rn;
        }
        return roundF64(exact(a).multiply(exact(b)), mode, rn);
    }

    static double fma(double a, double b, double c, Rnd mode) {
        double rn = Math.fma(a, b, c);
        if (mode == Rnd.RN || !Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
            return rn;
        }
        return roundF64(exact(a).multiply(exact(b)).add(exact(c)), mode,
                zeroSumNegative(productSign(a, b), c, mode));
    }

    /** A stand-in for a*b with its sign and zeroness, for {@link #zeroSumNegative}. */
    private static double productSign(double a, double b) {
        double sign = Math.copySign(1.0, a) * Math.copySign(1.0, b);
        return a == 0 || b == 0 ? Math.copySign(0.0, sign) : sign;
    }

    /**
     * The zero an exactly cancelling sum yields: IEEE gives +0 except under round-toward-negative,
     * and the sum of two zeros of the same sign keeps that sign.
     */
    private static double zeroSumNegative(double a, double b, Rnd mode) {
        boolean na = Double.doubleToRawLongBits(a) < 0;
        boolean nb = Double.doubleToRawLongBits(b) < 0;
        if (a == 0 && b == 0 && na == nb) {
            return na ? -0.0 : 0.0;
        }
        return mode == Rnd.RM ? -0.0 : 0.0;
    }

    static float div(float a, float b, Rnd mode) {
        float q = a / b;
        if (mode == Rnd.RN || !isFinite(a) || !isFinite(b) || b == 0 || q != q) {
            return q;
        }
        if (Float.isInfinite(q)) {
            return Double.isInfinite(overflow(q, mode)) ? q : Math.copySign(Float.MAX_VALUE, q);
        }
        // sign of (a/b - q) = sign(a - q*b) * sign(b), all exact in decimal
        int s = exact(a).compareTo(exact(q).multiply(exact(b))) * (b < 0 ? -1 : 1);
        return (float) step(q, s, mode);
    }

    static double div(double a, double b, Rnd mode) {
        double q = a / b;
        if (mode == Rnd.RN || !Double.isFinite(a) || !Double.isFinite(b) || b == 0 || q != q) {
            return q;
        }
        if (Double.isInfinite(q)) {
            return overflow(q, mode);
        }
        int s = exact(a).compareTo(exact(q).multiply(exact(b))) * (b < 0 ? -1 : 1);
        return stepD(q, s, mode);
    }

    static float sqrt(float a, Rnd mode) {
        float q = (float) Math.sqrt(a); // correctly rounded: double has more than 2*24+2 bits
        if (mode == Rnd.RN || !(a > 0) || Float.isInfinite(a)) {
            return q;
        }
        int s = exact(a).compareTo(exact(q).multiply(exact(q)));
        return (float) step(q, s, mode);
    }

    static double sqrt(double a, Rnd mode) {
        double q = Math.sqrt(a);
        if (mode == Rnd.RN || !(a > 0) || Double.isInfinite(a)) {
            return q;
        }
        int s = exact(a).compareTo(exact(q).multiply(exact(q)));
        return stepD(q, s, mode);
    }

    private static boolean isFinite(float x) {
        return Float.isFinite(x);
    }

    private static BigDecimal exact(double x) {
        return new BigDecimal(x);
    }

    /** Overflowed quotient: directed modes that round toward zero stop at the largest finite value. */
    private static double overflow(double inf, Rnd mode) {
        boolean pos = inf > 0;
        boolean keep = switch (mode) {
            case RN, RNA -> true;
            case RZ -> false;
            case RP -> pos;
            case RM -> !pos;
        };
        return keep ? inf : pos ? Double.MAX_VALUE : -Double.MAX_VALUE;
    }

    /** Given the nearest f32 q and the sign of (exact - q), returns the directed result. */
    private static float step(float q, int s, Rnd mode) {
        if (s == 0) {
            return q;
        }
        return switch (mode) {
            case RN, RNA -> q;
            case RP -> s > 0 ? Math.nextUp(q) : q;
            case RM -> s < 0 ? Math.nextDown(q) : q;
            case RZ -> q > 0 && s < 0 ? Math.nextDown(q) : q < 0 && s > 0 ? Math.nextUp(q) : q;
        };
    }

    private static double stepD(double q, int s, Rnd mode) {
        if (s == 0) {
            return q;
        }
        return switch (mode) {
            case RN, RNA -> q;
            case RP -> s > 0 ? Math.nextUp(q) : q;
            case RM -> s < 0 ? Math.nextDown(q) : q;
            case RZ -> q > 0 && s < 0 ? Math.nextDown(q) : q < 0 && s > 0 ? Math.nextUp(q) : q;
        };
    }

    /**
     * Rounds an exact finite value to f32 in a directed mode; {@code zero} is the result when the value
     * is exactly zero (its sign follows IEEE's rules for the operation).
     */
    private static float roundF32(BigDecimal x, Rnd mode, float rn, double zero) {
        if (x.signum() == 0) {
            return (float) zero;
        }
        double d = bracket(x);
        int s = x.compareTo(new BigDecimal(d));
        if (s != 0 && (double) (float) d == d) {
            // d is itself an f32 and the exact value lies strictly beside it: its other neighbour
            // double is not an f32 (f32 is 29 bits coarser) and rounds like the exact value
            d = s > 0 ? Math.nextUp(d) : Math.nextDown(d);
        }
        // otherwise no f32 lies between d and the exact value, so both round alike in directed modes
        return Float.intBitsToFloat((int) narrow(d, Format.F32, mode));
    }

    /** A double within one ulp of x, corrected so that it is one of the two doubles bracketing x. */
    private static double bracket(BigDecimal x) {
        double d = x.doubleValue();
        while (Double.isFinite(d) && x.compareTo(new BigDecimal(Math.nextUp(d))) > 0) {
            d = Math.nextUp(d);
        }
        while (Double.isFinite(d) && x.compareTo(new BigDecimal(Math.nextDown(d))) < 0) {
            d = Math.nextDown(d);
        }
        return d;
    }

    static double roundF64(BigDecimal x, Rnd mode) {
        return roundF64(x, mode, 0.0);
    }

    /** Rounds an exact finite value to f64 in any mode; {@code zero} as for {@link #roundF32}. */
    private static double roundF64(BigDecimal x, Rnd mode, double zero) {
        if (x.signum() == 0) {
            return zero;
        }
        double q = bracket(x);
        if (Double.isInfinite(q)) {
            return overflow(q, mode);
        }
        int s = x.compareTo(new BigDecimal(q));
        if (s == 0) {
            return q;
        }
        if (mode == Rnd.RN || mode == Rnd.RNA) {
            // q is the nearest or the other bracket end; compare distances (ties go to even / away)
            double other = s > 0 ? Math.nextUp(q) : Math.nextDown(q);
            if (Double.isInfinite(other)) {
                return q;
            }
            BigDecimal dq = x.subtract(new BigDecimal(q)).abs();
            BigDecimal dother = x.subtract(new BigDecimal(other)).abs();
            int c = dq.compareTo(dother);
            if (c != 0) {
                return c < 0 ? q : other;
            }
            if (mode == Rnd.RNA) {
                return Math.abs(q) > Math.abs(other) ? q : other;
            }
            return (Double.doubleToRawLongBits(q) & 1) == 0 ? q : other;
        }
        return stepD(q, s, mode);
    }
}
