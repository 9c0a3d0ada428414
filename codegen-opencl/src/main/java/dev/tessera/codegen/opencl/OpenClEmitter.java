package dev.tessera.codegen.opencl;

import dev.tessera.ir.GeneratedNames;
import dev.tessera.ir.loop.LoopComments;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopProgram;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Emits a loop-IR program as one OpenCL C 1.2 source holding all its kernels; the runtime builds it once
 * and looks each kernel up by {@link #kernelSymbol(LoopKernel)}. Every name from the DSL is sanitised
 * (see {@link GeneratedNames}); semantics follow Tessera's reference where C differs (see {@link Helper}).
 */
public final class OpenClEmitter {

    private OpenClEmitter() {}

    /**
     * The OpenCL C source of {@code p}.
     *
     * @throws IllegalArgumentException when the IR is malformed in a way that would not compile (a store to
     *     a read-only buffer, a load from an unknown array, two kernels with one symbol, ...)
     */
    public static String emit(LoopProgram p) {
        Set<Helper> helpers = KernelScope.newHelperSet();
        Map<String, String> kernelBySymbol = new HashMap<>();
        StringBuilder kernels = new StringBuilder();
        boolean fp64 = false;
        for (LoopKernel k : p.kernels()) {
            String symbol = kernelSymbol(k);
            String other = kernelBySymbol.putIfAbsent(symbol, k.name());
            if (other != null) {
                throw new IllegalArgumentException("program '" + p.name() + "': kernels '" + other + "' and '"
                        + k.name() + "' would both be called " + symbol);
            }
            KernelWriter w = new KernelWriter(new KernelScope(k, helpers), symbol);
            kernels.append('\n').append(w.write());
            fp64 |= w.usesFp64();
        }
        for (Helper h : helpers) {
            fp64 |= h.needsFp64();
        }

        StringBuilder sb = new StringBuilder();
        sb.append("// Tessera program '").append(CNames.commentSafe(p.name()))
                .append("', emitted as OpenCL C 1.2 by Tessera's OpenClEmitter.\n");
        sb.append(LoopComments.buffers(p.buffers(), CNames::commentSafe));
        if (fp64) {
            sb.append("\n#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n");
        }
        for (Helper h : helpers) {
            sb.append('\n').append(h.source());
        }
        sb.append(kernels);
        return sb.toString();
    }

    /** The C function name of {@code k} in {@link #emit}'s output; depends on the kernel's name alone. */
    public static String kernelSymbol(LoopKernel k) {
        return GeneratedNames.kernelSymbol(k.name());
    }
}
