package dev.tessera.codegen.ptx;

import dev.tessera.ir.loop.LType;

/** Instruction type suffixes and constant operands for loop-IR scalar types. */
final class PtxTypes {

    private PtxTypes() {}

    /** The suffix of arithmetic and comparisons: signed for integers, since loop-IR integers are signed. */
    static String arith(LType t) {
        return switch (t) {
            case I32 -> ".s32";
            case I64 -> ".s64";
            case F32 -> ".f32";
            case F64 -> ".f64";
            case BOOL -> throw new IllegalArgumentException("no arithmetic on bool");
        };
    }

    /** The suffix of moves and selects, which only copy bits. */
    static String bits(LType t) {
        return switch (t) {
            case I32 -> ".b32";
            case I64 -> ".b64";
            case F32 -> ".f32";
            case F64 -> ".f64";
            case BOOL -> ".pred";
        };
    }

    /** The value {@code v} as an immediate of numeric type {@code t}. */
    static Val constant(LType t, double v) {
        return switch (t) {
            case I32 -> Val.imm(PtxLiterals.i32((long) v), t);
            case I64 -> Val.imm(PtxLiterals.i64((long) v), t);
            case F32 -> Val.imm(PtxLiterals.f32(v), t);
            case F64 -> Val.imm(PtxLiterals.f64(v), t);
            case BOOL -> throw new IllegalArgumentException("predicates have no immediates");
        };
    }
}
