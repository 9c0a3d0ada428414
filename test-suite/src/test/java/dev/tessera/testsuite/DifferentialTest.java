package dev.tessera.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.interp.Comparison;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import dev.tessera.ir.loop.LoopInterpreter;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.passes.Pipeline;
import dev.tessera.passes.tile.Schedules;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;
import dev.tessera.runtime.Execution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example kernel, compiled with the default pipeline and with other schedules, against the reference
 * interpreter: on the loop-IR interpreter and the JVM device (always), on every OpenCL device (PoCL in CI)
 * and on every CUDA GPU (none in CI: those tests are skipped with the reason). Shapes are not
 * multiples of any tile size, inputs are fresh random values (the seed is in the failure message), and the
 * devices poison outputs before each run so that an unwritten element fails.
 */
class DifferentialTest {

    /** Extents for symbolic dims in order of appearance: prime, or at least not a multiple of a tile. */
    static final long[] DEVICE_DIMS = {131, 75, 67, 29, 13};
    static final long[] INTERPRETER_DIMS = {37, 23, 19, 11, 7};

    /**
     * The default schedule; one with small, odd-fitting tiles and an unrolled walk along K to exercise other code
     * paths, and reductions that keep their costly values (stash) across a group of 64; and the JVM device's
     * defaults, a row per work-item.
     */
    static final List<Map<String, Integer>> SCHEDULES = List.of(
            Map.of(),
            Map.of("wg", 64, "stash", 1, "tm", 32, "tn", 16, "tk", 8, "rm", 2, "rn", 4, "unroll", 4),
            Map.of("wg", 1, "stash", 1));

    static Devices found;
    static List<Device> devices = List.of();
    static String noDevice = "";
    static List<Device> gpus = List.of();
    static String noGpu = "";

    @BeforeAll
    static void findDevices() {
        found = Devices.discover();
        devices = found.openCl();
        noDevice = found.openClUnavailable().orElse("");
        gpus = found.cuda();
        noGpu = found.cudaUnavailable().orElse("");
    }

    @AfterAll
    static void closeDevices() {
        found.close();
    }

    static LoopProgram compile(GraphModule module, String kernel, Map<String, Integer> schedule) {
        return compile(module, kernel, schedule, Schedules.Profile.GPU);
    }

    /** With the defaults of the kind of device {@code w} names, under the overrides. */
    static LoopProgram compile(GraphModule module, String kernel, Map<String, Integer> schedule, Schedules.Profile w) {
        Pipeline.Result r = Pipeline.defaults().run(module, new Pipeline.Options(schedule, true, java.util.Set.of(), false,
                (p, t) -> { }).forProfile(w));
        return r.loop().programs().stream().filter(p -> p.name().equals(kernel)).findFirst().orElseThrow();
    }

    static void assertMatches(List<HostTensor> expected, List<HostTensor> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": number of outputs");
        for (int i = 0; i < expected.size(); i++) {
            Comparison c = Comparison.compare(expected.get(i), actual.get(i));
            int o = i;
            assertTrue(c.pass(), () -> what + ": output " + o + ": " + c.summary());
        }
    }

    @TestFactory
    Stream<DynamicTest> onLoopInterpreter() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Examples.Case c : Examples.cases()) {
            for (Map<String, Integer> s : SCHEDULES) {
                tests.add(DynamicTest.dynamicTest(c + " " + s, () -> {
                    long seed = new SplittableRandom().nextLong();
                    Map<String, Long> dims = Examples.dims(c.kernel(), INTERPRETER_DIMS);
                    List<HostTensor> in = Examples.inputs(c.kernel(), dims, seed);
                    List<HostTensor> expected = ReferenceInterpreter.run(c.kernel(), in);
                    LoopProgram p = compile(c.module(), c.kernel().name(), s);
                    List<HostTensor> actual = LoopInterpreter.run(p, dims, in);
                    assertMatches(expected, actual, c + " dims " + dims + " seed " + seed);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> onCuda() {
        return onDevices(() -> gpus, () -> "no CUDA GPU, skipped: " + noGpu);
    }

    @TestFactory
    Stream<DynamicTest> onOpenCl() {
        return onDevices(() -> devices, () -> "no OpenCL device, skipped: " + noDevice);
    }

    private static Stream<DynamicTest> onDevices(java.util.function.Supplier<List<Device>> which,
            java.util.function.Supplier<String> whyNone) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Examples.Case c : Examples.cases()) {
            for (Map<String, Integer> s : SCHEDULES) {
                tests.add(DynamicTest.dynamicTest(c + " " + s, () -> {
                    List<Device> devices = which.get();
                    Assumptions.assumeFalse(devices.isEmpty(), whyNone);
                    long seed = new SplittableRandom().nextLong();
                    Map<String, Long> dims = Examples.dims(c.kernel(), DEVICE_DIMS);
                    List<HostTensor> in = Examples.inputs(c.kernel(), dims, seed);
                    List<HostTensor> expected = ReferenceInterpreter.run(c.kernel(), in);
                    LoopProgram p = compile(c.module(), c.kernel().name(), s);
                    for (Device d : devices) {
                        Execution e = d.run(d.compile(p), in, 1);
                        assertMatches(expected, e.outputs(), c + " on " + d.id() + " dims " + dims + " seed " + seed);
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** The JVM device is always present, so nothing here is ever skipped. */
    @TestFactory
    Stream<DynamicTest> onJvm() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Examples.Case c : Examples.cases()) {
            for (Map<String, Integer> s : SCHEDULES) {
                tests.add(DynamicTest.dynamicTest(c + " " + s, () -> {
                    long seed = new SplittableRandom().nextLong();
                    Map<String, Long> dims = Examples.dims(c.kernel(), DEVICE_DIMS);
                    List<HostTensor> in = Examples.inputs(c.kernel(), dims, seed);
                    List<HostTensor> expected = ReferenceInterpreter.run(c.kernel(), in);
                    LoopProgram p = compile(c.module(), c.kernel().name(), s);
                    Device d = found.jvm();
                    Execution e = d.run(d.compile(p), in, 1);
                    assertMatches(expected, e.outputs(), c + " on " + d.id() + " dims " + dims + " seed " + seed);
                }));
            }
        }
        return tests.stream();
    }
}
