package dev.tessera.runtime.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import dev.tessera.runtime.Devices;
import dev.tessera.runtime.cache.CacheKey;
import dev.tessera.runtime.cache.KernelCache;
import dev.tessera.runtime.opencl.OpenClDevice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JIT's cache of OpenCL program binaries on a real OpenCL device (PoCL here): each "process" below
 * discovers its own devices and makes its own JIT over one cache directory, as separate runs of tessera would.
 */
class JitOpenClBinaryTest {

    final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    final CompiledSource src = CompiledSource.compile("softmax.tsr", TunerTest.SOFTMAX);
    /** Several rows and a row longer than a work-group, so that every part of the kernel runs. */
    final Map<String, Long> dims = TunerTest.ordered(src, "softmax", Map.of("N", 33L, "D", 777L));
    final KernelRequest request = src.request("softmax", dims);
    final List<HostTensor> inputs = Jit.randomInputs(src.kernel("softmax"), dims, 5);

    /** What one process saw: where its program came from, what its device compiled and loaded, its output. */
    record Process(Jit.Origin origin, int sourceBuilds, int binaryLoads, CacheKey key, HostTensor output) {}

    Process process(Path dir) {
        try (Devices found = Devices.discover();
                Jit jit = new Jit(Optional.of(new KernelCache(dir, warnings::add)), warnings::add)) {
            assumeTrue(!found.openCl().isEmpty(),
                    () -> "skipped: " + found.openClUnavailable().orElse("no OpenCL devices"));
            OpenClDevice d = (OpenClDevice) found.openCl().getFirst();
            Variant v = Variants.defaults(src.tileProgram("softmax"), d.scheduleProfile());
            Jit.Prepared p = jit.prepare(src, request, d, v);
            HostTensor out = d.run(p.program(), inputs, 1).output(0);
            return new Process(p.origin(), d.sourceBuilds(), d.binaryLoads(),
                    CacheKeys.artefact(request, DeviceIdentity.of(d), v), out);
        }
    }

    static void assertSameBits(HostTensor want, HostTensor got) {
        assertArrayEquals(want.shape(), got.shape());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(Double.doubleToRawLongBits(want.data()[i]), Double.doubleToRawLongBits(got.data()[i]),
                    "element " + i + ": " + want.data()[i] + " vs " + got.data()[i]);
        }
    }

    @Test
    void aSecondProcessLoadsTheBinaryWithoutTheCompilerAndComputesTheSameBits(@TempDir Path dir) {
        Process cold = process(dir);
        assertEquals(Jit.Origin.BUILT, cold.origin());
        assertEquals(1, cold.sourceBuilds());
        double[] want = ReferenceInterpreter.run(src.kernel("softmax"), inputs).getFirst().data();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], cold.output().data()[i], 1e-6, "element " + i + " against the reference");
        }

        Process warm = process(dir);
        assertEquals(Jit.Origin.CACHED_BINARY, warm.origin());
        assertEquals(0, warm.sourceBuilds(), "no OpenCL C was compiled");
        assertEquals(1, warm.binaryLoads());
        assertSameBits(cold.output(), warm.output());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aCorruptedBinaryIsWarnedAboutRebuiltFromSourceAndRewritten(@TempDir Path dir) throws Exception {
        Process cold = process(dir);
        KernelCache cache = new KernelCache(dir, warnings::add);
        CacheEdits.editPayload(cache, cold.key(), CacheEdits::flipBinaryBytes);

        Process repaired = process(dir);
        assertEquals(Jit.Origin.CACHED_SOURCE, repaired.origin());
        assertEquals(1, repaired.sourceBuilds());
        assertEquals(0, repaired.binaryLoads(), "the corrupted binary never reached the driver");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("its device binary is damaged"), warnings.getFirst());
        assertSameBits(cold.output(), repaired.output());
        CacheEdits.binary(cache, cold.key()); // checks the SHA-256, which the corrupted binary fails

        Process warm = process(dir);
        assertEquals(Jit.Origin.CACHED_BINARY, warm.origin(), "the rewritten entry holds a binary that loads");
        assertEquals(0, warm.sourceBuilds());
        assertSameBits(cold.output(), warm.output());
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void anIntactBinaryTheDriverRefusesFallsBackToSource(@TempDir Path dir) throws Exception {
        Process cold = process(dir);
        KernelCache cache = new KernelCache(dir, warnings::add);
        // Its SHA-256 is recorded, so only the driver can tell that it is no program binary.
        CacheEdits.editPayload(cache, cold.key(),
                p -> BinaryPayload.put(p, "not a program binary".getBytes(StandardCharsets.US_ASCII)));

        Process repaired = process(dir);
        assertEquals(Jit.Origin.CACHED_SOURCE, repaired.origin());
        assertEquals(1, repaired.sourceBuilds());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("the device rejected its binary (the driver refuses it: "
                + "clCreateProgramWithBinary failed: CL_INVALID_BINARY"), warnings.getFirst());
        assertSameBits(cold.output(), repaired.output());
        assertEquals(Jit.Origin.CACHED_BINARY, process(dir).origin());
    }
}
