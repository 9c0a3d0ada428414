package dev.tessera.passes.tile;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.tile.KernelKind;
import dev.tessera.ir.tile.Schedule;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Default schedules per kernel kind and the checks on user overrides ({@code --schedule key=value}).
 *
 * <ul>
 *   <li>pointwise: {@code wg} work-items per work-group, one element each.</li>
 *   <li>reduce: {@code wg} work-items (a power of two) cooperate on one row of the parallel axes.</li>
 *   <li>matmul: a work-group computes a {@code tm}×{@code tn} output tile, walking K in steps of {@code tk}
 *       through local memory; each work-item keeps {@code rm}×{@code rn} accumulators in registers.</li>
 * </ul>
 * The defaults are chosen to be reasonable on CPUs (PoCL) and GPUs alike; {@code tessera tune} searches
 * around them.
 */
public final class Schedules {

    private Schedules() {}

    public static Schedule defaults(KernelKind kind) {
        return switch (kind) {
            case POINTWISE -> new Schedule(Map.of("wg", 256));
            case REDUCE -> new Schedule(Map.of("wg", 128));
            case MATMUL -> new Schedule(Map.of("tm", 64, "tn", 64, "tk", 16, "rm", 4, "rn", 4));
        };
    }

    /** Every key any kind understands. */
    public static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>();
        for (KernelKind k : KernelKind.values()) {
            keys.addAll(defaults(k).params().keySet());
        }
        return keys;
    }

    /** The defaults of {@code kind} with the overrides that apply to it, checked. */
    public static Schedule resolve(KernelKind kind, Map<String, Integer> overrides) {
        Map<String, Integer> p = new TreeMap<>(defaults(kind).params());
        overrides.forEach((k, v) -> {
            if (p.containsKey(k)) {
                p.put(k, v);
            }
        });
        Schedule s = new Schedule(p);
        String problem = check(kind, s);
        if (problem != null) {
            throw new CompileException(SourceSpan.UNKNOWN, "bad schedule " + s.params() + " for a "
                    + kind.irName() + " kernel: " + problem);
        }
        return s;
    }

    /** Rejects override keys no kernel kind has. */
    public static void checkKeys(Map<String, Integer> overrides) {
        for (Map.Entry<String, Integer> e : overrides.entrySet()) {
            if (!knownKeys().contains(e.getKey())) {
                throw new CompileException(SourceSpan.UNKNOWN, "unknown schedule parameter '" + e.getKey()
                        + "'; known: " + String.join(", ", knownKeys()));
            }
            if (e.getValue() == null || e.getValue() <= 0) {
                throw new CompileException(SourceSpan.UNKNOWN, "schedule parameter " + e.getKey()
                        + " must be a positive integer");
            }
        }
    }

    /** Why a schedule cannot be lowered, or null when it can. */
    public static String check(KernelKind kind, Schedule s) {
        return switch (kind) {
            case POINTWISE -> s.get("wg") > 1024 ? "wg must be at most 1024" : null;
            case REDUCE -> Integer.bitCount(s.get("wg")) != 1 || s.get("wg") > 1024
                    ? "wg must be a power of two, at most 1024" : null;
            case MATMUL -> {
                int tm = s.get("tm"), tn = s.get("tn"), rm = s.get("rm"), rn = s.get("rn");
                if (tm % rm != 0 || tn % rn != 0) {
                    yield "tm must be a multiple of rm and tn of rn";
                }
                int threads = (tm / rm) * (tn / rn);
                if (threads > 1024) {
                    yield "(tm/rm)*(tn/rn) = " + threads + " work-items per group exceeds 1024";
                }
                long localBytes = 4L * (tm * s.get("tk") + s.get("tk") * tn);
                yield localBytes > 32 * 1024 ? "tiles need " + localBytes + " bytes of local memory (max 32768)"
                        : null;
            }
        };
    }
}
