package dev.tessera.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tessera} command: compiles and runs tensor kernels written in the Tessera DSL. */
@Command(
        name = "tessera",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Compile tensor kernels written once in the Tessera DSL (.tsr) for every device.", ""},
        subcommands = {
            CheckCommand.class,
            CompileCommand.class,
            RunCommand.class,
            TuneCommand.class,
            CacheCommand.class,
            DevicesCommand.class,
            PassesCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  tessera run examples/softmax.tsr --check",
            "  tessera compile examples/layernorm.tsr --target opencl --emit code",
            "  tessera compile examples/softmax.tsr --target ptx --arch sm_90 --stats",
            "  tessera compile examples/softmax.tsr --emit tile --print-ir-after=fuse",
            "  tessera tune examples/softmax.tsr --budget 30s",
            "  tessera cache list",
            "  tessera devices",
            "",
            "Exit codes: 0 success, 1 error in the input or a failed check, 2 bad usage, 3 internal error."
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with the given output streams (for tests and embedding). */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new ErrorReporter());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // Shapes are checked against the heap before inputs are made, but a device or a kernel may still ask
            // for more than there is; the arrays that did not fit are garbage by now.
            err.println("tessera: error: out of memory (" + e.getMessage() + "; the JVM may use "
                    + Runtime.getRuntime().maxMemory() / (1L << 20) + " MiB). Give smaller --shape values, or more "
                    + "heap with TESSERA_JAVA_OPTS=-Xmx<size>");
            err.flush();
            return ExitCodes.USER_ERROR;
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: check, compile, run, tune, cache, devices or passes");
    }
}
