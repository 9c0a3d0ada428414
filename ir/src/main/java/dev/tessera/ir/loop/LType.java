package dev.tessera.ir.loop;

import dev.tessera.ir.DType;

/**
 * Scalar types of loop IR. Values are computed in these; buffers keep their storage {@link DType}
 * (f16 and bf16 load as f32 and store rounded, bool is a byte in memory).
 */
public enum LType {
    BOOL, I32, I64, F32, F64;

    public String irName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isFloat() {
        return this == F32 || this == F64;
    }

    public boolean isInt() {
        return this == I32 || this == I64;
    }

    /** The type an element of a buffer with this storage type is computed in. */
    public static LType computeTypeOf(DType storage) {
        return switch (storage) {
            case F32, F16, BF16 -> F32;
            case F64 -> F64;
            case I32 -> I32;
            case BOOL -> BOOL;
        };
    }

    public static java.util.Optional<LType> parse(String s) {
        for (LType t : values()) {
            if (t.irName().equals(s)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
