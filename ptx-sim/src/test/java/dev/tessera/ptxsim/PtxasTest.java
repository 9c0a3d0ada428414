package dev.tessera.ptxsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written PTX the other tests run is real PTX: ptxas assembles it (skipped without ptxas). */
class PtxasTest {

    @ParameterizedTest
    @ValueSource(strings = {"block_sum", "warp_sum", "mma_fragments", "mma_ldmatrix"})
    void assembles(String name) throws IOException, InterruptedException {
        Path file = Files.createTempFile(name, ".ptx");
        Files.writeString(file, Eval.resource("ptx/" + name + ".ptx"));
        Process p;
        try {
            p = new ProcessBuilder("ptxas", "-arch=sm_80", file.toString(), "-o", "/dev/null")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "ptxas is not on the PATH (" + e.getMessage() + ")");
            return;
        }
        String log = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), log);
    }
}
