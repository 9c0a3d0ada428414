package dev.tessera.ir.graph;

import java.util.List;
import java.util.Optional;

/** All kernels of one source file, in graph IR. */
public record GraphModule(List<GraphKernel> kernels) {

    public GraphModule {
        kernels = List.copyOf(kernels);
    }

    public Optional<GraphKernel> kernel(String name) {
        return kernels.stream().filter(k -> k.name().equals(name)).findFirst();
    }
}
