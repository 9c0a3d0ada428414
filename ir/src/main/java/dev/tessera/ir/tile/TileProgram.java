package dev.tessera.ir.tile;

import dev.tessera.ir.BufferPlan;
import java.util.List;

/** One DSL kernel at tile level: its buffers and the device kernels that run in order to compute it. */
public record TileProgram(String name, BufferPlan buffers, List<TileKernel> kernels) {
    public TileProgram {
        kernels = List.copyOf(kernels);
    }
}
