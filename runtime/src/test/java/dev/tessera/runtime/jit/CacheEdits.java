package dev.tessera.runtime.jit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.runtime.cache.CacheEntry;
import dev.tessera.runtime.cache.CacheKey;
import dev.tessera.runtime.cache.KernelCache;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Damage for tests, done to an entry's payload and written back through the cache, so that the file itself
 * stays valid (its checksum matches) and only the JIT's own checks can catch it.
 */
final class CacheEdits {

    private CacheEdits() {}

    static void editPayload(KernelCache cache, CacheKey key, Consumer<Map<String, String>> edit) {
        CacheEntry e = cache.read(key).orElseThrow(() -> new AssertionError("no entry for " + key));
        Map<String, String> payload = new LinkedHashMap<>(e.payload());
        edit.accept(payload);
        assertTrue(cache.write(key, payload), "the edited entry was written");
    }

    /** The payload's binary with bytes flipped at its start, middle and end; its recorded SHA-256 kept. */
    static void flipBinaryBytes(Map<String, String> payload) {
        byte[] b = Base64.getDecoder().decode(payload.get(BinaryPayload.BINARY));
        for (int i : new int[] {0, b.length / 2, b.length - 1}) {
            b[i] ^= (byte) 0x5a;
        }
        payload.put(BinaryPayload.BINARY, Base64.getEncoder().encodeToString(b));
    }

    /** The stored binary, decoded, checked against its SHA-256. */
    static byte[] binary(KernelCache cache, CacheKey key) throws BinaryPayload.Damaged {
        return BinaryPayload.get(cache.read(key).orElseThrow().payload())
                .orElseThrow(() -> new AssertionError("the entry has no binary"));
    }
}
