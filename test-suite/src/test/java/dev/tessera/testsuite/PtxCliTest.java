package dev.tessera.testsuite;

import static dev.tessera.testsuite.CliTest.count;
import static dev.tessera.testsuite.CliTest.example;
import static dev.tessera.testsuite.CliTest.tessera;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.codegen.ptx.Ptxas;
import dev.tessera.runtime.Devices;
import dev.tessera.testsuite.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tessera compile --target ptx} (the PTX target, its --arch and --stats options) and the CUDA device
 * in {@code tessera devices} and {@code tessera run --device cuda}, as a user meets them.
 */
class PtxCliTest {

    @Test
    void softmaxIsOnePtxEntryForTheDefaultArch() {
        Run r = tessera("compile", example("softmax.tsr"), "--target", "ptx");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, count(r.out(), "\\.visible \\.entry tsr_softmax_0\\("), r.out());
        assertTrue(r.out().contains("\n.version 7.8\n.target sm_80\n.address_size 64\n"), r.out());
        assertTrue(r.err().isEmpty(), r.err());
    }

    @Test
    void archSelectsTheTarget() {
        for (String arch : List.of("sm_80", "sm_86", "sm_89", "sm_90", "SM_90")) {
            Run r = tessera("compile", example("layernorm.tsr"), "--target", "ptx", "--arch", arch);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(".target " + arch.toLowerCase() + "\n"), r.out());
        }
    }

    @Test
    void badArchIsAUserErrorNamingTheSupportedOnes() {
        Run r = tessera("compile", example("softmax.tsr"), "--target", "ptx", "--arch", "sm_70");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown --arch 'sm_70'; supported: sm_80, sm_86, sm_89, sm_90"), r.err());
        Run other = tessera("compile", example("softmax.tsr"), "--target", "opencl", "--arch", "sm_90");
        assertEquals(1, other.code());
        assertTrue(other.err().contains("--arch selects the GPU architecture of --target ptx"), other.err());
        Run stats = tessera("compile", example("softmax.tsr"), "--stats");
        assertEquals(1, stats.code());
        assertTrue(stats.err().contains("--stats"), stats.err());
    }

    @Test
    void outputDirGetsOnePtxFilePerKernel(@TempDir Path dir) throws IOException {
        Path kernels = Examples.TEST_KERNELS.resolve("dtypes.tsr");
        Run r = tessera("compile", kernels.toString(), "--target", "ptx", "--arch", "sm_89", "-o", dir.toString());
        assertEquals(0, r.code(), r.err());
        List<String> names;
        try (Stream<Path> s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(names.contains("half_softmax.ptx") && names.contains("int_matmul.ptx"), names.toString());
        assertTrue(names.stream().allMatch(n -> n.endsWith(".ptx")), names.toString());
        assertEquals(Examples.parse(kernels).kernels().size(), names.size(), names.toString());
        String bf16 = Files.readString(dir.resolve("bf16_scale.ptx"));
        assertTrue(bf16.contains(".target sm_89") && bf16.contains("st.global.u16"), bf16);
    }

    @Test
    void statsReportRegistersSharedMemoryAndSpillsPerKernel() {
        assumeTrue(Ptxas.unavailable().isEmpty(), () -> Ptxas.unavailable().orElse(""));
        Run r = tessera("compile", example("softmax.tsr"), "--target", "ptx", "--arch", "sm_90", "--stats");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().matches("(?s)stats: softmax\\.ptx tsr_softmax_0 \\(sm_90\\): \\d+ registers, 512 bytes shared, "
                + "0 bytes stack, no spills\n"), r.err());
        assertTrue(r.out().contains(".visible .entry tsr_softmax_0("), "the code still goes to stdout");
        Run all = tessera("compile", Examples.TEST_KERNELS.resolve("shapes.tsr").toString(), "--target", "ptx", "--stats");
        assertEquals(0, all.code(), all.err());
        assertEquals(count(all.out(), "\\.visible \\.entry "), count(all.err(), "(?m)^stats: "), all.err());
    }

    @Test
    void statsWithoutPtxasSayWhyAndStillCompile() {
        String before = System.getProperty(Ptxas.PROPERTY);
        System.setProperty(Ptxas.PROPERTY, "");
        try {
            Run r = tessera("compile", example("softmax.tsr"), "--target", "ptx", "--stats");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("tessera: note: --stats needs ptxas: ptxas is disabled"), r.err());
            assertFalse(r.err().contains("stats: "), r.err());
            assertTrue(r.out().contains(".visible .entry tsr_softmax_0("), r.out());
        } finally {
            if (before == null) {
                System.clearProperty(Ptxas.PROPERTY);
            } else {
                System.setProperty(Ptxas.PROPERTY, before);
            }
        }
    }

    @Test
    void helpListsThePtxTarget() {
        Run r = tessera("compile", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("opencl, ptx"), r.out());
        assertTrue(r.out().contains("--arch"), r.out());
    }

    @Test
    void devicesListCudaOrSayWhyNot() {
        Run r = tessera("devices");
        assertEquals(0, r.code(), r.err());
        try (Devices found = Devices.discover()) {
            if (found.cuda().isEmpty()) {
                assertTrue(r.out().contains("cuda: none (" + found.cudaUnavailable().orElseThrow() + ")"), r.out());
            } else {
                assertTrue(r.out().contains("cuda:0  "), r.out());
                assertTrue(r.out().contains("compute capability"), r.out());
            }
        }
    }

    @Test
    void runOnCudaChecksAgainstTheReferenceOrExplainsItsAbsence() {
        Run r = tessera("run", example("softmax.tsr"), "--device", "cuda", "--check");
        try (Devices found = Devices.discover()) {
            if (found.cuda().isEmpty()) {
                assertEquals(1, r.code(), r.out());
                assertTrue(r.err().contains("tessera: error: " + found.cudaUnavailable().orElseThrow()), r.err());
            } else {
                assertEquals(0, r.code(), r.out() + r.err());
                assertTrue(r.out().contains("PASS"), r.out());
            }
        }
        Run bad = tessera("run", example("softmax.tsr"), "--device", "cuda:x");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("unknown device 'cuda:x'; use auto, cuda, cuda:I, opencl, opencl:I, jvm or reference"),
                bad.err());
    }
}
