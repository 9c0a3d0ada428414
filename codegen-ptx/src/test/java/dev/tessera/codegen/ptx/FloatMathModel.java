package dev.tessera.codegen.ptx;

import static dev.tessera.codegen.ptx.MathTables.*;

/**
 * The instruction sequences {@link FloatMath} and {@link FloatRem} emit, step for step in Java, with the same
 * constants. Each {@code fma.rn}, {@code mul.rn}, {@code div.rn} is the IEEE operation Java has too; the PTX
 * approximations are modelled as correctly rounded ({@code ex2.approx}, {@code div.full}), so the errors
 * measured here are those of the algorithms, to which the instructions' own documented errors add.
 */
final class FloatMathModel {

    private FloatMathModel() {}

    // exp

    static float exp32(float x) {
        float xc = minNaN(maxNaN(x, -104f), 89f);
        float t = xc * (float) LOG2E;
        float fn = (float) Math.rint(t);
        int n = (int) fn;
        float r1 = Math.fma(fn, -LN2_HI_F, xc);
        float r = Math.fma(fn, -LN2_LO_F, r1);
        float f = r * (float) LOG2E;
        float p = (float) Math.pow(2, f); // ex2.approx.ftz.f32, modelled as correctly rounded
        int n1 = n >> 1;
        int n2 = n - n1;
        return p * pow2f(n1) * pow2f(n2);
    }

    static double exp64(double x) {
        double xc = Math.min(Math.max(x, -746), 710);
        double fn = Math.rint(xc * LOG2E);
        int n = (int) fn;
        double r = Math.fma(fn, -LN2_LO_D, Math.fma(fn, -LN2_HI_D, xc));
        double p = horner(r, EXP_F64, 0);
        int n1 = n >> 1;
        int n2 = n - n1;
        double res = p * pow2d(n1) * pow2d(n2);
        return Double.isNaN(x) ? x : res;
    }

    private static float pow2f(int n) {
        return Float.intBitsToFloat((n + 127) << 23);
    }

    private static double pow2d(int n) {
        return Double.longBitsToDouble((long) (n + 1023) << 52);
    }

    // log

    static float log32(float x) {
        boolean tiny = x < 0x1p-126f;
        float xs = tiny ? x * 0x1p23f : x;
        int bias = tiny ? -23 : 0;
        int bits = Float.floatToRawIntBits(xs);
        int k = (bits - Float.floatToRawIntBits((float) Math.sqrt(0.5))) >> 23;
        float m = Float.intBitsToFloat(bits - (k << 23));
        float e = k + bias;
        float f = (m - 1f) / (m + 1f);
        float s = f * f;
        float p = hornerF(s, LOG_F32, 0);
        float f2 = f + f;
        float logm = Math.fma(f2, s * p, f2);
        float res = Math.fma(e, (float) LN2_HI_F, Math.fma(e, LN2_LO_F, logm));
        return special(x, res);
    }

    static double log64(double x) {
        boolean tiny = x < 0x1p-1022;
        double xs = tiny ? x * 0x1p54 : x;
        int bias = tiny ? -54 : 0;
        long bits = Double.doubleToRawLongBits(xs);
        long k = (bits - Double.doubleToRawLongBits(Math.sqrt(0.5))) >> 52;
        double m = Double.longBitsToDouble(bits - (k << 52));
        double e = (int) k + bias;
        double f = (m - 1) / (m + 1);
        double s = f * f;
        double p = horner(s, LOG_F64, 0);
        double f2 = f + f;
        double logm = Math.fma(f2, s * p, f2);
        double res = Math.fma(e, LN2_HI_D, Math.fma(e, LN2_LO_D, logm));
        if (x == Double.POSITIVE_INFINITY) {
            return x;
        }
        if (x == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return x < 0 || Double.isNaN(x) ? Double.NaN : res;
    }

    private static float special(float x, float res) {
        if (x == Float.POSITIVE_INFINITY) {
            return x;
        }
        if (x == 0) {
            return Float.NEGATIVE_INFINITY;
        }
        return x < 0 || Float.isNaN(x) ? Float.NaN : res;
    }

    // tanh

    static float tanh32(float x) {
        float a = Math.abs(x);
        float x2 = x * x;
        float small = Math.copySign(Math.fma(x * x2, hornerF(x2, TANH_F32, 1), x), x);
        float e = exp32(a + a);
        float large = Math.copySign(1f - 2f / (e + 1f), x);
        return a < TANH_SMALL_F32 ? small : large;
    }

    static double tanh64(double x) {
        double a = Math.abs(x);
        double x2 = x * x;
        double small = Math.copySign(Math.fma(x * x2, horner(x2, TANH_F64, 1), x), x);
        double e = exp64(a + a);
        double large = Math.copySign(1 - 2 / (e + 1), x);
        return a < TANH_SMALL_F64 ? small : large;
    }

    // erf

    static float erf32(float x) {
        float a = Math.abs(x);
        float series = x * hornerF(x * x, ERF_F32, 0);
        float ac = minNaN(a, (float) ERF_ONE_F32);
        float tail = ac;
        for (int n = ERF_CF_TERMS_F32; n >= 1; n--) {
            tail = ac + (float) ((n / 2.0) / tail); // div.full.f32, modelled as correctly rounded
        }
        float erfc = exp32(-(ac * ac)) * (float) ONE_OVER_SQRT_PI / tail;
        float cf = Math.copySign(1f - erfc, x);
        return a < ERF_SERIES_F32 ? series : cf;
    }

    static double erf64(double x) {
        double a = Math.abs(x);
        if (a < ERF_SERIES_F64) {
            return x * horner(x * x, ERF_F64, 0);
        }
        double ac = Math.min(a, ERF_ONE_F64);
        double tail = ac;
        for (double half = ERF_CF_TERMS_F64 / 2.0; half > 0; half -= 0.5) {
            tail = ac + half / tail;
        }
        double erfc = exp64(-(ac * ac)) * ONE_OVER_SQRT_PI / tail;
        return Double.isNaN(x) ? x : Math.copySign(1 - erfc, x);
    }

    // fmod, as FloatRem's integer long division (f64 form; the f32 form is the same on 32 bits)

    static double fmod64(double x, double y) {
        long ux = Double.doubleToRawLongBits(x);
        long ax = ux & Long.MAX_VALUE;
        long ay = Double.doubleToRawLongBits(y) & Long.MAX_VALUE;
        long inf = 0x7FF0_0000_0000_0000L;
        if (ay == 0 || Long.compareUnsigned(ax, inf) >= 0 || Long.compareUnsigned(ay, inf) > 0) {
            return Double.NaN;
        }
        if (Long.compareUnsigned(ax, ay) < 0) {
            return x;
        }
        long[] sx = significand(ax, 52, 64);
        long[] sy = significand(ay, 52, 64);
        long mx = sx[0];
        int ex = (int) sx[1];
        long my = sy[0];
        int ey = (int) sy[1];
        while (ex > ey) {
            long d = mx - my;
            if (d >= 0) {
                mx = d;
            }
            mx <<= 1;
            ex--;
        }
        long d = mx - my;
        if (d >= 0) {
            mx = d;
        }
        int shift = mx == 0 ? 0 : Long.numberOfLeadingZeros(mx) - 11;
        mx <<= shift;
        ex -= shift;
        long bits = ex > 0 ? ((long) ex << 52) | (mx & ((1L << 52) - 1)) : mx >>> (1 - ex);
        if (mx == 0) {
            bits = 0;
        }
        return Double.longBitsToDouble(bits | (ux & Long.MIN_VALUE));
    }

    static float fmod32(float x, float y) {
        int ux = Float.floatToRawIntBits(x);
        int ax = ux & Integer.MAX_VALUE;
        int ay = Float.floatToRawIntBits(y) & Integer.MAX_VALUE;
        if (ay == 0 || ax >= 0x7F80_0000 || ay > 0x7F80_0000) {
            return Float.NaN;
        }
        if (ax < ay) {
            return x;
        }
        long[] sx = significand(ax, 23, 32);
        long[] sy = significand(ay, 23, 32);
        int mx = (int) sx[0];
        int ex = (int) sx[1];
        int my = (int) sy[0];
        int ey = (int) sy[1];
        while (ex > ey) {
            int d = mx - my;
            if (d >= 0) {
                mx = d;
            }
            mx <<= 1;
            ex--;
        }
        int d = mx - my;
        if (d >= 0) {
            mx = d;
        }
        int shift = mx == 0 ? 0 : Integer.numberOfLeadingZeros(mx) - 8;
        mx <<= shift;
        ex -= shift;
        int bits = ex > 0 ? (ex << 23) | (mx & ((1 << 23) - 1)) : mx >>> (1 - ex);
        if (mx == 0) {
            bits = 0;
        }
        return Float.intBitsToFloat(bits | (ux & Integer.MIN_VALUE));
    }

    private static long[] significand(long abs, int mantBits, int width) {
        long e = abs >>> mantBits;
        long m = abs & ((1L << mantBits) - 1);
        if (e != 0) {
            return new long[] {m | (1L << mantBits), e};
        }
        int lz = width == 64 ? Long.numberOfLeadingZeros(m) : Integer.numberOfLeadingZeros((int) m);
        int shift = lz - (width - 1 - mantBits);
        return new long[] {m << shift, 1 - shift};
    }

    // helpers

    private static float minNaN(float a, float b) {
        return Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.min(a, b);
    }

    private static float maxNaN(float a, float b) {
        return Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.max(a, b);
    }

    static double horner(double y, double[] c, int from) {
        double p = c[c.length - 1];
        for (int i = c.length - 2; i >= from; i--) {
            p = Math.fma(p, y, c[i]);
        }
        return p;
    }

    static float hornerF(float y, double[] c, int from) {
        float p = (float) c[c.length - 1];
        for (int i = c.length - 2; i >= from; i--) {
            p = Math.fma(p, y, (float) c[i]);
        }
        return p;
    }
}
