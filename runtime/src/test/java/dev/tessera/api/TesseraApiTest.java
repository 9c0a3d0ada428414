package dev.tessera.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The Java API end to end: on the reference interpreter always, on PoCL when OpenCL is present. */
class TesseraApiTest {

    static final String SOURCE = """
            kernel softmax(x: f32[N, D]) -> f32[N, D] {
              let m = max(x, axis=-1, keepdim=true)
              let e = exp(x - m)
              return e / sum(e, axis=-1, keepdim=true)
            }
            kernel scale(x: f32[N], k: i32[N]) -> f32[N] {
              return x * cast<f32>(k)
            }
            kernel split(x: f32[N]) -> (f32[N], bool[N]) {
              return x + 1.0, x > 0.0
            }
            """;

    static float[] softmaxRows(float[] x, int n, int d) {
        float[] r = new float[n * d];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < d; j++) {
                max = Math.max(max, x[i * d + j]);
            }
            double sum = 0;
            for (int j = 0; j < d; j++) {
                sum += Math.exp(x[i * d + j] - max);
            }
            for (int j = 0; j < d; j++) {
                r[i * d + j] = (float) (Math.exp(x[i * d + j] - max) / sum);
            }
        }
        return r;
    }

    static void assertClose(float[] want, float[] got) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5 + 1e-5 * Math.abs(want[i]), "element " + i);
        }
    }

    static Tessera runtime(Path cache, String device) {
        List<String> warnings = new ArrayList<>();
        return Tessera.create(Tessera.Options.defaults().withCacheDir(cache).withDevice(device)
                .withWarnings(warnings::add));
    }

    void softmaxEndToEnd(Tessera t) {
        Kernels ks = t.compile("api.tsr", SOURCE);
        assertEquals(List.of("softmax", "scale", "split"), ks.names());
        Kernel softmax = ks.kernel("softmax");
        int n = 5, d = 37;
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37) * 3;
        }
        Tensor in = t.tensor(DType.F32, n, d).copyFrom(x);
        List<Tensor> out = softmax.run(in);
        assertEquals(1, out.size());
        assertArrayEquals(new long[] {n, d}, out.getFirst().shape());
        assertClose(softmaxRows(x, n, d), out.getFirst().toFloatArray());

        // bound and async give the same answer
        Kernel bound = softmax.bind(Map.of("N", (long) n, "D", (long) d));
        assertClose(softmaxRows(x, n, d), bound.runAsync(in).join().getFirst().toFloatArray());
        assertClose(softmaxRows(x, n, d), bound.runOneAsync(in).join().toFloatArray());

        // conversions: int[] into i32, boolean results
        Tensor v = t.tensor(DType.F32, 4).copyFrom(new double[] {1.5, -2, 3, 0.25});
        Tensor k = t.tensor(DType.I32, 4).copyFrom(new int[] {2, 3, -1, 4});
        assertArrayEquals(new float[] {3, -6, -3, 1}, ks.kernel("scale").runOne(v, k).toFloatArray());
        List<Tensor> parts = ks.kernel("split").run(v);
        assertArrayEquals(new float[] {2.5f, -1, 4, 1.25f}, parts.get(0).toFloatArray());
        assertArrayEquals(new boolean[] {true, false, true, true}, parts.get(1).toBooleanArray());
        assertArrayEquals(new int[] {1, 0, 1, 1}, parts.get(1).toIntArray());

        // runInto writes every element of tensors the caller made, and leaves the inputs alone
        Tensor into = t.tensor(DType.F32, n, d);
        into.segment().fill((byte) 0xFF);
        softmax.runInto(List.of(into), in);
        assertClose(softmaxRows(x, n, d), into.toFloatArray());
        assertArrayEquals(x, in.toFloatArray());
        Tensor plus = t.tensor(DType.F32, 4);
        Tensor positive = t.tensor(DType.BOOL, 4);
        plus.segment().fill((byte) 0xFF);
        positive.segment().fill((byte) 0xFF);
        ks.kernel("split").runInto(List.of(plus, positive), v);
        assertArrayEquals(new float[] {2.5f, -1, 4, 1.25f}, plus.toFloatArray());
        assertArrayEquals(new boolean[] {true, false, true, true}, positive.toBooleanArray());
        assertArrayEquals(new int[] {1, 0, 1, 1}, positive.toIntArray());
    }

    @Test
    void runIntoChecksItsOutputs(@TempDir Path cache) {
        try (Tessera t = runtime(cache, "jvm"); Tessera other = runtime(cache, "jvm")) {
            Kernels ks = t.compile("api.tsr", SOURCE);
            Kernel softmax = ks.kernel("softmax");
            Tensor x = t.tensor(DType.F32, 2, 3).copyFrom(new float[] {1, 2, 3, 4, 5, 6});
            var count = assertThrows(IllegalArgumentException.class, () -> softmax.runInto(List.of(), x));
            assertTrue(count.getMessage().contains("has 1 result but 0 output tensors were given"), count.getMessage());
            var shape = assertThrows(IllegalArgumentException.class,
                    () -> softmax.runInto(List.of(t.tensor(DType.F32, 3, 2)), x));
            assertEquals("output 1 of softmax must be f32[2, 3] (f32[N, D]) but the tensor given is f32[3, 2]",
                    shape.getMessage());
            var dtype = assertThrows(IllegalArgumentException.class,
                    () -> softmax.runInto(List.of(t.tensor(DType.F16, 2, 3)), x));
            assertTrue(dtype.getMessage().endsWith("but the tensor given is f16[2, 3]"), dtype.getMessage());
            var alias = assertThrows(IllegalArgumentException.class, () -> softmax.runInto(List.of(x), x));
            assertTrue(alias.getMessage().contains("is also input 1"), alias.getMessage());
            Tensor v = t.tensor(DType.F32, 4);
            Tensor twice = t.tensor(DType.F32, 4);
            Kernel two = t.compile("two.tsr", "kernel two(x: f32[N]) -> (f32[N], f32[N]) {\n  return x + 1.0, x * 2.0\n}\n")
                    .kernel("two");
            var same = assertThrows(IllegalArgumentException.class, () -> two.runInto(List.of(twice, twice), v));
            assertEquals("output 2 of two must be f32[4] (f32[N]) but the tensor given is also output 1",
                    same.getMessage());
            var foreign = assertThrows(IllegalArgumentException.class,
                    () -> softmax.runInto(List.of(other.tensor(DType.F32, 2, 3)), x));
            assertTrue(foreign.getMessage().contains("another Tessera runtime"), foreign.getMessage());
            Tensor closed = t.tensor(DType.F32, 2, 3);
            closed.close();
            assertThrows(IllegalStateException.class, () -> softmax.runInto(List.of(closed), x));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, x.toFloatArray(), "no failed call touched the input");
        }
    }

    /** The devices every machine has: the reference interpreter, and the JVM (which computes in the tensors). */
    @ParameterizedTest
    @ValueSource(strings = {"reference", "jvm"})
    void runsOnADeviceEveryMachineHas(String device, @TempDir Path cache) {
        try (Tessera t = runtime(cache, device)) {
            softmaxEndToEnd(t);
            assertEquals(device, t.compile("a.tsr", SOURCE).kernel("softmax").placement(Map.of("N", 2L, "D", 3L))
                    .device());
        }
    }

    @Test
    void runsOnPoclAndCachesTheArtefact(@TempDir Path cache) throws Exception {
        try (Tessera t = runtime(cache, "auto")) {
            assumeTrue(t.devices().stream().anyMatch(d -> d.startsWith("opencl:")),
                    "skipped: no OpenCL device (devices: " + t.devices() + ")");
            softmaxEndToEnd(t);
            Placement p = t.compile("api.tsr", SOURCE).kernel("softmax").placement(Map.of("N", 5L, "D", 37L));
            assertTrue(p.device().startsWith("opencl:"), p.toString());
            assertTrue(p.reason().startsWith("untuned"), p.toString());
        }
        try (var files = Files.list(cache.resolve("v1"))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".entry")), "an artefact was cached");
        }
    }

    @Test
    void mistakesAreClearExceptions(@TempDir Path cache) {
        try (Tessera t = runtime(cache, "reference")) {
            Kernels ks = t.compile("api.tsr", SOURCE);
            var unknown = assertThrows(IllegalArgumentException.class, () -> ks.kernel("softmx"));
            assertTrue(unknown.getMessage().contains("no kernel 'softmx'") && unknown.getMessage().contains("softmax"),
                    unknown.getMessage());
            Kernel softmax = ks.kernel("softmax");
            var dtype = assertThrows(IllegalArgumentException.class, () -> softmax.run(t.tensor(DType.I32, 2, 3)));
            assertTrue(dtype.getMessage().contains("must be f32[N, D]") && dtype.getMessage().contains("i32[2, 3]"),
                    dtype.getMessage());
            var rank = assertThrows(IllegalArgumentException.class, () -> softmax.run(t.tensor(DType.F32, 6)));
            assertTrue(rank.getMessage().contains("rank 2"), rank.getMessage());
            var count = assertThrows(IllegalArgumentException.class, () -> softmax.run());
            assertTrue(count.getMessage().contains("takes 1 input but 0 were given"), count.getMessage());
            Tensor x = t.tensor(DType.F32, 2, 3).copyFrom(new float[6]);
            var bound = assertThrows(IllegalArgumentException.class, () -> softmax.bind(Map.of("N", 4L)).run(x));
            assertTrue(bound.getMessage().contains("bound to N=4"), bound.getMessage());
            var noDim = assertThrows(IllegalArgumentException.class, () -> softmax.bind(Map.of("M", 4L)));
            assertTrue(noDim.getMessage().contains("has no dim M"), noDim.getMessage());
            var shape = assertThrows(IllegalArgumentException.class, () -> ks.kernel("scale").run(
                    t.tensor(DType.F32, 3), t.tensor(DType.I32, 4)));
            assertTrue(shape.getMessage().contains("N"), shape.getMessage());
            var many = assertThrows(IllegalArgumentException.class, () -> ks.kernel("split").runOne(
                    t.tensor(DType.F32, 3)));
            assertTrue(many.getMessage().contains("2 results"), many.getMessage());
            var length = assertThrows(IllegalArgumentException.class, () -> x.copyFrom(new float[5]));
            assertTrue(length.getMessage().contains("6 elements"), length.getMessage());
            var device = assertThrows(IllegalArgumentException.class, () -> softmax.on("cuda:7"));
            assertTrue(device.getMessage().contains("no device 'cuda:7'"), device.getMessage());
            var syntax = assertThrows(TesseraException.class, () -> t.compile("bad.tsr", "kernel k(x: f32[N]) -> f32[N] {\n  return exp(x +)\n}\n"));
            assertTrue(syntax.getMessage().startsWith("bad.tsr:2:"), syntax.getMessage());
            assertTrue(syntax.getMessage().contains("^"), syntax.getMessage());
            var missing = assertThrows(TesseraException.class, () -> t.load(cache.resolve("nope.tsr")));
            assertTrue(missing.getMessage().contains("cannot read"), missing.getMessage());
        }
    }

    @Test
    void closingFreesEverythingAndMakesTensorsUnusable(@TempDir Path cache) {
        Tessera t = runtime(cache, "reference");
        Kernel softmax = t.compile("api.tsr", SOURCE).kernel("softmax");
        Tensor x = t.tensor(DType.F32, 2, 3).copyFrom(new float[] {1, 2, 3, 4, 5, 6});
        Tensor y = softmax.runOne(x);
        MemorySegment seg = y.segment();
        assertTrue(seg.scope().isAlive());
        Tensor early = t.tensor(DType.F32, 1);
        early.close();
        assertThrows(IllegalStateException.class, early::toFloatArray);
        t.close();
        assertTrue(!seg.scope().isAlive(), "native memory of an output is freed by close");
        assertTrue(!x.storage().scope().isAlive(), "native memory of an input is freed by close");
        var e = assertThrows(IllegalStateException.class, x::toFloatArray);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> softmax.run(x));
        assertThrows(IllegalStateException.class, () -> softmax.runAsync(x));
        assertThrows(IllegalStateException.class, () -> t.tensor(DType.F32, 2));
        assertThrows(IllegalStateException.class, () -> t.compile("a.tsr", SOURCE));
        t.close();
    }

    @Test
    void asyncFailuresCompleteTheFuture(@TempDir Path cache) {
        try (Tessera t = runtime(cache, "reference")) {
            Kernel softmax = t.compile("api.tsr", SOURCE).kernel("softmax");
            CompletableFuture<List<Tensor>> f = softmax.runAsync(t.tensor(DType.I32, 2, 2));
            var e = assertThrows(ExecutionException.class, f::get);
            assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
        }
    }
}
