package dev.tessera.runtime.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed while writing entries leaves a cache that a new instance reads safely: every entry it
 * serves is complete and exactly what was written for its key, never a torn one.
 */
class CacheCrashTest {

    static final int KEYS = 4;
    /** Large enough that a write (and its fsync) takes a while, so a kill lands mid-write. */
    static final int PAYLOAD_CHARS = 3 << 20;

    static CacheKey key(int k) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("kernel", "k" + k);
        return new CacheKey("crash-test", f);
    }

    /** Every write of key k has its generation in the first line and a body that depends on both. */
    static Map<String, String> payload(int k, long generation) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("generation", Long.toString(generation));
        String unit = "key " + k + " generation " + generation + "\n";
        p.put("body", unit.repeat(PAYLOAD_CHARS / unit.length()));
        return p;
    }

    @Test
    @Timeout(180)
    void killedWritersNeverLeaveACorruptEntryBehind(@TempDir Path dir) throws Exception {
        int tornWrites = 0;
        for (int round = 0; round < 4 && tornWrites == 0; round++) {
            // A torn write is a temporary file the killed writer never renamed.
            Process child = startWriter(dir);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                int wrote = 0;
                String line;
                // Let it complete a few writes, then kill it as soon as the next one's temporary file appears.
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("wrote ")) {
                        wrote++;
                    } else if (line.startsWith("writing ") && wrote >= 3 + round) {
                        break;
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (temporaries(dir).isEmpty() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                if (wrote < 3) {
                    throw new AssertionError("the writer did not get going: "
                            + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                }
            } finally {
                child.destroyForcibly();
            }
            tornWrites += temporaries(dir).size();
            checkEverythingServedIsIntact(dir);
        }
        assertTrue(tornWrites > 0, "no kill landed inside a write in four tries");
    }

    private static void checkEverythingServedIsIntact(Path dir) {
        List<String> warnings = new ArrayList<>();
        KernelCache fresh = new KernelCache(dir, warnings::add);
        List<CacheEntry> listed = fresh.list();
        assertTrue(!listed.isEmpty(), "completed writes survive");
        for (CacheEntry e : listed) {
            int k = Integer.parseInt(e.key().field("kernel").substring(1));
            long gen = Long.parseLong(e.get("generation"));
            assertEquals(payload(k, gen), e.payload(), "entry " + e.file() + " is exactly one write");
        }
        for (int k = 0; k < KEYS; k++) {
            Optional<CacheEntry> e = fresh.read(key(k));
            if (e.isPresent()) {
                assertEquals(payload(k, Long.parseLong(e.get().get("generation"))), e.get().payload());
            }
        }
        assertEquals(List.of(), warnings, "atomic renames leave nothing damaged to warn about");
    }

    private static List<Path> temporaries(Path dir) throws IOException {
        Path v1 = dir.resolve(KernelCache.LAYOUT);
        if (!Files.isDirectory(v1)) {
            return List.of();
        }
        try (var files = Files.list(v1)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static Process startWriter(Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CacheWriterMain.class.getName(), dir.toString(), Integer.toString(KEYS))
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
    }
}
