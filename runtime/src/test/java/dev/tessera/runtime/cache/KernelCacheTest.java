package dev.tessera.runtime.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries round-trip; damaged, foreign and misplaced files are ignored with a warning; clear is careful. */
class KernelCacheTest {

    static CacheKey key(String kernel) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("source", "ab12");
        f.put("kernel", kernel);
        f.put("device", "opencl:0:0");
        f.put("device-description", "a device / with: odd ../ characters");
        return new CacheKey("artefact", f);
    }

    static Map<String, String> payload(String code) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("variant", "k_0[wg=64]");
        p.put("code", code);
        return p;
    }

    final List<String> warnings = new ArrayList<>();

    KernelCache cache(Path dir) {
        return new KernelCache(dir, warnings::add);
    }

    @Test
    void roundTripsAndNamesFilesByTheKeysHash(@TempDir Path dir) throws IOException {
        KernelCache c = cache(dir);
        String code = "__kernel void k() {}\n// ünïcode, tabs\tand\nnewlines\n\n";
        assertTrue(c.write(key("softmax"), payload(code)));
        CacheEntry e = c.read(key("softmax")).orElseThrow();
        assertEquals(code, e.get("code"));
        assertEquals(key("softmax"), e.key());
        assertEquals(Optional.empty(), c.read(key("other")));
        Path file = c.fileFor(key("softmax"));
        assertEquals(key("softmax").sha256() + ".entry", file.getFileName().toString());
        assertEquals(dir.toAbsolutePath().resolve("v1"), file.getParent());
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of("CACHEDIR.TAG", file.getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file is left behind");
        }
        // A second write replaces the first.
        c.write(key("softmax"), payload("v2"));
        assertEquals("v2", c.read(key("softmax")).orElseThrow().get("code"));
        assertEquals(1, c.list().size());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aTruncatedEntryIsIgnoredWithAWarning(@TempDir Path dir) throws IOException {
        KernelCache c = cache(dir);
        c.write(key("softmax"), payload("x".repeat(1000)));
        Path f = c.fileFor(key("softmax"));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 10));
        assertEquals(Optional.empty(), c.read(key("softmax")));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("truncated") && warnings.getFirst().contains(f.toString()),
                warnings.getFirst());
        assertEquals(List.of(), c.list());
        // Rebuilding replaces it.
        c.write(key("softmax"), payload("fresh"));
        assertEquals("fresh", c.read(key("softmax")).orElseThrow().get("code"));
    }

    @Test
    void aFlippedBitIsIgnoredWithAWarning(@TempDir Path dir) throws IOException {
        KernelCache c = cache(dir);
        c.write(key("softmax"), payload("__kernel void k() { int x = 1; }"));
        Path f = c.fileFor(key("softmax"));
        byte[] all = Files.readAllBytes(f);
        all[all.length - 12] ^= 0x04;
        Files.write(f, all);
        assertEquals(Optional.empty(), c.read(key("softmax")));
        assertTrue(warnings.getFirst().contains("checksum mismatch"), warnings.toString());
    }

    @Test
    void anEntryForAnotherKeyIsNotServed(@TempDir Path dir) throws IOException {
        KernelCache c = cache(dir);
        c.write(key("softmax"), payload("softmax code"));
        // As if two keys collided, or a file were copied under another name.
        Files.createDirectories(c.directory());
        Files.copy(c.fileFor(key("softmax")), c.fileFor(key("layernorm")));
        assertEquals(Optional.empty(), c.read(key("layernorm")));
        assertTrue(warnings.getFirst().contains("holds another key"), warnings.toString());
        assertEquals(1, c.list().size(), "list shows only the entry whose name matches its key");
    }

    @Test
    void garbageAndForeignFilesAreIgnored(@TempDir Path dir) throws IOException {
        KernelCache c = cache(dir);
        c.write(key("softmax"), payload("ok"));
        Files.writeString(c.fileFor(key("garbage")), "hello");
        Files.write(c.directory().resolve("0".repeat(64) + ".entry"), new byte[0]);
        assertEquals(Optional.empty(), c.read(key("garbage")));
        assertEquals(1, c.list().size());
        assertEquals(2, warnings.size(), warnings.toString());
    }

    @Test
    void clearRemovesOnlyTesserasFiles(@TempDir Path dir) throws IOException {
        Path mine = dir.resolve("notes.txt");
        Files.writeString(mine, "the user's file next to the cache");
        KernelCache c = cache(dir);
        c.write(key("a"), payload("a"));
        c.write(key("b"), payload("b"));
        Files.writeString(c.directory().resolve("." + "f".repeat(64) + ".abc.tmp"), "torn");
        KernelCache.Cleared cleared = c.clear();
        assertEquals(2, cleared.entries());
        assertEquals(1, cleared.temporaries());
        assertTrue(cleared.bytes() > 0);
        assertFalse(Files.exists(c.directory()));
        assertTrue(Files.exists(mine));
        // A foreign file in our directory stays, and so does the directory.
        c.write(key("a"), payload("a"));
        Files.writeString(c.directory().resolve("keep.me"), "x");
        assertEquals(1, c.clear().entries());
        assertTrue(Files.exists(c.directory().resolve("keep.me")));
        assertEquals(0, cache(dir.resolve("never-made")).clear().entries());
    }

    @Test
    void anUnwritableCacheOnlyWarns(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "not a directory");
        KernelCache c = cache(file);
        assertFalse(c.write(key("a"), payload("a")));
        assertTrue(warnings.getFirst().contains("cannot write cache entry"), warnings.toString());
        assertEquals(Optional.empty(), c.read(key("a")));
    }

    @Test
    void locationFollowsTheEnvironment() {
        assertEquals(Path.of("/x/cache"), CacheLocation.resolve(Map.of("TESSERA_CACHE", "/x/cache"), "/home/u"));
        assertEquals(Path.of("/xdg/tessera"), CacheLocation.resolve(Map.of("XDG_CACHE_HOME", "/xdg"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/tessera"), CacheLocation.resolve(Map.of("TESSERA_CACHE", ""), "/home/u"));
    }
}
