package dev.tessera.codegen.opencl;

import dev.tessera.ir.DType;
import dev.tessera.ir.GeneratedNames;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one kernel's code may refer to (buffer parameters, dims, local arrays, variables) and the C names
 * they get, plus what the program preamble must provide for it (helpers, fp64).
 */
final class KernelScope {

    final LoopKernel kernel;
    final Map<String, LoopParam.BufferParam> buffers = new LinkedHashMap<>();
    final Map<String, LocalArray> locals = new LinkedHashMap<>();
    final Set<String> dims = new HashSet<>();
    private final GeneratedNames names = new GeneratedNames();
    private final Set<Helper> helpers;
    private boolean fp64;

    KernelScope(LoopKernel kernel, Set<Helper> programHelpers) {
        this.kernel = kernel;
        this.helpers = programHelpers;
        Set<String> arrays = new HashSet<>();
        for (LoopParam p : kernel.params()) {
            if (!arrays.add(p.name())) {
                throw bad("parameter '" + p.name() + "' is declared twice");
            }
            switch (p) {
                case LoopParam.BufferParam b -> buffers.put(b.name(), b);
                case LoopParam.DimParam d -> dims.add(d.name());
            }
        }
        for (LocalArray a : kernel.locals()) {
            if (!arrays.add(a.name())) {
                throw bad("local array '" + a.name() + "' has the name of another parameter or array");
            }
            if (a.length() <= 0) {
                throw bad("local array '" + a.name() + "' has length " + a.length());
            }
            locals.put(a.name(), a);
        }
        // Name parameters first so that their C names do not depend on how the body is written.
        kernel.params().forEach(p -> paramName(p));
        kernel.locals().forEach(a -> localName(a.name()));
    }

    IllegalArgumentException bad(String message) {
        return new IllegalArgumentException("kernel '" + kernel.name() + "': " + message);
    }

    String paramName(LoopParam p) {
        return switch (p) {
            case LoopParam.BufferParam b -> names.of("b_", b.name());
            case LoopParam.DimParam d -> names.of("d_", d.name());
        };
    }

    String bufferName(String name) {
        return names.of("b_", name);
    }

    String localName(String name) {
        return names.of("l_", name);
    }

    /** A {@code Var} reads a dimension parameter when one has its name, otherwise a local variable. */
    String varName(String name) {
        return dims.contains(name) ? names.of("d_", name) : names.of("v_", name);
    }

    /** The name of a variable being declared; one that hid a dimension would make later reads ambiguous. */
    String declaredName(String name) {
        if (dims.contains(name)) {
            throw bad("variable '" + name + "' shadows the dimension parameter of that name");
        }
        return names.of("v_", name);
    }

    /** The C type computed in for an IR scalar type. */
    String ctype(LType t) {
        return switch (t) {
            case BOOL -> "bool";
            case I32 -> "int";
            case I64 -> "long";
            case F32 -> "float";
            case F64 -> {
                fp64 = true;
                yield "double";
            }
        };
    }

    /** The C element type of a global buffer holding {@code d}; bool is a byte, bf16 its raw bits. */
    String storageType(DType d) {
        return switch (d) {
            case F32 -> "float";
            case F16 -> "half";
            case BF16 -> "ushort";
            case I32 -> "int";
            case BOOL -> "uchar";
            case F64 -> {
                fp64 = true;
                yield "double";
            }
        };
    }

    /** Local arrays of bool are bytes too: the size of OpenCL's bool in memory is implementation-defined. */
    String localElemType(LType t) {
        return t == LType.BOOL ? "uchar" : ctype(t);
    }

    String helper(Helper h) {
        helpers.add(h);
        if (h.needsFp64()) {
            fp64 = true;
        }
        return h.cName();
    }

    boolean usesFp64() {
        return fp64;
    }

    static Set<Helper> newHelperSet() {
        return EnumSet.noneOf(Helper.class);
    }
}
