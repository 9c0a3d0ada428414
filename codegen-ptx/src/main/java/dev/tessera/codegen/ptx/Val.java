package dev.tessera.codegen.ptx;

import dev.tessera.ir.loop.LType;

/**
 * An operand holding a loop-IR value: a virtual register, or an immediate that PTX accepts in source
 * position. Bools are always predicate registers (PTX has no predicate immediates).
 */
record Val(String text, LType type, boolean immediate) {

    static Val reg(String register, LType type) {
        return new Val(register, type, false);
    }

    static Val imm(String literal, LType type) {
        if (type == LType.BOOL) {
            throw new IllegalArgumentException("predicates have no immediates");
        }
        return new Val(literal, type, true);
    }

    @Override
    public String toString() {
        return text;
    }
}
