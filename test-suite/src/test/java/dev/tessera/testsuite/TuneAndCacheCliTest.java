package dev.tessera.testsuite;

import static dev.tessera.testsuite.CliTest.example;
import static dev.tessera.testsuite.CliTest.tessera;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.runtime.Devices;
import dev.tessera.testsuite.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera tune} and {@code tessera cache} as a user meets them, each test with its own cache directory. */
class TuneAndCacheCliTest {

    static void assumeOpenCl() {
        try (Devices d = Devices.discover()) {
            assumeTrue(!d.openCl().isEmpty(), () -> "skipped: " + d.openClUnavailable().orElse("no OpenCL device"));
        }
    }

    @Test
    void tuneCachesTheWinnerAndRunUsesIt(@TempDir Path cache) {
        assumeOpenCl();
        String dir = cache.toString();
        Run t = tessera("tune", example("softmax.tsr"), "--shape", "N=64,D=100", "--device", "opencl", "--budget", "20s", "--progress",
                "plain", "--cache-dir", dir);
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.out().contains("softmax on opencl:0:0 (N=64 D=100, device timing):"), t.out());
        // PoCL is a CPU device: its defaults are the CPU ones.
        assertTrue(t.out().contains("stash=1,wg=64 (default)"), t.out());
        assertEquals(1, CliTest.count(t.out(), "<- winner"), t.out());
        assertTrue(t.out().contains("cached in " + cache.toAbsolutePath().resolve("v1")), t.out());
        assertTrue(t.err().contains("tune: softmax on opencl:0:0 [1/6] stash=1,wg=64:"), t.err());
        assertFalse(t.err().contains("\r"), "no bar redraws when stderr is not a terminal");

        Run list = tessera("cache", "list", "--cache-dir", dir);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().matches("(?s).*tuned +softmax +opencl:0:0 +N=64 D=100 +stash=[01],wg=\\d+ .*"), list.out());
        assertTrue(list.out().contains("examples/softmax.tsr") || list.out().contains("softmax.tsr"), list.out());

        // A shape in the same bucket (N=64, D=100 -> 128) runs with the tuned schedule.
        Run run = tessera("run", example("softmax.tsr"), "--shape", "N=60,D=99", "--check", "--cache-dir", dir);
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("tuned schedule stash="), run.out());
        assertTrue(run.out().contains("PASS"), run.out());
        // Another bucket does not.
        Run other = tessera("run", example("softmax.tsr"), "--shape", "N=600,D=99", "--cache-dir", dir);
        assertFalse(other.out().contains("tuned schedule"), other.out());

        Run summary = tessera("cache", "--cache-dir", dir);
        assertTrue(summary.out().contains("1 tuning result"), summary.out());

        Run clear = tessera("cache", "clear", "--cache-dir", dir);
        assertEquals(0, clear.code(), clear.err());
        assertTrue(clear.out().matches("removed [2-9] entries \\(.*\\) from .*v1\\n"), clear.out());
        assertTrue(tessera("cache", "list", "--cache-dir", dir).out().contains("is empty"));
    }

    @Test
    void listSkipsADamagedEntryWithAWarning(@TempDir Path cache) throws IOException {
        assumeOpenCl();
        String dir = cache.toString();
        assertEquals(0, tessera("run", example("axpy.tsr"), "--cache-dir", dir).code());
        assertEquals(0, tessera("run", example("gelu.tsr"), "--cache-dir", dir).code());
        List<Path> entries;
        try (var files = Files.list(cache.resolve("v1"))) {
            entries = files.filter(f -> f.toString().endsWith(".entry")).sorted().toList();
        }
        assertTrue(entries.size() >= 2, entries.toString());
        byte[] b = Files.readAllBytes(entries.getFirst());
        b[b.length / 2] ^= 1;
        Files.write(entries.getFirst(), b);
        Run list = tessera("cache", "list", "--cache-dir", dir);
        assertEquals(0, list.code());
        assertTrue(list.err().contains("warning: ignoring cache entry " + entries.getFirst()), list.err());
        assertTrue(list.err().contains("checksum mismatch"), list.err());
        assertTrue(list.out().contains((entries.size() - 1) + " entr"), list.out());
        // The next run rebuilds it.
        Run again = tessera("run", example("axpy.tsr"), "--cache-dir", dir);
        assertEquals(0, again.code());
        Run after = tessera("run", example("gelu.tsr"), "--cache-dir", dir);
        assertEquals(0, after.code());
        assertFalse(tessera("cache", "list", "--cache-dir", dir).err().contains("warning"));
    }

    @Test
    void clearLeavesOtherFilesAlone(@TempDir Path cache) throws IOException {
        Path mine = cache.resolve("mine.txt");
        Files.writeString(mine, "not Tessera's");
        Run clear = tessera("cache", "clear", "--cache-dir", cache.toString());
        assertEquals(0, clear.code(), clear.err());
        assertTrue(clear.out().startsWith("removed 0 entries"), clear.out());
        assertTrue(Files.exists(mine));
    }

    @Test
    void tuneMistakesAreClearErrors(@TempDir Path cache) throws IOException {
        String dir = cache.toString();
        Run budget = tessera("tune", example("softmax.tsr"), "--budget", "soon", "--cache-dir", dir);
        assertEquals(1, budget.code());
        assertTrue(budget.err().contains("bad --budget 'soon'"), budget.err());
        Run kernel = tessera("tune", example("attention.tsr"), "--kernel", "nope", "--cache-dir", dir);
        assertEquals(1, kernel.code());
        assertTrue(kernel.err().contains("no kernel 'nope'"), kernel.err());
        Path bad = cache.resolve("bad.tsr");
        Files.writeString(bad, "kernel k(x: f32[N]) -> f32[N] {\n  return exp(x +)\n}\n");
        Run syntax = tessera("tune", bad.toString(), "--cache-dir", dir);
        assertEquals(1, syntax.code());
        assertTrue(syntax.err().contains(bad + ":2:"), syntax.err());
        Run device = tessera("tune", example("softmax.tsr"), "--device", "nosuch:3", "--cache-dir", dir);
        assertEquals(1, device.code());
        assertTrue(device.err().contains("no device"), device.err());
    }

    @Test
    void helpForTheNewCommands() {
        for (String[] c : new String[][] {{"tune"}, {"cache"}, {"cache", "list"}, {"cache", "clear"}}) {
            String[] args = java.util.Arrays.copyOf(c, c.length + 1);
            args[c.length] = "--help";
            Run r = tessera(args);
            assertEquals(0, r.code(), String.join(" ", c));
            assertTrue(r.out().contains("Usage: tessera " + String.join(" ", c)), r.out());
        }
    }
}
