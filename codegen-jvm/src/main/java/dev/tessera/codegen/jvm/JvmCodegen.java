package dev.tessera.codegen.jvm;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.loop.LoopVerifier;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JVM backend: loop IR to bytecode, one hidden class per kernel, defined in this package. Each kernel body
 * is cut at its barriers ({@link BarrierSplit}), its variables placed ({@link VarPlan}), and every region
 * becomes a loop over the work-items of a group ({@link RegionEmitter}).
 */
public final class JvmCodegen {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final String PACKAGE = "dev/tessera/codegen/jvm/";

    private JvmCodegen() {}

    /**
     * Compiles every kernel of {@code program}.
     *
     * @throws CompileException when the program does not verify, or has a barrier where this backend cannot
     *     run one
     */
    public static JvmProgram compile(LoopProgram program) {
        List<Diagnostic> errors = LoopVerifier.verify(program).stream()
                .filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            throw new CompileException(errors);
        }
        List<JvmKernel> kernels = new ArrayList<>();
        for (LoopKernel k : program.kernels()) {
            kernels.add(compile(k, "@" + program.name() + "/@" + k.name()));
        }
        return new JvmProgram(program, kernels);
    }

    private static JvmKernel compile(LoopKernel original, String where) {
        LoopKernel k = UniqueNames.of(original);
        int[] localSize = {1, 1, 1};
        for (int d = 0; d < k.localSize().size(); d++) {
            localSize[d] = k.localSize().get(d);
        }
        List<Phase> phases = BarrierSplit.split(k, where);
        VarPlan vars = VarPlan.of(k, phases, localSize);
        List<Phase> strided = StridedLoops.split(phases, vars, localSize);
        if (strided != phases) {
            phases = strided;
            vars = VarPlan.of(k, phases, localSize);
        }
        KernelLayout layout = new KernelLayout(k, PACKAGE + "Kernel_" + k.name().replaceAll("[^A-Za-z0-9_]", "_"), vars);
        KernelClassWriter.Written written = KernelClassWriter.write(layout, phases);
        KernelCode prototype;
        try {
            Class<?> c = LOOKUP.defineHiddenClass(written.bytes(), true).lookupClass();
            prototype = (KernelCode) MethodHandles.privateLookupIn(c, LOOKUP)
                    .findConstructor(c, MethodType.methodType(void.class)).invoke();
        } catch (Throwable e) {
            // The class is ours: a verify error here is a bug of this backend, not of the program.
            throw new IllegalStateException("generated class for " + where + " does not load: " + e, e);
        }
        String summary = summary(where, layout, phases, written);
        return new JvmKernel(original, prototype, localSize, summary, written.bytes().length);
    }

    private static String summary(String where, KernelLayout layout, List<Phase> phases, KernelClassWriter.Written w) {
        StringBuilder s = new StringBuilder();
        s.append("// ").append(where).append(": hidden class ").append(layout.className.replace('/', '.'))
                .append(", ").append(w.bytes().length).append(" bytes\n");
        s.append("//   work-group ").append(layout.kernel.localSize().stream().map(String::valueOf)
                .collect(Collectors.joining("x"))).append(" = ").append(layout.groupSize).append(" work-items\n");
        s.append("//   phases: ").append(describe(phases, w.regionSizes())).append('\n');
        for (VarPlan.Storage st : List.of(VarPlan.Storage.PER_ITEM, VarPlan.Storage.UNIFORM, VarPlan.Storage.REMAT)) {
            List<VarPlan.Var> vs = layout.vars.withStorage(st);
            if (!vs.isEmpty()) {
                s.append("//   ").append(switch (st) {
                    case PER_ITEM -> "per work-item: ";
                    case UNIFORM -> "uniform: ";
                    default -> "recomputed: ";
                })
                        .append(vs.stream().map(v -> v.name() + " " + v.type().irName()).collect(Collectors.joining(", ")))
                        .append('\n');
            }
        }
        w.regionSizes().forEach((r, size) -> {
            if (size > HUGE_METHOD) {
                s.append("//   warning: region r").append(r).append(" is ").append(size)
                        .append(" bytes of bytecode; HotSpot does not JIT-compile methods over ").append(HUGE_METHOD)
                        .append('\n');
            }
        });
        return s.toString();
    }

    /** HotSpot's HugeMethodLimit: larger methods stay interpreted unless -XX:-DontCompileHugeMethods. */
    private static final int HUGE_METHOD = 8000;

    private static String describe(List<Phase> phases, Map<Integer, Integer> sizes) {
        return phases.stream().map(p -> switch (p) {
            case Phase.Region r -> "r" + r.id() + (r.strided() ? " strided" : "") + " (" + sizes.get(r.id()) + " B)";
            case Phase.Loop l -> "loop " + l.loop().var().name() + " [" + describe(l.body(), sizes) + "]";
        }).collect(Collectors.joining(" | "));
    }
}
