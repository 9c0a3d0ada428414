package dev.tessera.ir.loop;

import dev.tessera.ir.BufferPlan;
import java.util.List;

/** One DSL kernel at loop level: its buffers and the device kernels launched in order. */
public record LoopProgram(String name, BufferPlan buffers, List<LoopKernel> kernels) {
    public LoopProgram {
        kernels = List.copyOf(kernels);
    }
}
