package dev.tessera.runtime.jit;

import dev.tessera.ir.tile.Schedule;
import dev.tessera.ir.tile.TileKernel;
import dev.tessera.ir.tile.TileProgram;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One variant of a program: a schedule for each of its tile kernels, by kernel name. Printed (and stored in
 * the cache) as {@code softmax_0[wg=128]}, kernels separated by spaces.
 */
public record Variant(Map<String, Schedule> schedules) {

    private static final Pattern PART = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\[([a-z0-9_=,]*)]");

    public Variant {
        schedules = Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
    }

    /** The schedules the program was lowered with (the defaults of each kernel's kind, or overrides). */
    public static Variant of(TileProgram p) {
        Map<String, Schedule> s = new LinkedHashMap<>();
        for (TileKernel k : p.kernels()) {
            s.put(k.name(), k.schedule());
        }
        return new Variant(s);
    }

    public Variant with(String kernel, Schedule s) {
        Map<String, Schedule> m = new LinkedHashMap<>(schedules);
        m.put(kernel, s);
        return new Variant(m);
    }

    public String text() {
        return schedules.entrySet().stream()
                .map(e -> e.getKey() + "[" + e.getValue().params().entrySet().stream()
                        .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(",")) + "]")
                .collect(Collectors.joining(" "));
    }

    /** For tables: just {@code wg=128} when the program has one kernel, else {@link #text()}. */
    public String display() {
        if (schedules.size() != 1) {
            return text();
        }
        return schedules.values().iterator().next().params().entrySet().stream()
                .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(","));
    }

    /**
     * Parses {@link #text()}.
     *
     * @throws IllegalArgumentException when the text is not a variant
     */
    public static Variant parse(String text) {
        Map<String, Schedule> m = new LinkedHashMap<>();
        for (String part : text.strip().split(" +")) {
            Matcher x = PART.matcher(part);
            if (!x.matches()) {
                throw new IllegalArgumentException("not a variant: '" + text + "'");
            }
            Map<String, Integer> params = new TreeMap<>();
            for (String kv : x.group(2).split(",")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("not a variant: '" + text + "'");
                }
                try {
                    params.put(kv.substring(0, eq), Integer.parseInt(kv.substring(eq + 1)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a variant: '" + text + "'");
                }
            }
            if (m.put(x.group(1), new Schedule(params)) != null) {
                throw new IllegalArgumentException("variant names kernel " + x.group(1) + " twice: '" + text + "'");
            }
        }
        return new Variant(m);
    }

    @Override
    public String toString() {
        return text();
    }
}
