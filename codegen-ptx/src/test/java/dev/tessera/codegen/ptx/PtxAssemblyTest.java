package dev.tessera.codegen.ptx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every kernel of every example and test kernel file, emitted for every supported architecture, must be
 * accepted by NVIDIA's assembler: the strongest check of the PTX available without a GPU. Skipped, with the
 * reason, where ptxas is not installed.
 */
class PtxAssemblyTest {

    @TestFactory
    Stream<DynamicTest> everyKernelAssemblesForEveryArch() {
        return cases(Map.of(), "default schedule");
    }

    @TestFactory
    Stream<DynamicTest> everyKernelAssemblesWithAnotherSchedule() {
        return cases(Kernels.VARIANT, "schedule " + Kernels.VARIANT);
    }

    private static Stream<DynamicTest> cases(Map<String, Integer> schedule, String what) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : Kernels.files()) {
            for (PtxArch arch : PtxArch.values()) {
                tests.add(DynamicTest.dynamicTest(file.getFileName() + " " + arch + " (" + what + ")", () -> {
                    assumeTrue(Ptxas.unavailable().isEmpty(), () -> Ptxas.unavailable().orElse(""));
                    for (LoopProgram p : Kernels.compile(file, schedule)) {
                        assemble(p, arch);
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static void assemble(LoopProgram p, PtxArch arch) {
        String ptx = PtxEmitter.emit(p, arch);
        Ptxas.Result r = Ptxas.assemble(ptx, arch, true);
        assertTrue(r.ok(), () -> "ptxas -arch=" + arch + " rejected program '" + p.name() + "':\n"
                + Ptxas.explain(ptx, r.log()));
        List<Ptxas.KernelStats> stats = Ptxas.stats(r.log());
        assertEquals(p.kernels().size(), stats.size(), () -> "one entry per kernel expected:\n" + r.log());
        for (LoopKernel k : p.kernels()) {
            String symbol = PtxEmitter.kernelSymbol(k);
            assertTrue(stats.stream().anyMatch(s -> s.symbol().equals(symbol)), () -> symbol + " missing:\n" + r.log());
        }
    }
}
