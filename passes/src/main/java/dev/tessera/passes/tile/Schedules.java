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
 *   <li>reduce: {@code wg} work-items (a power of two) cooperate on one row of the parallel axes; with
 *       {@code stash=1} the last reduction keeps its costly elementwise values in the output for the stores
 *       to read back, instead of the stores computing them again (0 or 1).</li>
 *   <li>matmul: a work-group computes a {@code tm}×{@code tn} output tile, walking K in steps of {@code tk}
 *       through local memory; each work-item keeps {@code rm}×{@code rn} accumulators in registers, and
 *       unrolls its walk along a tile's K by {@code unroll} (a divisor of {@code tk}).</li>
 * </ul>
 * The defaults depend on the kind of device ({@link Profile}); {@code tessera tune} searches around them.
 */
public final class Schedules {

    private Schedules() {}

    /** The kinds of device the defaults are chosen for. */
    public enum Profile {
        /**
         * A GPU: a group's work-items run at once and memory is the scarce thing, so reductions spread a row
         * over 128 work-items and compute their elementwise values again rather than write and re-read them.
         * Not yet measured on a GPU.
         */
        GPU,
        /**
         * OpenCL on a CPU (PoCL): a group's work-items become vector lanes, the row is in cache and {@code exp}
         * is the scarce thing. Reductions over 64 work-items that stash, matmul tiles 64×32: the winners of
         * {@code tessera tune} on PoCL in three runs (docs/performance.md).
         */
        CPU,
        /**
         * The JVM device: a group's work-items run one after another on one thread, so a reduction takes one
         * work-item per row (each pass one contiguous loop, no tree, no barrier) and stashes.
         */
        JVM
    }

    /** The GPU defaults. */
    public static Schedule defaults(KernelKind kind) {
        return defaults(kind, Profile.GPU);
    }

    public static Schedule defaults(KernelKind kind, Profile profile) {
        return switch (kind) {
            case POINTWISE -> new Schedule(Map.of("wg", 256));
            case REDUCE -> new Schedule(switch (profile) {
                case GPU -> Map.of("wg", 128, "stash", 0);
                case CPU -> Map.of("wg", 64, "stash", 1);
                case JVM -> Map.of("wg", 1, "stash", 1);
            });
            case MATMUL -> new Schedule(Map.of("tm", 64, "tn", profile == Profile.CPU ? 32 : 64, "tk", 16, "rm", 4,
                    "rn", 4, "unroll", 1));
        };
    }

    /** Keys that are switches, 0 or 1; every other key is a positive size. */
    private static final Set<String> SWITCHES = Set.of("stash");

    /** Every key any kind understands. */
    public static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>();
        for (KernelKind k : KernelKind.values()) {
            keys.addAll(defaults(k).params().keySet());
        }
        return keys;
    }

    /** The defaults of {@code kind} with the overrides that apply to it, checked. */
    public static Schedule resolve(KernelKind kind, Map<String, Integer> overrides, Profile profile) {
        Map<String, Integer> p = new TreeMap<>(defaults(kind, profile).params());
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
            if (SWITCHES.contains(e.getKey())) {
                if (e.getValue() == null || e.getValue() < 0 || e.getValue() > 1) {
                    throw new CompileException(SourceSpan.UNKNOWN, "schedule parameter " + e.getKey()
                            + " is a switch: 0 or 1");
                }
            } else if (e.getValue() == null || e.getValue() <= 0) {
                throw new CompileException(SourceSpan.UNKNOWN, "schedule parameter " + e.getKey()
                        + " must be a positive integer");
            }
        }
    }

    /** Why a schedule cannot be lowered, or null when it can. */
    public static String check(KernelKind kind, Schedule s) {
        for (Map.Entry<String, Integer> e : s.params().entrySet()) {
            boolean ok = SWITCHES.contains(e.getKey()) ? e.getValue() >>> 1 == 0 : e.getValue() > 0;
            if (!ok) {
                return e.getKey() + (SWITCHES.contains(e.getKey()) ? " must be 0 or 1" : " must be positive");
            }
        }
        return switch (kind) {
            case POINTWISE -> s.get("wg") > 1024 ? "wg must be at most 1024" : null;
            case REDUCE -> Integer.bitCount(s.get("wg")) != 1 || s.get("wg") > 1024
                    ? "wg must be a power of two, at most 1024" : null;
            case MATMUL -> {
                int tm = s.get("tm"), tn = s.get("tn"), rm = s.get("rm"), rn = s.get("rn");
                if (tm % rm != 0 || tn % rn != 0) {
                    yield "tm must be a multiple of rm and tn of rn";
                }
                if (s.get("tk") % s.params().getOrDefault("unroll", 1) != 0) {
                    yield "unroll must divide tk";
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
