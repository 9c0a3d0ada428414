package dev.tessera.codegen.ptx;

import dev.tessera.ir.GeneratedNames;
import dev.tessera.ir.loop.LoopComments;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopProgram;
import java.util.HashMap;
import java.util.Map;

/**
 * Emits a loop-IR program as one PTX module holding a {@code .visible .entry} per kernel, written directly
 * (no CUDA C, no LLVM in between). The driver JIT-compiles the module once and looks each kernel up by
 * {@link #kernelSymbol(LoopKernel)}; {@code ptxas} assembles it for one architecture. Names from the DSL are
 * sanitised ({@link GeneratedNames}); semantics follow Tessera's reference where PTX differs ({@link ExprEmitter});
 * math functions are emitted inline with documented error bounds ({@link FloatMath}).
 */
public final class PtxEmitter {

    private PtxEmitter() {}

    /** The PTX of {@code p} for {@link PtxArch#DEFAULT}. */
    public static String emit(LoopProgram p) {
        return emit(p, PtxArch.DEFAULT);
    }

    /**
     * The PTX of {@code p} for {@code arch}.
     *
     * @throws IllegalArgumentException when the IR is malformed in a way that would not assemble (a store to
     *     a read-only buffer, a load from an unknown array, two kernels with one symbol, an op on the wrong type)
     */
    public static String emit(LoopProgram p, PtxArch arch) {
        Map<String, String> kernelBySymbol = new HashMap<>();
        StringBuilder kernels = new StringBuilder();
        for (LoopKernel k : p.kernels()) {
            String symbol = kernelSymbol(k);
            String other = kernelBySymbol.putIfAbsent(symbol, k.name());
            if (other != null) {
                throw new IllegalArgumentException("program '" + p.name() + "': kernels '" + other + "' and '"
                        + k.name() + "' would both be called " + symbol);
            }
            kernels.append('\n').append(new KernelEmitter(k, p.buffers(), symbol).write());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("// Tessera program '").append(GeneratedNames.commentSafe(p.name()))
                .append("', emitted as PTX by Tessera's PtxEmitter.\n");
        sb.append(LoopComments.buffers(p.buffers(), GeneratedNames::commentSafe));
        sb.append('\n');
        sb.append(".version ").append(PtxArch.PTX_VERSION).append('\n');
        sb.append(".target ").append(arch.target()).append('\n');
        sb.append(".address_size 64\n");
        sb.append(kernels);
        return sb.toString();
    }

    /** The {@code .entry} name of {@code k} in {@link #emit}'s output; depends on the kernel's name alone. */
    public static String kernelSymbol(LoopKernel k) {
        return GeneratedNames.kernelSymbol(k.name());
    }
}
