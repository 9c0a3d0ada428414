package dev.tessera.ir.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.Shape;
import dev.tessera.ir.TensorType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DimBinderTest {

    private static TensorType t(DType d, Object... dims) {
        return new TensorType(d, new Shape(Arrays.stream(dims).map(o -> Dim.parse(o.toString())).toList()));
    }

    @Test
    void bindsSymbolsInOrderOfAppearance() {
        Map<String, Long> b = DimBinder.bind(List.of(t(DType.F32, "N", "D"), t(DType.F32, "D", 5, "M")),
                List.of(new long[] {3, 4}, new long[] {4, 5, 6}));
        assertEquals(Map.of("N", 3L, "D", 4L, "M", 6L), b);
        assertEquals(List.of("N", "D", "M"), List.copyOf(b.keySet()));
    }

    @Test
    void explainsMismatches() {
        var declared = List.of(t(DType.F32, "N"), t(DType.F32, "N", 2));
        assertEquals("parameter 2 (b): dim N is 1000 here but 999 from parameter 1 (a)",
                assertThrows(IllegalArgumentException.class, () -> DimBinder.bind(List.of("a", "b"), declared,
                        List.of(new long[] {999}, new long[] {1000, 2}))).getMessage());
        assertEquals("parameter 2: dim 1 must be 2 (f32[N, 2]) but is 3",
                assertThrows(IllegalArgumentException.class, () -> DimBinder.bind(declared,
                        List.of(new long[] {4}, new long[] {4, 3}))).getMessage());
        assertEquals("parameter 1: expected rank 1 (f32[N]) but got shape [4, 4]",
                assertThrows(IllegalArgumentException.class, () -> DimBinder.bind(declared,
                        List.of(new long[] {4, 4}, new long[] {4, 2}))).getMessage());
        assertEquals("parameter 1: dim N is 5 here but 4 from an earlier dim of the same parameter",
                assertThrows(IllegalArgumentException.class, () -> DimBinder.bind(List.of(t(DType.F32, "N", "N")),
                        List.of(new long[] {4, 5}))).getMessage());
        assertEquals("expected 2 input(s) but got 1",
                assertThrows(IllegalArgumentException.class, () -> DimBinder.bind(declared,
                        List.of(new long[] {4}))).getMessage());
    }
}
