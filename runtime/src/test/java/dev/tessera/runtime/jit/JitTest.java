package dev.tessera.runtime.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.runtime.Device;
import dev.tessera.runtime.cache.CacheEntry;
import dev.tessera.runtime.cache.CacheKey;
import dev.tessera.runtime.cache.KernelCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JIT with the cache: compile once per key, artefacts (with device binaries, and their fallbacks) and tuning
 * results across instances, the policy.
 */
class JitTest {

    final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    final CompiledSource src = CompiledSource.compile("s.tsr", TunerTest.SOFTMAX);
    final KernelRequest request = src.request("softmax", TunerTest.ordered(src, "softmax", TunerTest.DIMS));

    Jit jit(Path dir) {
        return new Jit(Optional.of(new KernelCache(dir, warnings::add)), warnings::add);
    }

    static FakeDevice device(String id) {
        return new FakeDevice(id, new FakeDevice.FakeClock(), TunerTest::softmaxCost, false);
    }

    @Test
    void concurrentRequestsForOneKeyCompileOnce(@TempDir Path dir) throws Exception {
        Jit jit = jit(dir);
        FakeDevice d = device("fake:0");
        d.compileDelayMs = 200;
        Variant v = Variant.of(src.tileProgram("softmax"));
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Jit.Prepared>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return jit.prepare(src, request, d, v);
                }));
            }
            go.countDown();
            Jit.Prepared first = results.getFirst().get();
            for (Future<Jit.Prepared> f : results) {
                assertSame(first, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, d.compilations.get());
        assertEquals(1, new KernelCache(dir, warnings::add).list().size());
    }

    @Test
    void aSecondProcessLoadsTheArtefactFromTheCache(@TempDir Path dir) {
        Variant v = Variant.of(src.tileProgram("softmax")).with("softmax_0",
                new dev.tessera.ir.tile.Schedule(Map.of("wg", 64, "stash", 0)));
        Jit.Prepared cold = jit(dir).prepare(src, request, device("fake:0"), v);
        assertFalse(cold.fromCache());
        Jit.Prepared warm = jit(dir).prepare(src, request, device("fake:0"), v);
        assertTrue(warm.fromCache());
        assertEquals(Jit.Origin.CACHED_SOURCE, warm.origin(), "a device without binaries compiles the cached IR");
        assertEquals(cold.program().program(), warm.program().program(), "the cached loop IR is the lowered one");
        assertEquals(64, FakeDevice.workGroup(warm.program().program()));
        // Another device identity is another key.
        assertFalse(jit(dir).prepare(src, request, device("fake:1"), v).fromCache());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aDamagedArtefactIsRebuiltWithAWarning(@TempDir Path dir) throws IOException {
        Variant v = Variant.of(src.tileProgram("softmax"));
        jit(dir).prepare(src, request, device("fake:0"), v);
        KernelCache cache = new KernelCache(dir, s -> {});
        CacheEntry e = cache.list().getFirst();
        byte[] bytes = Files.readAllBytes(e.file());
        Files.write(e.file(), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        FakeDevice d = device("fake:0");
        Jit.Prepared again = jit(dir).prepare(src, request, d, v);
        assertFalse(again.fromCache());
        assertEquals(1, d.compilations.get());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("truncated"), warnings.getFirst());
        assertTrue(jit(dir).prepare(src, request, device("fake:0"), v).fromCache(), "the rebuilt entry was written");
    }

    static FakeDevice binaryDevice(String id) {
        FakeDevice d = device(id);
        d.binaries = true;
        return d;
    }

    CacheKey key(Device d, Variant v) {
        return CacheKeys.artefact(request, DeviceIdentity.of(d), v);
    }

    @Test
    void aSecondJitLoadsTheDeviceBinaryWithoutCompiling(@TempDir Path dir) throws Exception {
        Variant v = Variant.of(src.tileProgram("softmax"));
        FakeDevice first = binaryDevice("fake:0");
        Jit.Prepared cold = jit(dir).prepare(src, request, first, v);
        assertEquals(Jit.Origin.BUILT, cold.origin());
        KernelCache cache = new KernelCache(dir, warnings::add);
        assertArrayEquals(FakeDevice.binaryOf(cold.program().program()), CacheEdits.binary(cache, key(first, v)));

        FakeDevice second = binaryDevice("fake:0");
        Jit.Prepared warm = jit(dir).prepare(src, request, second, v);
        assertEquals(Jit.Origin.CACHED_BINARY, warm.origin());
        assertTrue(warm.fromCache() && warm.binaryFromCache());
        assertEquals(0, second.compilations.get(), "the device's compiler did not run");
        assertEquals(1, second.binaryLoads.get());
        assertEquals(cold.program().program(), warm.program().program());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aDamagedBinaryIsCompiledFromSourceWithAWarningAndRewritten(@TempDir Path dir) throws Exception {
        Variant v = Variant.of(src.tileProgram("softmax"));
        FakeDevice first = binaryDevice("fake:0");
        jit(dir).prepare(src, request, first, v);
        KernelCache cache = new KernelCache(dir, warnings::add);
        byte[] good = CacheEdits.binary(cache, key(first, v));
        CacheEdits.editPayload(cache, key(first, v), CacheEdits::flipBinaryBytes);

        FakeDevice second = binaryDevice("fake:0");
        Jit.Prepared again = jit(dir).prepare(src, request, second, v);
        assertEquals(Jit.Origin.CACHED_SOURCE, again.origin());
        assertEquals(1, second.compilations.get());
        assertEquals(0, second.binaryLoads.get(), "a damaged binary never reaches the device");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("its device binary is damaged"), warnings.getFirst());
        assertTrue(warnings.getFirst().contains("rewritten with the new binary"), warnings.getFirst());
        assertArrayEquals(good, CacheEdits.binary(cache, key(first, v)), "the entry holds a good binary again");

        FakeDevice third = binaryDevice("fake:0");
        assertEquals(Jit.Origin.CACHED_BINARY, jit(dir).prepare(src, request, third, v).origin());
        assertEquals(0, third.compilations.get());
    }

    @Test
    void aBinaryTheDeviceRejectsFallsBackToSource(@TempDir Path dir) throws Exception {
        Variant v = Variant.of(src.tileProgram("softmax"));
        Variant other = v.with("softmax_0", new dev.tessera.ir.tile.Schedule(Map.of("wg", 64, "stash", 0)));
        FakeDevice first = binaryDevice("fake:0");
        Jit.Prepared elsewhere = jit(dir).prepare(src, request, first, other);
        jit(dir).prepare(src, request, first, v);
        KernelCache cache = new KernelCache(dir, warnings::add);
        // Intact (its SHA-256 matches) but another program's: only the device can tell.
        CacheEdits.editPayload(cache, key(first, v),
                p -> BinaryPayload.put(p, FakeDevice.binaryOf(elsewhere.program().program())));

        FakeDevice second = binaryDevice("fake:0");
        Jit.Prepared again = jit(dir).prepare(src, request, second, v);
        assertEquals(Jit.Origin.CACHED_SOURCE, again.origin());
        assertEquals(1, second.compilations.get());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("the device rejected its binary (not the binary of softmax"),
                warnings.getFirst());
        assertArrayEquals(FakeDevice.binaryOf(again.program().program()), CacheEdits.binary(cache, key(first, v)));
    }

    @Test
    void anEntryWithoutABinaryGetsOneFromADeviceThatGivesThem(@TempDir Path dir) throws Exception {
        Variant v = Variant.of(src.tileProgram("softmax"));
        jit(dir).prepare(src, request, device("fake:0"), v);
        KernelCache cache = new KernelCache(dir, warnings::add);
        assertFalse(cache.read(key(device("fake:0"), v)).orElseThrow().payload().containsKey(BinaryPayload.BINARY));

        FakeDevice second = binaryDevice("fake:0");
        assertEquals(Jit.Origin.CACHED_SOURCE, jit(dir).prepare(src, request, second, v).origin());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("it has no device binary"), warnings.getFirst());
        FakeDevice third = binaryDevice("fake:0");
        assertEquals(Jit.Origin.CACHED_BINARY, jit(dir).prepare(src, request, third, v).origin());
        assertEquals(0, third.compilations.get());
    }

    @Test
    void tuningResultsAreCachedAndDriveThePolicy(@TempDir Path dir) {
        var clock = new FakeDevice.FakeClock();
        FakeDevice slow = new FakeDevice("opencl:0:0", clock, p -> 50_000, false);
        FakeDevice fast = new FakeDevice("cuda:0", clock, TunerTest::softmaxCost, false);
        List<Device> devices = List.of(slow, fast);
        Variant defaults = Variant.of(src.tileProgram("softmax"));

        Jit before = jit(dir);
        Choice untuned = before.choose(src, request, devices);
        assertSame(fast, untuned.device().orElseThrow(), "untuned: a CUDA GPU first");
        assertEquals(defaults, untuned.variant());
        assertTrue(untuned.reason().startsWith("untuned"), untuned.reason());

        Tuner tuner = TunerTest.tuner(clock, Duration.ofSeconds(30));
        for (FakeDevice d : List.of(slow, fast)) {
            Tuner.Task t = TunerTest.task(src, "softmax", TunerTest.DIMS, d);
            before.tune(src, request, d, tuner, t.inputs(), t.expected());
        }
        Jit after = jit(dir);
        Choice tuned = after.choose(src, request, devices);
        assertSame(fast, tuned.device().orElseThrow(), tuned.reason());
        assertEquals("softmax_0[stash=0,wg=64]", tuned.variant().text());
        assertTrue(tuned.reason().startsWith("tuned: fastest of 2 tuned devices"), tuned.reason());
        // The same bucket (N=3 -> 4, D=5 -> 8) shares the result; another does not.
        KernelRequest near = src.request("softmax", TunerTest.ordered(src, "softmax", Map.of("N", 4L, "D", 7L)));
        assertSame(fast, after.choose(src, near, devices).device().orElseThrow());
        KernelRequest far = src.request("softmax", TunerTest.ordered(src, "softmax", Map.of("N", 400L, "D", 7L)));
        assertTrue(after.choose(src, far, devices).reason().startsWith("untuned"), "another bucket is untuned");
        // A user's device gets its own winner.
        assertEquals("softmax_0[stash=0,wg=64]", after.chooseOn(src, request, fast).variant().text());
        // No device at all: the reference.
        assertEquals("reference", after.choose(src, request, List.of()).deviceName());
        assertEquals(List.of(), warnings);
    }

    @Test
    void wrongVariantsAreNeverCached(@TempDir Path dir) {
        var clock = new FakeDevice.FakeClock();
        FakeDevice d = new FakeDevice("opencl:0:0", clock, TunerTest::softmaxCost, false);
        d.wrong = p -> true;
        Tuner.Task t = TunerTest.task(src, "softmax", TunerTest.DIMS, d);
        TuningResult r = jit(dir).tune(src, request, d, TunerTest.tuner(clock, Duration.ofSeconds(30)), t.inputs(),
                t.expected());
        assertTrue(r.winner().isEmpty());
        assertEquals(List.of(), new KernelCache(dir, warnings::add).list());
        assertTrue(jit(dir).tuned(request, d).isEmpty());
    }
}
