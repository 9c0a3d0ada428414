package dev.tessera.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JVM's fault handlers survive OpenCL. The CI once lost a test JVM to "Segmentation fault" (no hs_err) after
 * PoCL had replaced them; see {@link FaultHandlers} for how that kills a JVM.
 */
class FaultHandlersTest {

    @Test
    void theTestJvmRunsWithSignalChainingAsTheLauncherDoes() {
        FaultHandlers faults = FaultHandlers.process().orElseThrow();
        assertTrue(faults.chained(), "surefire must preload $JAVA_HOME/lib/libjsig.so (see the root pom)");
    }

    @Test
    void withSignalChainingOpenClLeavesTheHandlersAlone() throws Exception {
        Map<String, String> facts = run(Map.of("LD_PRELOAD", Path.of(System.getProperty("java.home"), "lib",
                "libjsig.so").toString()));
        assumeTrue(facts.get("opencl").equals("true"), "no OpenCL device here");
        assertEquals("true", facts.get("chained"));
        assertEquals("[]", facts.get("replaced"));
        assertEquals(null, facts.get("warning"), "nothing to warn about");
    }

    @Test
    void withoutSignalChainingTheHandlersArePutBackAndTheUserIsWarned() throws Exception {
        Map<String, String> facts = run(Map.of());
        assumeTrue(facts.get("opencl").equals("true"), "no OpenCL device here");
        assertEquals("false", facts.get("chained"));
        assertEquals("[]", facts.get("replaced"), "after discovery, a build and a launch, the JVM's handlers are back");
        // PoCL's LLVM replaces them at discovery; another driver might not, and then there is nothing to say.
        String warning = facts.get("warning");
        assumeTrue(warning != null, "this OpenCL driver leaves the fault handlers alone");
        assertTrue(warning.contains("LD_PRELOAD=$JAVA_HOME/lib/libjsig.so"), warning);
        assertTrue(warning.contains("SIGSEGV"), warning);
    }

    /** Runs {@link FaultHandlersMain} in a fresh JVM whose environment has {@code env} and no other preload. */
    private static Map<String, String> run(Map<String, String> env) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), FaultHandlersMain.class.getName())
                .redirectErrorStream(true);
        pb.environment().remove("LD_PRELOAD");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Map<String, String> facts = new java.util.HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("opencl|chained|replaced|warning")) {
                facts.put(line.substring(0, eq), line.substring(eq + 1));
            } else if (!line.isBlank()) {
                unknown.add(line);
            }
        }
        assertEquals(List.of(), unknown, "the process printed nothing else");
        return facts;
    }
}
