package dev.tessera.codegen.ptx;

import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.GeneratedNames;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.SpecialReg;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one kernel's code may refer to and where it lives in PTX: buffer parameters (their global base
 * address registers, and whether they may be read through the non-coherent cache), dimension registers,
 * shared arrays, launch coordinates, and the variables in scope.
 */
final class KernelScope {

    final LoopKernel kernel;
    final PtxCode code = new PtxCode();
    final Map<String, LoopParam.BufferParam> buffers = new LinkedHashMap<>();
    final Map<String, LocalArray> locals = new LinkedHashMap<>();
    private final GeneratedNames names = new GeneratedNames();
    private final Set<String> readOnly = new HashSet<>();
    private final Map<String, String> bases = new HashMap<>();
    private final Map<String, String> sharedBases = new HashMap<>();
    private final Map<String, Val> dims = new LinkedHashMap<>();
    private final Map<String, Val> specials = new HashMap<>();
    private final Deque<Map<String, Val>> scopes = new ArrayDeque<>();

    KernelScope(LoopKernel kernel, BufferPlan plan) {
        this.kernel = kernel;
        Set<String> arrays = new HashSet<>();
        Set<String> writtenStorage = new HashSet<>();
        for (LoopParam p : kernel.params()) {
            if (!arrays.add(p.name())) {
                throw bad("parameter '" + p.name() + "' is declared twice");
            }
            if (p instanceof LoopParam.BufferParam b) {
                buffers.put(b.name(), b);
                if (b.written()) {
                    writtenStorage.add(plan.storageOf(b.name()));
                }
            }
        }
        // ld.global.nc requires that nothing writes the memory while the kernel runs; a view of a buffer the
        // kernel stores to is the same memory under another name, so it must use plain loads too.
        for (LoopParam.BufferParam b : buffers.values()) {
            if (!b.written() && !writtenStorage.contains(plan.storageOf(b.name()))) {
                readOnly.add(b.name());
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
        // Name parameters first so that their PTX names do not depend on how the body is written.
        kernel.params().forEach(this::paramName);
        kernel.locals().forEach(a -> sharedName(a.name()));
        scopes.push(new HashMap<>());
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

    String sharedName(String local) {
        return names.of("s_", local);
    }

    void setSharedBase(String local, String register) {
        sharedBases.put(local, register);
    }

    /** The register holding the shared-window address of a local array's element 0. */
    String sharedBase(String local) {
        return sharedBases.get(local);
    }

    boolean isReadOnly(String buffer) {
        return readOnly.contains(buffer);
    }

    void setBase(String buffer, String register) {
        bases.put(buffer, register);
    }

    /** The register holding the global address of a buffer parameter's element 0. */
    String base(String buffer) {
        String r = bases.get(buffer);
        if (r == null) {
            throw bad("'" + buffer + "' is not a buffer parameter");
        }
        return r;
    }

    void setDim(String name, Val register) {
        dims.put(name, register);
    }

    void setSpecial(SpecialReg reg, int dim, Val register) {
        specials.put(reg.irName() + dim, register);
    }

    Val special(SpecialReg reg, int dim) {
        Val v = specials.get(reg.irName() + dim);
        if (v == null) {
            throw new IllegalStateException("launch coordinate " + reg.irName() + "(" + dim + ") was not loaded");
        }
        return v;
    }

    /** A {@code Var} is a variable in scope, else the dimension parameter of that name. */
    Val lookup(Expr.Var v) {
        for (Map<String, Val> scope : scopes) {
            Val r = scope.get(v.name());
            if (r != null) {
                if (r.type() != v.type()) {
                    throw bad("variable '" + v.name() + "' is used as " + v.type().irName() + " but declared "
                            + r.type().irName());
                }
                return r;
            }
        }
        Val dim = dims.get(v.name());
        if (dim == null) {
            throw bad("variable '" + v.name() + "' is used before it is declared");
        }
        if (v.type() != LType.I32) {
            throw bad("dimension '" + v.name() + "' is used as " + v.type().irName() + "; dimensions are i32");
        }
        return dim;
    }

    /** A new variable: its own register, so that an inner declaration never clobbers an outer one. */
    Val declare(Expr.Var v) {
        if (dims.containsKey(v.name())) {
            throw bad("variable '" + v.name() + "' shadows the dimension parameter of that name");
        }
        Val r = code.fresh(v.type());
        scopes.peek().put(v.name(), r);
        return r;
    }

    void enter() {
        scopes.push(new HashMap<>());
    }

    void leave() {
        scopes.pop();
    }
}
