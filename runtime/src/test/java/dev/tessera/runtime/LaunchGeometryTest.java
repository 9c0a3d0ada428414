package dev.tessera.runtime;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LoopKernel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchGeometryTest {

    @Test
    void evaluatesSizeExpressions() {
        Map<String, Long> dims = Map.of("N", 1000L, "M", 7L);
        assertEquals(1024, LaunchGeometry.evaluate(roundUp(i32("N"), 256), dims));
        assertEquals(6, LaunchGeometry.evaluate(bin(LBinOp.REM, i32("N"), i32("M")), dims));
        assertEquals(7, LaunchGeometry.evaluate(bin(LBinOp.MIN, i32("N"), i32("M")), dims));
        assertEquals(993, LaunchGeometry.evaluate(sub(i32("N"), i32("M")), dims));
        assertEquals(0, LaunchGeometry.evaluate(div(i32("N"), lit(0)), dims), "x / 0 == 0, as in the IR");
    }

    @Test
    void gridsMustBeWholeGroups() {
        LoopKernel k = kernel("k", List.of(dim("N")), List.of(), List.of(i32("N"), lit(8)), List.of(64, 8));
        assertArrayEquals(new long[] {128, 8}, LaunchGeometry.global(k, Map.of("N", 128L)));
        assertArrayEquals(new long[] {64, 8}, LaunchGeometry.local(k));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchGeometry.global(k, Map.of("N", 100L)));
        assertEquals("kernel 'k': global size 100 along dimension 0 is not a non-negative multiple of the local size 64",
                e.getMessage());
    }

    @Test
    void rejectsWhatALaunchSizeCannotBe() {
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.evaluate(i32("Q"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.evaluate(gid(0), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> LaunchGeometry.evaluate(mul(lit(Long.MAX_VALUE / 2), lit(3)), Map.of()));
    }
}
