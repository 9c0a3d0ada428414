package dev.tessera.cli;

import dev.tessera.frontend.Frontend;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.passes.Pipeline;
import dev.tessera.passes.tile.Schedules;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** Options shared by the commands that compile: kernel choice, pass pipeline, schedule, IR printing. */
final class PipelineOptions {

    @Option(names = "--kernel", paramLabel = "K", description = "Only this kernel of the file (default: all).")
    String kernel;

    @Option(names = "--passes", paramLabel = "LIST", description = "Comma-separated pass pipeline (default: ${DEFAULT-VALUE}). See `tessera passes`.")
    String passes = Pipeline.DEFAULT;

    @Option(names = "--schedule", paramLabel = "KEY=VALUE", split = ",",
            description = "Override a schedule parameter of every kernel that has it, e.g. --schedule wg=64 or tm=32,tn=32.")
    Map<String, Integer> schedule = new LinkedHashMap<>();

    @Option(names = "--print-ir-after", paramLabel = "PASS", split = ",", description = "Print the IR (to stderr) after the named pass(es).")
    Set<String> printAfter = Set.of();

    @Option(names = "--print-ir-after-all", description = "Print the IR (to stderr) after every pass.")
    boolean printAll;

    /** Parses the file and keeps the requested kernel (all of them, for calls, when none is named). */
    GraphModule parse(Path file) {
        GraphModule module = Frontend.compile(file.toString(), Sources.read(file));
        if (kernel == null) {
            return module;
        }
        GraphKernel k = module.kernel(kernel).orElseThrow(() -> new UserError("no kernel '" + kernel + "' in "
                + file + "; it has: " + String.join(", ", module.kernels().stream().map(GraphKernel::name).toList())));
        return new GraphModule(List.of(k));
    }

    /**
     * Whether the compilation is the default one (pipeline, schedules, no IR printing): only then may
     * {@code run --device auto} use tuned schedules from the cache, which were found for that pipeline.
     */
    boolean isDefault() {
        return Pipeline.parse(passes).steps().equals(Pipeline.defaults().steps()) && schedule.isEmpty()
                && printAfter.isEmpty() && !printAll;
    }

    Pipeline.Result compile(GraphModule module, PrintWriter irOut) {
        return compile(module, irOut, Schedules.Profile.GPU);
    }

    /** Compiles with the default schedules of the kind of device {@code profile} names. */
    Pipeline.Result compile(GraphModule module, PrintWriter irOut, Schedules.Profile profile) {
        Pipeline p = Pipeline.parse(passes);
        Pipeline.Options o = new Pipeline.Options(schedule, true, printAfter, printAll, (pass, text) -> {
            irOut.println("// ----- IR after " + pass + " -----");
            irOut.print(text);
            irOut.flush();
        });
        return p.run(module, o.forProfile(profile));
    }
}
