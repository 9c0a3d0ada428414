package dev.tessera.ir.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.DType;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private static HostTensor f32(double... d) {
        return new HostTensor(DType.F32, new long[] {d.length}, d);
    }

    @Test
    void nearZeroElementsOfALargeResultUseTheFloor() {
        // 1e-6 off an expected 1e-9 is huge relatively, but tiny against the floor rms(100, 1e-9) = 70.7
        Comparison c = Comparison.compare(f32(100, 1e-9), f32(100, 1e-6));
        assertTrue(c.pass(), c.summary());
        assertEquals((1e-6 - 1e-9) / Math.sqrt(5000 + 5e-19), c.maxRelError(), 1e-12);
        assertEquals(1, c.worstIndex());
    }

    @Test
    void reportsTheWorstElementAndFailsOverTolerance() {
        Comparison c = Comparison.compare(f32(1, 2, 4), f32(1, 2.001, 4));
        assertFalse(c.pass());
        assertEquals(1, c.worstIndex());
        assertEquals(0.001 / Math.sqrt(7), c.maxRelError(), 1e-9); // 2 is below the rms sqrt(7)
        assertEquals(1e-4, c.tolerance());
        assertEquals("FAIL f32[3]: max rel error 0.000378 at [1] (expected 2.0, got 2.001), tolerance 0.000100",
                c.summary());
    }

    @Test
    void nanAndInfinityRules() {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        assertTrue(Comparison.compare(f32(nan, inf, -inf), f32(nan, inf, -inf)).pass());
        assertEquals(inf, Comparison.compare(f32(1, 2), f32(1, nan)).maxRelError());
        assertEquals(inf, Comparison.compare(f32(1, 2), f32(1, inf)).maxRelError());
        assertEquals(inf, Comparison.compare(f32(inf), f32(-inf)).maxRelError());
        assertEquals(inf, Comparison.compare(f32(nan), f32(0)).maxRelError());
        assertTrue(Comparison.compare(f32(0, 0), f32(0, 0)).pass());
        assertFalse(Comparison.compare(f32(0, 0), f32(0, 1e-20)).pass());
    }

    @Test
    void tolerancesByDtypeAndExactIntegers() {
        assertEquals(1e-4, Comparison.tolerance(DType.F32));
        assertEquals(1e-2, Comparison.tolerance(DType.F16));
        assertEquals(2e-2, Comparison.tolerance(DType.BF16));
        assertEquals(0, Comparison.tolerance(DType.I32));
        HostTensor a = new HostTensor(DType.I32, new long[] {2}, new double[] {1000000, 5});
        HostTensor b = new HostTensor(DType.I32, new long[] {2}, new double[] {1000001, 5});
        assertFalse(Comparison.compare(a, b).pass());
        assertTrue(Comparison.compare(a, a).pass());
        HostTensor other = new HostTensor(DType.I32, new long[] {1, 2}, new double[] {1000000, 5});
        Comparison c = Comparison.compare(a, other);
        assertFalse(c.pass());
        assertEquals(-1, c.worstIndex());
        assertEquals("FAIL: expected i32[2] but got i32[1, 2]", c.summary());
    }
}
