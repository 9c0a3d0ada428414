package dev.tessera.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;
import dev.tessera.runtime.Execution;
import dev.tessera.runtime.ShapeBinder;
import dev.tessera.runtime.StorageCodec;
import dev.tessera.runtime.StoredTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Device#runStored}, the Java API's path (inputs and outputs in native memory as they are), against
 * {@link Device#run}, bit for bit, on every example: on the JVM device (which computes in the caller's
 * memory), on every OpenCL and CUDA device present, and through the interface's default, which decodes and
 * encodes. Output segments start poisoned, so an element the stored run leaves unwritten differs.
 */
class StoredRunTest {

    static Devices found;

    @BeforeAll
    static void discover() {
        found = Devices.discover();
    }

    @AfterAll
    static void close() {
        found.close();
    }

    /** The JVM device seen only through {@link Device#run}: what every device without its own runStored does. */
    record RunOnly(Device inner) implements Device {
        public String id() {
            return inner.id() + " (run only)";
        }

        public String description() {
            return inner.description();
        }

        public Map<String, String> properties() {
            return inner.properties();
        }

        public CompiledProgram compile(LoopProgram program) {
            return inner.compile(program);
        }

        public Execution run(CompiledProgram program, List<HostTensor> inputs, int repeat) {
            return inner.run(program, inputs, repeat);
        }

        public void close() {}
    }

    @TestFactory
    Stream<DynamicTest> storedRunsComputeWhatRunsDo() {
        List<Device> devices = new ArrayList<>(found.all());
        devices.add(new RunOnly(found.jvm()));
        List<DynamicTest> tests = new ArrayList<>();
        for (Examples.Case c : Examples.cases()) {
            for (Device d : devices) {
                tests.add(DynamicTest.dynamicTest(c + " on " + d.id(), () -> check(c, d)));
            }
        }
        return tests.stream();
    }

    private static void check(Examples.Case c, Device d) {
        long seed = new SplittableRandom().nextLong();
        Map<String, Long> dims = Examples.dims(c.kernel(), DifferentialTest.DEVICE_DIMS);
        List<HostTensor> in = Examples.inputs(c.kernel(), dims, seed);
        String what = c + " on " + d.id() + " dims " + dims + " seed " + seed;
        LoopProgram p = DifferentialTest.compile(c.module(), c.kernel().name(), Map.of(), d.scheduleProfile());
        CompiledProgram compiled = d.compile(p);
        try (Arena arena = Arena.ofShared()) {
            List<StoredTensor> stored = new ArrayList<>();
            for (HostTensor t : in) {
                stored.add(new StoredTensor(t.dtype(), t.shape(), StorageCodec.encode(arena, t)));
            }
            List<MemorySegment> outputs = new ArrayList<>();
            for (Buffer b : p.buffers().outputs()) {
                long bytes = StorageCodec.byteSize(b.type().dtype(), b.type().shape().elementCount(dims));
                outputs.add(arena.allocate(Math.max(1, bytes), 8).asSlice(0, bytes).fill((byte) 0xFF));
            }
            // Before run: a device keeps buffers between runs (OpenCL), and one that run had just filled with
            // the right answer would hide an element runStored leaves unwritten.
            d.runStored(compiled, stored, outputs);
            List<HostTensor> byRun = d.run(compiled, in, 1).outputs();
            List<HostTensor> byStored = new ArrayList<>();
            for (int i = 0; i < outputs.size(); i++) {
                Buffer b = p.buffers().outputs().get(i);
                byStored.add(StorageCodec.decode(b.type().dtype(), ShapeBinder.shapeOf(b, dims), outputs.get(i)));
            }
            // Bit for bit what run computes; DifferentialTest compares run with the reference (a near-zero sum of
            // thousands of f32 values can miss the reference's tolerance on an unlucky seed, whichever way it runs).
            assertEquals(byRun.size(), byStored.size(), what);
            for (int i = 0; i < byRun.size(); i++) {
                assertArrayEquals(byRun.get(i).data(), byStored.get(i).data(), what + ": output " + i
                        + " differs between run and runStored");
            }
            // The inputs are the caller's: a stored run reads them and leaves them as they were.
            for (int i = 0; i < in.size(); i++) {
                assertArrayEquals(in.get(i).data(), stored.get(i).decode().data(), what + ": input " + i + " changed");
            }
        }
    }
}
