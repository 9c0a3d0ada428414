package dev.tessera.runtime.cache;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One valid entry of the cache: its full key, its payload (named texts: a schedule, generated code, a table of
 * measurements), when it was written, and the file it was read from.
 */
public record CacheEntry(CacheKey key, Map<String, String> payload, Instant written, Path file) {

    public CacheEntry {
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }

    public String get(String name) {
        String v = payload.get(name);
        if (v == null) {
            throw new IllegalArgumentException("cache entry " + file + " has no '" + name + "'");
        }
        return v;
    }
}
