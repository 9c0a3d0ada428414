package dev.tessera.runtime.cuda;

import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.CompiledProgram;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** A program loaded on one {@link CudaDevice}: its PTX, the CUDA module, and one function per loop kernel. */
final class CudaCompiled implements CompiledProgram {

    final CudaDevice owner;
    private final LoopProgram program;
    private final String ptx;
    private final String jitLog;
    private final MemorySegment module;
    /** In the order of {@code program.kernels()}. */
    final List<MemorySegment> functions;
    private boolean unloaded;

    CudaCompiled(CudaDevice owner, LoopProgram program, String ptx, String jitLog, MemorySegment module,
            List<MemorySegment> functions) {
        this.owner = owner;
        this.program = program;
        this.ptx = ptx;
        this.jitLog = jitLog;
        this.module = module;
        this.functions = List.copyOf(functions);
    }

    @Override
    public LoopProgram program() {
        return program;
    }

    @Override
    public String deviceId() {
        return owner.id();
    }

    /** The PTX the driver compiled. */
    @Override
    public String source() {
        return ptx;
    }

    /** What the JIT reported on success (registers, spills per kernel), for inspection. */
    public String jitLog() {
        return jitLog;
    }

    void unload(CudaLibrary cu) {
        if (!unloaded) {
            unloaded = true;
            cu.check("cuModuleUnload", cu.cuModuleUnload(module), program.name());
        }
    }

    @Override
    public String toString() {
        return "CUDA program '" + program.name() + "' on " + owner.id();
    }
}
