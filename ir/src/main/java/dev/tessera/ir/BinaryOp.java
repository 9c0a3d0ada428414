package dev.tessera.ir;

import java.util.Optional;

/** Elementwise binary operations with NumPy broadcasting; comparisons produce bool. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV,
    /** Remainder with the sign of the dividend (C fmod / truncated division), as every target computes it. */
    MOD,
    MAX, MIN,
    LT, LE, GT, GE, EQ, NE,
    AND, OR;

    public String irName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<BinaryOp> parse(String s) {
        for (BinaryOp op : values()) {
            if (op.irName().equals(s)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    public boolean isComparison() {
        return switch (this) {
            case LT, LE, GT, GE, EQ, NE -> true;
            default -> false;
        };
    }

    public boolean isLogical() {
        return this == AND || this == OR;
    }

    public boolean isCommutative() {
        return switch (this) {
            case ADD, MUL, MAX, MIN, EQ, NE, AND, OR -> true;
            default -> false;
        };
    }
}
