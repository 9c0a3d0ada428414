package dev.tessera.cli;

import dev.tessera.codegen.ascendc.AscendEmitter;
import dev.tessera.codegen.ascendc.AscendOptions;
import dev.tessera.codegen.opencl.OpenClEmitter;
import dev.tessera.codegen.ptx.PtxEmitter;
import dev.tessera.ir.tile.TileProgram;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.passes.Pipeline;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The code generators {@code tessera compile --target} offers, by name. Each turns a compiled module into
 * files (name to contents); the command writes them to stdout or into {@code -o DIR}.
 */
final class Targets {

    /** What a target emits for a module; {@code options} carries the target-specific flags. */
    interface Target {
        Map<String, String> emit(Pipeline.Result module, CompileCommand options);
    }

    private static final Map<String, Target> ALL = new LinkedHashMap<>();

    static {
        ALL.put("opencl", (r, o) -> {
            Map<String, String> files = new LinkedHashMap<>();
            for (LoopProgram p : CompileCommand.require(r.loop(), "lower-loop").programs()) {
                files.put(CompileCommand.fileNameFor(p.name()) + ".cl", OpenClEmitter.emit(p));
            }
            return files;
        });
        ALL.put("ptx", (r, o) -> {
            Map<String, String> files = new LinkedHashMap<>();
            for (LoopProgram p : CompileCommand.require(r.loop(), "lower-loop").programs()) {
                files.put(CompileCommand.fileNameFor(p.name()) + ".ptx", PtxEmitter.emit(p, o.ptxArch()));
            }
            return files;
        });
        // Ascend C is emitted from tile IR: one directory per DSL kernel (kernels, tiling, launcher, CMake).
        ALL.put("ascendc", (r, o) -> {
            if (o.cores < 2 || o.cores > 4096) {
                throw new UserError("--cores must be between 2 and 4096, not " + o.cores);
            }
            AscendOptions options = AscendOptions.defaults().withCores(o.cores);
            Map<String, String> files = new LinkedHashMap<>();
            for (TileProgram p : CompileCommand.require(r.tile(), "tile").programs()) {
                CompileCommand.fileNameFor(p.name());
                files.putAll(AscendEmitter.emit(p, options).files());
            }
            return files;
        });
    }

    private Targets() {}

    static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    static Target get(String name) {
        Target t = ALL.get(name);
        if (t == null) {
            throw new UserError("unknown target '" + name + "'; this build has: " + String.join(", ", names()));
        }
        return t;
    }

    /** For picocli's completion candidates and --help. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return names().iterator();
        }
    }
}
