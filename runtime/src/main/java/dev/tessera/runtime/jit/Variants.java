package dev.tessera.runtime.jit;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.loop.LoopVerifier;
import dev.tessera.ir.tile.KernelKind;
import dev.tessera.ir.tile.Schedule;
import dev.tessera.ir.tile.TileKernel;
import dev.tessera.ir.tile.TileModule;
import dev.tessera.ir.tile.TileProgram;
import dev.tessera.ir.tile.TileVerifier;
import dev.tessera.passes.loop.LoopLowering;
import dev.tessera.passes.tile.Schedules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The variants the tuner tries and how a variant becomes a loop program. The grid per kernel kind is small
 * and sits around the defaults of {@link Schedules}: work-group sizes 64, 128 and 256 for pointwise and
 * reduce kernels (and 1, a row per work-item, for reductions on a device that runs work-items sequentially),
 * reductions with and without stash; for matmul, tiles tm, tn of 32 or 64, tk of 8 or 16, register blocks
 * rm, rn of 2 or 4, and the walk along K unrolled 1 or 4 times. Schedules that {@link Schedules#check} rejects are left out.
 */
public final class Variants {

    private static final List<Integer> WORK_GROUPS = List.of(64, 128, 256);
    private static final List<Integer> TILES = List.of(32, 64);
    private static final List<Integer> K_STEPS = List.of(8, 16);
    private static final List<Integer> BLOCKS = List.of(2, 4);
    private static final List<Integer> UNROLLS = List.of(1, 4);

    private Variants() {}

    /**
     * The schedules to try for one kernel kind: the default first, then the others, nearest to the default
     * (fewest parameters changed) first, so that a tuning run cut short by its budget has searched the
     * neighbourhood of the default rather than one corner of the grid.
     */
    public static List<Schedule> grid(KernelKind kind, Schedules.Profile profile) {
        Schedule def = Schedules.defaults(kind, profile);
        List<Schedule> all = new ArrayList<>();
        switch (kind) {
            case POINTWISE -> WORK_GROUPS.forEach(wg -> all.add(new Schedule(Map.of("wg", wg))));
            case REDUCE -> {
                List<Integer> groups = new ArrayList<>(WORK_GROUPS);
                if (profile == Schedules.Profile.JVM) {
                    groups.addFirst(1);
                }
                for (int wg : groups) {
                    for (int stash = 0; stash <= 1; stash++) {
                        all.add(new Schedule(Map.of("wg", wg, "stash", stash)));
                    }
                }
            }
            case MATMUL -> {
                for (int tm : TILES) {
                    for (int tn : TILES) {
                        for (int tk : K_STEPS) {
                            for (int rm : BLOCKS) {
                                for (int rn : BLOCKS) {
                                    for (int unroll : UNROLLS) {
                                        all.add(new Schedule(Map.of("tm", tm, "tn", tn, "tk", tk, "rm", rm, "rn", rn,
                                                "unroll", unroll)));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        List<Schedule> result = new ArrayList<>();
        result.add(def);
        all.stream().filter(s -> !s.equals(def) && Schedules.check(kind, s) == null)
                .sorted(Comparator.comparingInt((Schedule s) -> distance(def, s)).thenComparing(Variants::byValues))
                .forEach(result::add);
        return result;
    }

    /** The program with every kernel at the default schedule of its kind for such a device. */
    public static Variant defaults(TileProgram p, Schedules.Profile profile) {
        Map<String, Schedule> s = new LinkedHashMap<>();
        for (TileKernel k : p.kernels()) {
            s.put(k.name(), Schedules.defaults(k.kind(), profile));
        }
        return new Variant(s);
    }

    /** Smaller values first, parameters in key order. */
    private static int byValues(Schedule a, Schedule b) {
        return Arrays.compare(a.params().values().stream().mapToInt(Integer::intValue).toArray(),
                b.params().values().stream().mapToInt(Integer::intValue).toArray());
    }

    private static int distance(Schedule a, Schedule b) {
        int d = 0;
        for (Map.Entry<String, Integer> e : a.params().entrySet()) {
            if (!e.getValue().equals(b.params().get(e.getKey()))) {
                d++;
            }
        }
        return d;
    }

    /** The program with each kernel's schedule replaced by the variant's (kernels it does not name keep theirs). */
    public static TileProgram apply(TileProgram p, Variant v) {
        for (String name : v.schedules().keySet()) {
            if (p.kernels().stream().noneMatch(k -> k.name().equals(name))) {
                throw new IllegalArgumentException("variant " + v + " names kernel " + name + ", which program '"
                        + p.name() + "' does not have (it has " + p.kernels().stream().map(TileKernel::name)
                        .collect(Collectors.joining(", ")) + ")");
            }
        }
        List<TileKernel> kernels = new ArrayList<>();
        for (TileKernel k : p.kernels()) {
            Schedule s = v.schedules().getOrDefault(k.name(), k.schedule());
            if (!s.params().keySet().equals(k.schedule().params().keySet())) {
                throw new IllegalArgumentException("schedule " + s.params() + " does not fit " + k.kind().irName()
                        + " kernel " + k.name() + ", whose parameters are " + k.schedule().params().keySet());
            }
            String problem = Schedules.check(k.kind(), s);
            if (problem != null) {
                throw new IllegalArgumentException("schedule " + s.params() + " for " + k.kind().irName()
                        + " kernel " + k.name() + ": " + problem);
            }
            kernels.add(k.withSchedule(s));
        }
        return new TileProgram(p.name(), p.buffers(), kernels);
    }

    /**
     * Lowers the program under the variant to loop IR, verifying both levels (a variant that breaks the IR is
     * a compiler bug and must not reach a device).
     */
    public static LoopProgram lower(TileProgram p, Variant v) {
        TileProgram scheduled = apply(p, v);
        failOnErrors("tile", v, TileVerifier.verify(scheduled));
        LoopProgram loop = new LoopLowering().run(new TileModule(List.of(scheduled))).programs().getFirst();
        failOnErrors("loop", v, LoopVerifier.verify(loop));
        return loop;
    }

    private static void failOnErrors(String level, Variant v, List<Diagnostic> ds) {
        List<Diagnostic> errors = ds.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            throw new CompileException(errors.stream().map(d -> new Diagnostic(d.severity(), d.span(),
                    "internal error: " + level + " IR invalid under variant " + v + ": " + d.message(), d.notes()))
                    .toList());
        }
    }
}
