package dev.tessera.passes;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.GraphPrinter;
import dev.tessera.ir.graph.GraphVerifier;
import dev.tessera.ir.loop.LoopModule;
import dev.tessera.ir.loop.LoopPrinter;
import dev.tessera.ir.loop.LoopVerifier;
import dev.tessera.ir.tile.TileModule;
import dev.tessera.ir.tile.TilePrinter;
import dev.tessera.ir.tile.TileVerifier;
import dev.tessera.passes.loop.LoopLowering;
import dev.tessera.passes.tile.Schedules;
import dev.tessera.passes.tile.TileLowering;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A compilation pipeline: graph passes by name, then the lowerings {@code tile} and {@code lower-loop}.
 * Written as text ({@code canonicalize,fuse,tile,lower-loop}) so that any compilation can be reproduced,
 * and the IR printed after any pass. The order of the default pipeline is the reason for each step:
 * simplify first so that CSE sees canonical ops, remove dead code before fusion so that it does not
 * group what nobody reads, check shapes last at graph level, then fuse and lower.
 */
public final class Pipeline {

    public static final String DEFAULT = "canonicalize,constant-fold,cse,dce,shape-infer,fuse,tile,lower-loop";

    private final List<String> steps;

    private Pipeline(List<String> steps) {
        this.steps = List.copyOf(steps);
    }

    public static Pipeline defaults() {
        return parse(DEFAULT);
    }

    /** Parses a comma-separated list of pass names, checking that each exists and the order holds. */
    public static Pipeline parse(String text) {
        List<String> steps = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        int level = 0; // 0 graph, 1 tile, 2 loop
        for (String s : steps) {
            if (s.equals(TileLowering.name())) {
                if (level != 0) {
                    throw usage("'tile' must appear once, before 'lower-loop'");
                }
                level = 1;
            } else if (s.equals(LoopLowering.name())) {
                if (level != 1) {
                    throw usage("'lower-loop' must come after 'tile'");
                }
                level = 2;
            } else if (PassRegistry.graphPass(s).isEmpty()) {
                throw usage("unknown pass '" + s + "'; passes: " + String.join(", ", PassRegistry.names()));
            } else if (level != 0) {
                throw usage("graph pass '" + s + "' cannot run after '" + (level == 1 ? "tile" : "lower-loop") + "'");
            }
        }
        return new Pipeline(steps);
    }

    private static CompileException usage(String message) {
        return new CompileException(SourceSpan.UNKNOWN, "bad pipeline: " + message);
    }

    public List<String> steps() {
        return steps;
    }

    public boolean reachesLoop() {
        return steps.contains(LoopLowering.name());
    }

    public boolean reachesTile() {
        return steps.contains(TileLowering.name());
    }

    /** How to run: schedule overrides, whether to verify after each pass, which IR to print and where. */
    public record Options(Map<String, Integer> schedule, boolean verify, Set<String> printAfter, boolean printAll,
            BiConsumer<String, String> printer, Schedules.Profile profile) {

        /** Options with the GPU's default schedules. */
        public Options(Map<String, Integer> schedule, boolean verify, Set<String> printAfter, boolean printAll,
                BiConsumer<String, String> printer) {
            this(schedule, verify, printAfter, printAll, printer, Schedules.Profile.GPU);
        }

        public static Options plain() {
            return new Options(Map.of(), true, Set.of(), false, (pass, text) -> { });
        }

        /** The same options with the default schedules of another kind of device. */
        public Options forProfile(Schedules.Profile p) {
            return new Options(schedule, verify, printAfter, printAll, printer, p);
        }

        boolean prints(String pass) {
            return printAll || printAfter.contains(pass);
        }
    }

    /** The IR at each level the pipeline reached (null for levels it did not). */
    public record Result(GraphModule graph, TileModule tile, LoopModule loop) {}

    public Result run(GraphModule input, Options options) {
        for (String p : options.printAfter()) {
            if (!steps.contains(p)) {
                throw usage("--print-ir-after=" + p + " names a pass that is not in the pipeline (" + String.join(",", steps) + ")");
            }
        }
        GraphModule graph = input;
        TileModule tile = null;
        LoopModule loop = null;
        for (String s : steps) {
            if (s.equals(TileLowering.name())) {
                tile = new TileLowering(options.schedule(), options.profile()).run(graph);
                check(s, options.verify() ? TileVerifier.verify(tile) : List.of());
                if (options.prints(s)) {
                    options.printer().accept(s, TilePrinter.print(tile));
                }
            } else if (s.equals(LoopLowering.name())) {
                loop = new LoopLowering().run(tile);
                check(s, options.verify() ? LoopVerifier.verify(loop) : List.of());
                if (options.prints(s)) {
                    options.printer().accept(s, LoopPrinter.print(loop));
                }
            } else {
                graph = PassRegistry.graphPass(s).orElseThrow().run(graph);
                check(s, options.verify() ? GraphVerifier.verify(graph) : List.of());
                if (options.prints(s)) {
                    options.printer().accept(s, GraphPrinter.print(graph));
                }
            }
        }
        return new Result(graph, tile, loop);
    }

    /** A verifier failure after a pass is a compiler bug; it names the pass so that it can be reproduced. */
    private static void check(String pass, List<Diagnostic> problems) {
        if (!problems.isEmpty()) {
            List<Diagnostic> withPass = new ArrayList<>();
            for (Diagnostic d : problems) {
                withPass.add(new Diagnostic(d.severity(), d.span(), "internal error: IR invalid after pass '"
                        + pass + "': " + d.message(), d.notes()));
            }
            throw new CompileException(withPass);
        }
    }
}
