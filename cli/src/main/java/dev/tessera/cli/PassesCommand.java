package dev.tessera.cli;

import dev.tessera.passes.PassRegistry;
import dev.tessera.passes.Pipeline;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera passes}: the passes a pipeline may name, with what each does. */
@Command(name = "passes", mixinStandardHelpOptions = true,
        description = "List the passes that --passes and --print-ir-after accept.")
final class PassesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        PassRegistry.descriptions().forEach((name, d) -> out.printf("  %-14s %s%n", name, d));
        out.println();
        out.println("default pipeline: " + Pipeline.DEFAULT);
        return ExitCodes.OK;
    }
}
