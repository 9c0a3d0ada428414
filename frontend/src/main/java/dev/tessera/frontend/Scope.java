package dev.tessera.frontend;

import dev.tessera.ir.Dim;
import java.util.Map;

/**
 * What lowering one kernel body needs to know besides its statements: the kernel it is emitted into, where its
 * diagnostics go, and, for an inlined body, the prefix of its value names and the binding of its symbolic dims to
 * the caller's.
 *
 * @param prefix null for a kernel checked on its own
 * @param subst  the callee's symbolic dims as the caller's dims; empty on its own
 */
record Scope(ModuleChecker module, GraphBuilder builder, Diags diags, String prefix, Map<String, Dim> subst) {

    Scope {
        subst = Map.copyOf(subst);
    }

    /** The IR name a {@code let} would like: its own name, under the prefix of an inlined call. */
    String valueName(String letName) {
        return prefix == null ? letName : prefix + "." + letName;
    }

    /** A dim written by name in this body (in a shape list), seen from the kernel being built. */
    Dim dim(String name) {
        return subst.getOrDefault(name, new Dim.Sym(name));
    }
}
