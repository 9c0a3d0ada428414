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

    private static String fail(List<TensorType> declared, HostTensor... given) {
        List<String> names = List.of("a", "b").subList(0, declared.size());
        return assertThrows(IllegalArgumentException.class,
                () -> DimBinder.bind("@k", names, declared, List.of(given))).getMessage();
    }

    private static HostTensor zeros(long... shape) {
        return HostTensor.zeros(DType.F32, shape);
    }

    @Test
    void bindsSymbolsInOrderOfAppearance() {
        Map<String, Long> b = DimBinder.bindShapes("@k", List.of("a", "b"),
                List.of(t(DType.F32, "N", "D"), t(DType.F32, "D", 5, "M")), List.of(new long[] {3, 4}, new long[] {4, 5, 6}));
        assertEquals(Map.of("N", 3L, "D", 4L, "M", 6L), b);
        assertEquals(List.of("N", "D", "M"), List.copyOf(b.keySet()));
    }

    @Test
    void mismatchesNameTheInputTheDimAndBothValues() {
        var declared = List.of(t(DType.F32, "N"), t(DType.F32, "N", 2));
        assertEquals("input 2 ('b') of @k must be f32[N, 2] but the tensor given has shape [1000, 2]: "
                + "dim 0 is 1000, but N is 999 from dim 0 of input 1 ('a')", fail(declared, zeros(999), zeros(1000, 2)));
        assertEquals("input 2 ('b') of @k must be f32[N, 2] but the tensor given has shape [4, 3]: dim 1 is 3, not 2",
                fail(declared, zeros(4), zeros(4, 3)));
        assertEquals("input 1 ('a') of @k must be f32[N] (rank 1) but the tensor given has shape [4, 4] (rank 2)",
                fail(declared, zeros(4, 4), zeros(4, 2)));
        assertEquals("input 1 ('a') of @k must be f32[N, N] but the tensor given has shape [4, 5]: "
                + "dim 1 is 5, but N is 4 from dim 0 of the same input", fail(List.of(t(DType.F32, "N", "N")), zeros(4, 5)));
        assertEquals("input 2 ('b') of @k must be f32[N, 2] but the tensor given is f16[4, 2]",
                fail(declared, zeros(4), HostTensor.zeros(DType.F16, new long[] {4, 2})));
        assertEquals("kernel @k takes 2 inputs (a: f32[N], b: f32[N, 2]) but 1 was given", fail(declared, zeros(4)));
        assertEquals("kernel @k takes 1 input (a: f32[N, N]) but 0 were given", fail(List.of(t(DType.F32, "N", "N"))));
    }
}
