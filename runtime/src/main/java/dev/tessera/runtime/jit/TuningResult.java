package dev.tessera.runtime.jit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of tuning one kernel request on one device: every candidate's measurement, in the order they
 * were tried (the default schedule first), and how they were timed.
 *
 * @param timing {@code device} when the device timed its own kernels (no transfers), {@code wall} when the
 *     tuner had to time whole runs with its clock (transfers included)
 */
public record TuningResult(KernelRequest request, DeviceIdentity device, String timing, List<Measurement> measurements) {

    public TuningResult {
        measurements = List.copyOf(measurements);
        if (measurements.isEmpty()) {
            throw new IllegalArgumentException("a tuning result measures at least the default");
        }
    }

    /**
     * The fastest variant that matched the reference, by median, among those confirmed when the tuner
     * confirmed any (a candidate timed only once, in its own turn, does not win over confirmed ones); on a tie
     * the one tried first, so the default stays unless something beats it. Empty when every candidate failed
     * or was wrong.
     */
    public Optional<Measurement> winner() {
        boolean anyConfirmed = measurements.stream().anyMatch(m -> m.ok() && m.confirmed());
        return measurements.stream().filter(m -> m.ok() && (m.confirmed() || !anyConfirmed))
                .min(Comparator.comparingLong(Measurement::medianNs));
    }

    /** The default schedule's measurement: always the first. */
    public Measurement baseline() {
        return measurements.getFirst();
    }

    /** How many times faster the winner is than the default; 1 when either is missing. */
    public double speedup() {
        Measurement b = baseline();
        return winner().filter(w -> b.ok() && w.medianNs() > 0).map(w -> (double) b.medianNs() / w.medianNs())
                .orElse(1.0);
    }

    /** The payload of a tuning entry in the cache. */
    Map<String, String> toPayload() {
        Map<String, String> p = new LinkedHashMap<>();
        Measurement w = winner().orElseThrow(() -> new IllegalStateException("no valid variant to cache"));
        p.put("winner", w.variant().text());
        p.put("winner-ns", Long.toString(w.medianNs()));
        p.put("default-ns", Long.toString(baseline().medianNs()));
        p.put("shape", request.shapeText());
        p.put("timing", timing);
        StringBuilder table = new StringBuilder();
        for (Measurement m : measurements) {
            table.append(m.status().label()).append('\t').append(m.medianNs()).append('\t').append(m.minNs())
                    .append('\t').append(m.runs()).append('\t').append(m.confirmed()).append('\t')
                    .append(m.variant().text()).append('\t').append(m.note()).append('\n');
        }
        p.put("measurements", table.toString());
        return p;
    }

    /**
     * Reads a payload back.
     *
     * @throws IllegalArgumentException when it is not one {@link #toPayload()} wrote
     */
    static TuningResult fromPayload(KernelRequest request, DeviceIdentity device, Map<String, String> p) {
        String table = require(p, "measurements");
        List<Measurement> ms = new ArrayList<>();
        for (String line : table.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 7 || !(f[4].equals("true") || f[4].equals("false"))) {
                throw new IllegalArgumentException("bad measurement line '" + line + "'");
            }
            Measurement.Status s = Measurement.Status.valueOf(f[0].toUpperCase(java.util.Locale.ROOT));
            ms.add(new Measurement(Variant.parse(f[5]), s, Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Integer.parseInt(f[3]), Boolean.parseBoolean(f[4]), f[6]));
        }
        TuningResult r = new TuningResult(request, device, require(p, "timing"), ms);
        String winner = require(p, "winner");
        if (r.winner().isEmpty() || !r.winner().get().variant().text().equals(winner)) {
            throw new IllegalArgumentException("the recorded winner " + winner + " is not the fastest valid variant");
        }
        return r;
    }

    private static String require(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no '" + name + "'");
        }
        return v;
    }
}
