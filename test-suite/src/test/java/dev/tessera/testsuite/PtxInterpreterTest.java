package dev.tessera.testsuite;

import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import dev.tessera.ir.loop.LoopProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The PTX Tessera emits, executed by the independent PTX interpreter ({@code ptx-sim}, which parses the PTX
 * text), against the reference interpreter: every example and test kernel, both schedules, odd shapes,
 * fresh random inputs and poisoned outputs. This is how PTX is shown correct without a GPU.
 */
class PtxInterpreterTest {

    @TestFactory
    Stream<DynamicTest> everyKernelOnThePtxInterpreter() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Examples.Case c : Examples.cases()) {
            for (Map<String, Integer> s : DifferentialTest.SCHEDULES) {
                tests.add(DynamicTest.dynamicTest(c + " " + s, () -> {
                    long seed = new SplittableRandom().nextLong();
                    Map<String, Long> dims = Examples.dims(c.kernel(), DifferentialTest.INTERPRETER_DIMS);
                    List<HostTensor> in = Examples.inputs(c.kernel(), dims, seed);
                    List<HostTensor> expected = ReferenceInterpreter.run(c.kernel(), in);
                    LoopProgram p = DifferentialTest.compile(c.module(), c.kernel().name(), s);
                    List<HostTensor> actual = PtxSimRun.run(p, in);
                    DifferentialTest.assertMatches(expected, actual, c + " on ptx-sim dims " + dims + " seed " + seed);
                }));
            }
        }
        return tests.stream();
    }
}
