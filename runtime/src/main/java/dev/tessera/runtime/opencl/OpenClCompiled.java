package dev.tessera.runtime.opencl;

import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.CompiledProgram;
import java.util.List;

/** A program built on one {@link OpenClDevice}: the OpenCL program and one kernel object per loop kernel. */
final class OpenClCompiled implements CompiledProgram, AutoCloseable {

    final OpenClDevice owner;
    private final LoopProgram program;
    private final String source;
    final ClProgram clProgram;
    /** In the order of {@code program.kernels()}. */
    final List<ClKernel> kernels;

    OpenClCompiled(OpenClDevice owner, LoopProgram program, String source, ClProgram clProgram,
            List<ClKernel> kernels) {
        this.owner = owner;
        this.program = program;
        this.source = source;
        this.clProgram = clProgram;
        this.kernels = List.copyOf(kernels);
    }

    @Override
    public LoopProgram program() {
        return program;
    }

    @Override
    public String deviceId() {
        return owner.id();
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public void close() {
        try (ClProgram p = clProgram) {
            for (ClKernel k : kernels) {
                k.close();
            }
        }
    }

    @Override
    public String toString() {
        return "OpenCL program '" + program.name() + "' on " + owner.id();
    }
}
