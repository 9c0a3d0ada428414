package dev.tessera.ptxsim;

import java.util.Locale;

/** The PTX fundamental types this simulator knows, with their width and interpretation. */
enum PtxType {
    B8(8, Kind.BITS), B16(16, Kind.BITS), B32(32, Kind.BITS), B64(64, Kind.BITS), B128(128, Kind.BITS),
    U8(8, Kind.UNSIGNED), U16(16, Kind.UNSIGNED), U32(32, Kind.UNSIGNED), U64(64, Kind.UNSIGNED),
    S8(8, Kind.SIGNED), S16(16, Kind.SIGNED), S32(32, Kind.SIGNED), S64(64, Kind.SIGNED),
    F16(16, Kind.FLOAT), F16X2(32, Kind.FLOAT), BF16(16, Kind.FLOAT), BF16X2(32, Kind.FLOAT),
    TF32(32, Kind.FLOAT), F32(32, Kind.FLOAT), F64(64, Kind.FLOAT),
    PRED(1, Kind.PRED);

    /** How the bits of a value of this type are read. */
    enum Kind { BITS, UNSIGNED, SIGNED, FLOAT, PRED }

    final int bits;
    final Kind kind;

    PtxType(int bits, Kind kind) {
        this.bits = bits;
        this.kind = kind;
    }

    /** The type named by a modifier without its dot ({@code "f32"}), or null when it is not a type. */
    static PtxType fromModifier(String modifier) {
        return switch (modifier) {
            case "b8", "b16", "b32", "b64", "b128", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
                 "f16", "f16x2", "bf16", "bf16x2", "tf32", "f32", "f64", "pred" ->
                    valueOf(modifier.toUpperCase(Locale.ROOT));
            default -> null;
        };
    }

    int bytes() {
        return Math.max(1, bits / 8);
    }

    /** All-ones mask of this type's width (1 for predicates). */
    long mask() {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }

    boolean isInteger() {
        return kind == Kind.BITS || kind == Kind.UNSIGNED || kind == Kind.SIGNED;
    }

    boolean isSigned() {
        return kind == Kind.SIGNED;
    }

    boolean isFloat() {
        return kind == Kind.FLOAT;
    }

    /** The PTX spelling with its dot, for messages. */
    String spelling() {
        return "." + name().toLowerCase(Locale.ROOT);
    }
}
