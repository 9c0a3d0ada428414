package dev.tessera.testsuite;

import java.util.Arrays;

/** What the benchmarks share: the median of their samples, and a time as people read it. */
final class Timing {

    private Timing() {}

    static double median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** {@code 0.36 us}, {@code 569.00 us}, {@code 2.78 ms}. */
    static String format(double ns) {
        return ns < 1_000_000 ? String.format("%.2f us", ns / 1e3) : String.format("%.2f ms", ns / 1e6);
    }
}
