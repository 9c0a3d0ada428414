package dev.tessera.codegen.ascendc;

import dev.tessera.ir.Dim;
import dev.tessera.ir.GeneratedNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The parts of a kernel class every writer shares: names, GM arguments, GlobalTensors, index decoders, the
 * entry.
 */
final class Skeleton {

    private Skeleton() {}

    /**
     * The {@code extern "C"} entry of tile kernel {@code kernel}: the symbol the OpenCL and PTX backends give a
     * kernel too ({@link GeneratedNames#kernelSymbol}), so no DSL name reaches C++ unchecked.
     */
    static String symbol(String kernel) {
        return GeneratedNames.kernelSymbol(kernel);
    }

    /** The C++ class that holds the kernel's code. */
    static String className(String kernel) {
        return "Kernel_" + symbol(kernel);
    }

    /** The inline host function that computes the kernel's tiling. */
    static String tilingFunction(String kernel) {
        return "tiling_" + symbol(kernel);
    }

    static String params(ProgramEnv env, List<String> args) {
        List<String> ps = new ArrayList<>();
        for (String b : args) {
            ps.add("GM_ADDR " + env.id(b));
        }
        return String.join(", ", ps);
    }

    static String argNames(ProgramEnv env, List<String> args) {
        return String.join(", ", args.stream().map(env::id).toList());
    }

    static String globalMembers(ProgramEnv env, List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (String b : args) {
            sb.append("    AscendC::GlobalTensor<").append(Cpp.storage(env.buffer(b).type().dtype())).append("> gm_")
                    .append(env.id(b)).append(";\n");
        }
        return sb.toString();
    }

    /**
     * SetGlobalBuffer for every argument: the whole tensor, or for {@code sliced} buffers this core's part
     * (from {@code sliceStart}, {@code sliceLen} elements), so that an access past it is an error.
     */
    static String setGlobals(ProgramEnv env, List<String> args, Set<String> sliced, String sliceStart, String sliceLen) {
        StringBuilder sb = new StringBuilder();
        for (String b : args) {
            String ty = Cpp.storage(env.buffer(b).type().dtype());
            sb.append("        gm_").append(env.id(b)).append(".SetGlobalBuffer((__gm__ ").append(ty).append(" *)")
                    .append(env.id(b));
            if (sliced.contains(b)) {
                sb.append(" + ").append(sliceStart).append(", ").append(sliceLen).append(");\n");
            } else {
                sb.append(", ").append(env.count(b, "tiling")).append(");\n");
            }
        }
        return sb.toString();
    }

    /** A member function {@code fn(int64_t i)} that splits i row-major over {@code axes} into ax[]. */
    static String decoder(String fn, ProgramEnv env, List<Dim> domainAxes, List<Integer> axes) {
        StringBuilder sb = new StringBuilder("    __aicore__ inline void " + fn + "(int64_t i) {\n");
        for (int j = axes.size() - 1; j >= 0; j--) {
            int a = axes.get(j);
            String d = env.dim(domainAxes.get(a), "tiling");
            if (j == 0) {
                sb.append("        ax[").append(a).append("] = i;\n");
            } else {
                sb.append("        ax[").append(a).append("] = i % ").append(d).append(";\n        i = i / ").append(d)
                        .append(";\n");
            }
        }
        if (axes.isEmpty()) {
            sb.append("        (void)i;\n");
        }
        return sb.append("    }\n\n").toString();
    }

    /** The {@code extern "C"} entry: builds the kernel object and runs it. */
    static String entry(String kernel, ProgramEnv env, List<String> args, String kernelType) {
        return "extern \"C\" __global__ __aicore__ void " + symbol(kernel) + "(" + params(env, args)
                + (args.isEmpty() ? "" : ", ") + "TesseraTiling tiling)\n{\n"
                + "    KERNEL_TASK_TYPE_DEFAULT(" + kernelType + ");\n"
                + "    " + className(kernel) + " op;\n"
                + "    op.Init(" + argNames(env, args) + (args.isEmpty() ? "" : ", ") + "tiling);\n"
                + "    op.Process();\n}\n";
    }
}
