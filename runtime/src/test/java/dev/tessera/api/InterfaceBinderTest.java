package dev.tessera.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User interfaces implemented by generated hidden classes that call the kernels. */
class InterfaceBinderTest {

    /** Package-private on purpose: the generated class lives in this package. */
    interface Ops {
        Tensor softmax(Tensor x);

        List<Tensor> split(Tensor x);

        CompletableFuture<Tensor> scale(Tensor x, Tensor k);

        default float[] softmaxOf(Tessera t, float[] row) {
            return softmax(t.tensor(DType.F32, 1, row.length).copyFrom(row)).toFloatArray();
        }
    }

    interface WrongArity {
        Tensor softmax(Tensor x, Tensor y);
    }

    interface WrongReturn {
        float[] softmax(Tensor x);

        Tensor split(Tensor x);

        Tensor nothing(Tensor x);

        Tensor scale(Tensor x, float[] k);
    }

    public interface Exported {
        CompletableFuture<List<Tensor>> split(Tensor x);
    }

    static Tessera runtime(Path cache) {
        return Tessera.create(Tessera.Options.defaults().withDevice("reference").withCacheDir(cache));
    }

    @Test
    void generatedImplementationCallsTheKernels(@TempDir Path cache) {
        try (Tessera t = runtime(cache)) {
            Kernels ks = t.compile("api.tsr", TesseraApiTest.SOURCE);
            Ops ops = ks.bind(Ops.class);
            assertTrue(ops.getClass().isHidden(), "a hidden class: " + ops.getClass());
            assertTrue(ops.toString().contains("api.tsr"), ops.toString());
            float[] row = {1, 2, 3};
            TesseraApiTest.assertClose(TesseraApiTest.softmaxRows(row, 1, 3), ops.softmaxOf(t, row));
            Tensor v = t.tensor(DType.F32, 3).copyFrom(new float[] {-1, 0.5f, 2});
            List<Tensor> parts = ops.split(v);
            assertArrayEquals(new float[] {0, 1.5f, 3}, parts.get(0).toFloatArray());
            Tensor k = t.tensor(DType.I32, 3).copyFrom(new int[] {2, 2, 2});
            assertArrayEquals(new float[] {-2, 1, 4}, ops.scale(v, k).join().toFloatArray());
            Exported ex = ks.bind(Exported.class, MethodHandles.lookup());
            assertArrayEquals(new boolean[] {false, true, true}, ex.split(v).join().get(1).toBooleanArray());
        }
    }

    @Test
    void mismatchesAreReportedTogether(@TempDir Path cache) {
        try (Tessera t = runtime(cache)) {
            Kernels ks = t.compile("api.tsr", TesseraApiTest.SOURCE);
            var arity = assertThrows(IllegalArgumentException.class, () -> ks.bind(WrongArity.class));
            assertTrue(arity.getMessage().contains("softmax of WrongArity takes 2 parameter(s) but kernel "
                    + "softmax(x: f32[N, D]) -> f32[N, D] takes 1"), arity.getMessage());
            var wrong = assertThrows(IllegalArgumentException.class, () -> ks.bind(WrongReturn.class));
            String m = wrong.getMessage();
            assertTrue(m.contains("softmax of WrongReturn returns float[]"), m);
            assertTrue(m.contains("split of WrongReturn returns one Tensor but kernel split"), m);
            assertTrue(m.contains("no kernel 'nothing'"), m);
            assertTrue(m.contains("parameter of type float[]"), m);
            assertEquals(5, m.lines().count(), m);
            var notIface = assertThrows(IllegalArgumentException.class, () -> ks.bind(String.class));
            assertTrue(notIface.getMessage().contains("is not an interface"), notIface.getMessage());
        }
    }
}
