package dev.tessera.cli;

import dev.tessera.codegen.ptx.PtxArch;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.GraphPrinter;
import dev.tessera.ir.loop.LoopPrinter;
import dev.tessera.ir.tile.TilePrinter;
import dev.tessera.passes.Pipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera compile}: compile a file for a target and write the code or an IR level. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compile the kernels of a .tsr file for a target; write the generated code (or IR) to "
                + "stdout, or one file per kernel with -o.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tessera compile examples/softmax.tsr --target opencl            # OpenCL C on stdout",
            "  tessera compile examples/matmul.tsr -o out/                     # out/matmul.cl",
            "  tessera compile examples/softmax.tsr --target ptx --arch sm_90 --stats",
            "  tessera compile examples/layernorm.tsr --emit tile --schedule wg=256",
            "  tessera compile examples/attention.tsr --emit graph --print-ir-after=fuse",
            "  tessera compile examples/gelu.tsr --passes=canonicalize,tile,lower-loop   # no fusion",
            "  tessera compile examples/softmax.tsr --target ascendc -o out/   # out/softmax/: Ascend C + CMake"
        })
final class CompileCommand implements Callable<Integer> {

    enum Emit { graph, tile, loop, code }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .tsr source file.")
    Path file;

    @Option(names = "--target", paramLabel = "T", description = "Code generator: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = Targets.Names.class)
    String target = "opencl";

    @Option(names = "--emit", paramLabel = "WHAT", description = "What to write: graph, tile, loop (IR text) or code (default: ${DEFAULT-VALUE}).")
    Emit emit = Emit.code;

    @Option(names = "--arch", paramLabel = "SM", description = "GPU architecture of --target ptx: sm_80, sm_86, sm_89 or sm_90 (default: sm_80).")
    String arch;

    @Option(names = "--stats", description = "With --target ptx: assemble each kernel with `ptxas -v` (when it is on the PATH) and print its registers, shared memory and spills to stderr.")
    boolean stats;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Write one file per kernel into DIR instead of stdout.")
    Path outDir;

    @Option(names = "--cores", paramLabel = "N", description = "ascendc: AI vector cores of the target NPU; "
            + "blockDim never exceeds it, cube kernels use N/2 (default: ${DEFAULT-VALUE}, a 910B3/B4; 48 on 910B1/B2).")
    int cores = 40;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() throws IOException {
        Targets.Target generator = Targets.get(target);
        PrintWriter err = spec.commandLine().getErr();
        PtxArch ptxArch = ptxArch();
        if (stats && (!target.equals("ptx") || emit != Emit.code)) {
            throw new UserError("--stats reports what ptxas makes of the generated PTX; it needs --target ptx and --emit code");
        }
        GraphModule module = pipeline.parse(file);
        Pipeline.Result r = pipeline.compile(module, err);
        Map<String, String> outputs = new LinkedHashMap<>();
        String stem = file.getFileName().toString().replaceFirst("\\.tsr$", "");
        switch (emit) {
            case graph -> outputs.put(stem + ".graph.tir", GraphPrinter.print(r.graph()));
            case tile -> outputs.put(stem + ".tile.tir", TilePrinter.print(require(r.tile(), "tile")));
            case loop -> outputs.put(stem + ".loop.tir", LoopPrinter.print(require(r.loop(), "lower-loop")));
            case code -> outputs.putAll(generator.emit(r, this));
        }
        if (stats) {
            PtxStats.print(outputs, ptxArch, err);
        }
        if (outDir == null) {
            var out = spec.commandLine().getOut();
            outputs.values().forEach(out::print);
            out.flush();
            return ExitCodes.OK;
        }
        Files.createDirectories(outDir);
        for (Map.Entry<String, String> e : outputs.entrySet()) {
            Path target = outDir.resolve(e.getKey()).normalize();
            if (!target.startsWith(outDir.normalize())) {
                throw new IllegalStateException("generated file name escapes the output directory: " + e.getKey());
            }
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(tmp, e.getValue());
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getOut().println("wrote " + target);
        }
        return ExitCodes.OK;
    }

    /** The validated --arch; giving one for a target other than ptx is a mistake worth reporting. */
    PtxArch ptxArch() {
        if (arch == null) {
            return PtxArch.DEFAULT;
        }
        if (!target.equals("ptx")) {
            throw new UserError("--arch selects the GPU architecture of --target ptx; it means nothing for --target " + target);
        }
        return PtxArch.parse(arch).orElseThrow(() -> new UserError("unknown --arch '" + arch + "'; supported: "
                + PtxArch.names()));
    }

    static <T> T require(T level, String pass) {
        if (level == null) {
            throw new UserError("the pipeline stops before '" + pass + "'; add it to --passes to emit this level");
        }
        return level;
    }

    /** Kernel names are DSL identifiers; check again before one becomes part of a path. */
    static String fileNameFor(String kernel) {
        if (!GraphKernel.NAME.matcher(kernel).matches() || kernel.length() > 200) {
            throw new IllegalStateException("kernel name unfit for a file name: " + kernel);
        }
        return kernel;
    }
}
