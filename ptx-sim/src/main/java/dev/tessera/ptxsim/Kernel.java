package dev.tessera.ptxsim;

import java.util.List;

/**
 * A linked entry, ready to run: its code, register file size, special-register slots and the layout
 * of its parameters, shared and local memory.
 */
record Kernel(String name, Insn[] code, int registers, List<SpecialSlot> specials, List<ParamSlot> params,
              int paramBytes, int staticSharedBytes, int dynamicSharedOffset, int localBytes) {

    Kernel {
        specials = List.copyOf(specials);
        params = List.copyOf(params);
    }

    /** A special register and the register slot it is copied into when a thread starts. */
    record SpecialSlot(Special special, int slot) {}

    /** A kernel parameter and its byte offset in the parameter buffer. */
    record ParamSlot(String name, PtxType type, int offset, int bytes, boolean array) {}
}
