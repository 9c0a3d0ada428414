package dev.tessera.ir.tile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The tuning knobs of one tile kernel (tile sizes, work-group size, ...): named non-negative integers (sizes, and 0/1 switches), printed in
 * key order as {@code schedule(tm=64, tn=64)}. The autotuner's search space.
 */
public record Schedule(Map<String, Integer> params) {

    static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*");

    public Schedule {
        TreeMap<String, Integer> sorted = new TreeMap<>(params);
        sorted.forEach((k, v) -> {
            if (!KEY.matcher(k).matches() || v == null || v < 0) {
                throw new IllegalArgumentException("bad schedule parameter " + k + "=" + v);
            }
        });
        params = Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }

    public int get(String key) {
        Integer v = params.get(key);
        if (v == null) {
            throw new IllegalArgumentException("schedule has no parameter '" + key + "'");
        }
        return v;
    }

    public Schedule with(String key, int value) {
        Map<String, Integer> m = new TreeMap<>(params);
        m.put(key, value);
        return new Schedule(m);
    }
}
