package dev.tessera.ir;

import java.util.Optional;

/** Element types of tensors, spelled in the DSL and in every IR level as {@link #irName()}. */
public enum DType {
    F32("f32", 4),
    F16("f16", 2),
    BF16("bf16", 2),
    I32("i32", 4),
    BOOL("bool", 1),
    F64("f64", 8);

    private final String irName;
    private final int byteSize;

    DType(String irName, int byteSize) {
        this.irName = irName;
        this.byteSize = byteSize;
    }

    public String irName() {
        return irName;
    }

    /** Bytes per element in device memory (bool is one byte). */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloat() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /** Half-width floats are stored as such but computed in f32. */
    public boolean isHalf() {
        return this == F16 || this == BF16;
    }

    public static Optional<DType> parse(String s) {
        for (DType t : values()) {
            if (t.irName.equals(s)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return irName;
    }
}
