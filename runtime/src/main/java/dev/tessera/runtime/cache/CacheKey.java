package dev.tessera.runtime.cache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The full key of a cache entry: its kind ({@code tuning}, {@code artefact}) and named fields in a fixed
 * order. The file it lives in is named by the SHA-256 of {@link #canonical()}, never by the key itself (keys
 * hold device names and arbitrary text); the entry stores the whole key and a read compares it, so a hash
 * collision or a misplaced file is a miss, never a wrong answer.
 */
public record CacheKey(String kind, Map<String, String> fields) {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public CacheKey {
        if (!NAME.matcher(kind).matches()) {
            throw new IllegalArgumentException("bad cache key kind '" + kind + "'");
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        fields.forEach((k, v) -> {
            if (!NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("bad cache key field name '" + k + "'");
            }
            if (v == null || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("cache key field " + k + " must be one line, got '" + v + "'");
            }
        });
    }

    /** {@code kind=tuning} then one {@code name=value} line per field, in order. */
    public String canonical() {
        StringBuilder b = new StringBuilder("kind=").append(kind).append('\n');
        fields.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    /** Hex SHA-256 of {@link #canonical()}: the entry's file name. */
    public String sha256() {
        return Sha256.hex(canonical());
    }

    public String field(String name) {
        return fields.getOrDefault(name, "");
    }
}
