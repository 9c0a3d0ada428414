package dev.tessera.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API example of the docs runs as documented: {@code java -cp ... examples/java/ApiExample.java} in
 * a JVM of its own (the source launcher), here with the test class path instead of the shaded jar.
 */
class ApiExampleTest {

    @Test
    @Timeout(120)
    void theDocumentedExampleRuns(@TempDir Path cache) throws IOException, InterruptedException {
        Path root = Examples.DIR.getParent();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Path.of("examples", "java", "ApiExample.java").toString(),
                Path.of("examples", "softmax.tsr").toString())
                .directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("TESSERA_CACHE", cache.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("kernel  softmax(x: f32[N, D]) -> f32[N, D]"), out);
        assertTrue(out.contains("every row sums to 1"), out);
    }
}
