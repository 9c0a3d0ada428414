package dev.tessera.cli;

import dev.tessera.ir.graph.GraphModule;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera check}: parse and type-check a file without compiling it. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Parse and check a .tsr file (syntax, types, shapes); print nothing when it is correct.",
        footerHeading = "%nExamples:%n",
        footer = {"  tessera check examples/softmax.tsr", "  tessera check my_kernels.tsr && echo ok"})
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .tsr source file.")
    Path file;

    @Override
    public Integer call() {
        GraphModule m = new PipelineOptions().parse(file);
        spec.commandLine().getOut().printf("%s: %d kernel(s) OK%n", file, m.kernels().size());
        return ExitCodes.OK;
    }
}
