package dev.tessera.runtime;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopProgram;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShapeBinderTest {

    /** matmul-like plan: a[M, K], b[K, 4] -> c[M, 4], temp t[M]. */
    private static final LoopProgram MM = program("mm", new BufferPlan(
            List.of(buffer("a", DType.F32, "M", "K"), buffer("b", DType.F16, "K", 4)),
            List.of(buffer("c", DType.F32, "M", 4)), List.of(buffer("t", DType.F32, "M")), List.of()));

    private static HostTensor t(DType d, long... shape) {
        return HostTensor.zeros(d, shape);
    }

    private static String fail(LoopProgram p, HostTensor... inputs) {
        return assertThrows(IllegalArgumentException.class, () -> ShapeBinder.bind(p, List.of(inputs))).getMessage();
    }

    @Test
    void bindsSymbolsInOrderOfAppearance() {
        Map<String, Long> dims = ShapeBinder.bind(MM, List.of(t(DType.F32, 3, 5), t(DType.F16, 5, 4)));
        assertEquals(List.of("M", "K"), List.copyOf(dims.keySet()));
        assertEquals(Map.of("M", 3L, "K", 5L), dims);
        assertArrayEquals(new long[] {3, 4}, ShapeBinder.shapeOf(MM.buffers().outputs().getFirst(), dims));
    }

    @Test
    void mismatchesSayWhatAndWhere() {
        // The wording is DimBinder's (DimBinderTest has every case); here, that the plan's inputs reach it.
        assertEquals("input 2 ('b') of 'mm' must be f16[K, 4] but the tensor given has shape [6, 4]: dim 0 is 6, "
                + "but K is 5 from dim 1 of input 1 ('a')", fail(MM, t(DType.F32, 3, 5), t(DType.F16, 6, 4)));
        assertEquals("input 2 ('b') of 'mm' must be f16[K, 4] but the tensor given is f32[5, 4]",
                fail(MM, t(DType.F32, 3, 5), t(DType.F32, 5, 4)));
        assertEquals("kernel 'mm' takes 2 inputs (a: f32[M, K], b: f16[K, 4]) but 1 was given",
                fail(MM, t(DType.F32, 3, 5)));
    }

    @Test
    void outputDimsMustComeFromInputs() {
        LoopProgram p = program("p", List.of(buffer("x", DType.F32, "N")), List.of(buffer("y", DType.F32, "N", "P")));
        assertEquals("dimension P of buffer 'y' in 'p' is not determined by the shapes of the inputs",
                fail(p, t(DType.F32, 2)));
    }

    @Test
    void buffersBeyondI32IndexingAreRejected() {
        // Zero-element inputs carry huge extents without allocating them.
        LoopProgram p = program("big", List.of(buffer("x", DType.BOOL, "N", "M")), List.of(buffer("y", DType.BOOL, "M", "M")));
        assertEquals("buffer 'y' of 'big' would have 4900000000 elements; at most 2147483647 can be indexed with i32",
                fail(p, t(DType.BOOL, 0, 70_000)));
        assertEquals("dimension M = 3000000000 does not fit the i32 index arithmetic of the generated code",
                fail(p, t(DType.BOOL, 0, 3_000_000_000L)));
    }
}
