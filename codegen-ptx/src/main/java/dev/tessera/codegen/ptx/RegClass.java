package dev.tessera.codegen.ptx;

import dev.tessera.ir.loop.LType;

/** The kinds of PTX virtual registers the emitter declares, each with its own numbered family. */
enum RegClass {
    PRED("%p", ".pred"),
    /** Raw 16-bit values: f16 storage on its way to or from f32. */
    B16("%h", ".b16"),
    B32("%r", ".b32"),
    B64("%rd", ".b64"),
    F32("%f", ".f32"),
    F64("%fd", ".f64");

    final String prefix;
    final String declType;

    RegClass(String prefix, String declType) {
        this.prefix = prefix;
        this.declType = declType;
    }

    /** Where a loop-IR value of type {@code t} lives: bools in predicates, so branches and selects use them directly. */
    static RegClass of(LType t) {
        return switch (t) {
            case BOOL -> PRED;
            case I32 -> B32;
            case I64 -> B64;
            case F32 -> F32;
            case F64 -> F64;
        };
    }
}
