package dev.tessera.ir.interp;

import dev.tessera.ir.DType;
import java.util.Arrays;
import java.util.Locale;

/**
 * The verdict of comparing a device's result with the reference: the worst relative error, where it is,
 * and whether it is within the dtype's tolerance.
 *
 * <p>Error of one element: {@code |a - e| / max(|e|, floor)} with {@code floor} the root mean square of the
 * finite expected values (1e-30 when they are all zero). Elements at least as large as the typical element
 * are held to a relative error; smaller ones, typically sums that cancel (a matmul's or attention's output
 * near zero), carry an absolute error set by the magnitude of what was summed, so they are measured against
 * the typical magnitude instead. Without the floor an f32 attention fails on elements near 1e-3 whose
 * absolute error (1e-6) is as small as f32 arithmetic on logits of magnitude 3 allows. A NaN or infinity
 * where a finite value was expected is an infinite error; NaN against NaN and equal infinities are exact.
 *
 * @param worstIndex flat row-major index of the worst element, -1 when there is none (empty or mismatched)
 */
public record Comparison(double maxRelError, long worstIndex, double tolerance, boolean pass, String summary) {

    /**
     * The relative error accepted per dtype. f32 allows 1e-4 because matmul accumulation over K ≈ 800 on a
     * device legitimately reaches 1e-5..5e-5 against an f64 reference; i32 and bool must be exact.
     */
    public static double tolerance(DType dtype) {
        return switch (dtype) {
            case F64 -> 1e-12;
            case F32 -> 1e-4;
            case F16 -> 1e-2;
            case BF16 -> 2e-2;
            case I32, BOOL -> 0;
        };
    }

    public static Comparison compare(HostTensor expected, HostTensor actual) {
        return compare(expected, actual, tolerance(expected.dtype()));
    }

    public static Comparison compare(HostTensor expected, HostTensor actual, double tolerance) {
        if (expected.dtype() != actual.dtype() || !Arrays.equals(expected.shape(), actual.shape())) {
            return new Comparison(Double.POSITIVE_INFINITY, -1, tolerance, false,
                    "FAIL: expected " + expected + " but got " + actual);
        }
        double[] e = expected.data();
        double[] a = actual.data();
        double sumSq = 0;
        long finite = 0;
        for (double v : e) {
            if (Double.isFinite(v)) {
                sumSq += v * v;
                finite++;
            }
        }
        double rms = finite == 0 ? 0 : Math.sqrt(sumSq / finite);
        double floor = rms == 0 ? 1e-30 : rms;
        double worst = 0;
        long worstAt = e.length == 0 ? -1 : 0;
        for (int i = 0; i < e.length; i++) {
            double err = error(e[i], a[i], floor);
            if (err > worst) {
                worst = err;
                worstAt = i;
            }
        }
        boolean pass = worst <= tolerance;
        String where = worstAt < 0 ? "no elements"
                : "max rel error " + fmt(worst) + " at " + index(expected.shape(), worstAt) + " (expected "
                        + e[(int) worstAt] + ", got " + a[(int) worstAt] + ")";
        String summary = (pass ? "PASS " : "FAIL ") + expected + ": " + where + ", tolerance " + fmt(tolerance);
        return new Comparison(worst, worstAt, tolerance, pass, summary);
    }

    /** The error of one element, as the class comment defines it. */
    static double error(double e, double a, double floor) {
        if (Double.isNaN(e)) {
            return Double.isNaN(a) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(e)) {
            return a == e ? 0 : Double.POSITIVE_INFINITY;
        }
        if (!Double.isFinite(a)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.abs(a - e) / Math.max(Math.abs(e), floor);
    }

    private static String index(long[] shape, long flat) {
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Arrays.toString(idx);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
