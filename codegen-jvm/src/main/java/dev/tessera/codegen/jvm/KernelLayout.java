package dev.tessera.codegen.jvm;

import dev.tessera.ir.DType;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a kernel's state lives in its generated class: one field per buffer parameter, dimension parameter and
 * local array (numbered in declaration order), the launch's group counts and the current group's coordinates,
 * and the fields {@link VarPlan} asks for. Also the kernel's work-group size, padded to three dimensions.
 */
final class KernelLayout {

    static final String SEGMENT = "Ljava/lang/foreign/MemorySegment;";

    final LoopKernel kernel;
    final String className;
    final VarPlan vars;
    /** Work-items along dimensions 0, 1, 2; 1 past the launch's rank. */
    final int[] localSize = {1, 1, 1};
    final int groupSize;
    private final Map<String, Integer> buffers = new HashMap<>();
    private final Map<String, DType> bufferTypes = new HashMap<>();
    private final Map<String, Integer> dims = new HashMap<>();
    private final Map<String, Integer> locals = new HashMap<>();
    final List<LoopParam.BufferParam> bufferParams;
    final List<LoopParam.DimParam> dimParams;

    KernelLayout(LoopKernel kernel, String className, VarPlan vars) {
        this.kernel = kernel;
        this.className = className;
        this.vars = vars;
        for (int d = 0; d < kernel.localSize().size(); d++) {
            localSize[d] = kernel.localSize().get(d);
        }
        groupSize = localSize[0] * localSize[1] * localSize[2];
        bufferParams = kernel.params().stream().filter(p -> p instanceof LoopParam.BufferParam)
                .map(p -> (LoopParam.BufferParam) p).toList();
        dimParams = kernel.params().stream().filter(p -> p instanceof LoopParam.DimParam)
                .map(p -> (LoopParam.DimParam) p).toList();
        for (int i = 0; i < bufferParams.size(); i++) {
            buffers.put(bufferParams.get(i).name(), i);
            bufferTypes.put(bufferParams.get(i).name(), bufferParams.get(i).elem());
        }
        for (int i = 0; i < dimParams.size(); i++) {
            dims.put(dimParams.get(i).name(), i);
        }
        for (int i = 0; i < kernel.locals().size(); i++) {
            locals.put(kernel.locals().get(i).name(), i);
        }
    }

    boolean isBuffer(String name) {
        return buffers.containsKey(name);
    }

    DType bufferType(String name) {
        return bufferTypes.get(name);
    }

    String bufferField(String name) {
        return "b" + buffers.get(name);
    }

    boolean isDim(String name) {
        return dims.containsKey(name);
    }

    String dimField(String name) {
        return "d" + dims.get(name);
    }

    LocalArray local(String name) {
        Integer i = locals.get(name);
        if (i == null) {
            throw new IllegalStateException(name + " is neither a buffer parameter nor a local array");
        }
        return kernel.locals().get(i);
    }

    String localField(String name) {
        local(name);
        return "a" + locals.get(name);
    }

    static String varField(VarPlan.Var v) {
        return switch (v.storage()) {
            case UNIFORM -> "u_" + v.name();
            case PER_ITEM -> "p_" + v.name();
            case LOOP -> "v_" + v.name();
            case LOCAL, REMAT -> throw new IllegalStateException(v.name() + " lives in a local, not a field");
        };
    }

    static String varFieldDescriptor(VarPlan.Var v) {
        return v.storage() == VarPlan.Storage.PER_ITEM ? JvmTypes.arrayDescriptor(v.type())
                : JvmTypes.descriptor(v.type());
    }
}
