package dev.tessera.codegen.jvm;

import dev.tessera.ir.loop.LoopProgram;
import java.util.List;
import java.util.stream.Collectors;

/** A loop program compiled for the JVM: one {@link JvmKernel} per kernel, launched in order. */
public record JvmProgram(LoopProgram program, List<JvmKernel> kernels) {

    public JvmProgram {
        kernels = List.copyOf(kernels);
    }

    /** How each kernel was compiled, as comment lines: the JVM's counterpart of generated source. */
    public String summary() {
        return kernels.stream().map(JvmKernel::summary).collect(Collectors.joining());
    }
}
