package dev.tessera.ir.loop;

/** Binary scalar operators of loop IR; comparisons yield bool, the rest the operands' type. */
public enum LBinOp {
    ADD, SUB, MUL, DIV,
    /** Truncated remainder (C {@code %} / {@code fmod}). */
    REM,
    MIN, MAX,
    LT, LE, GT, GE, EQ, NE,
    AND, OR;

    public String irName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isComparison() {
        return switch (this) {
            case LT, LE, GT, GE, EQ, NE -> true;
            default -> false;
        };
    }

    public static java.util.Optional<LBinOp> parse(String s) {
        for (LBinOp op : values()) {
            if (op.irName().equals(s)) {
                return java.util.Optional.of(op);
            }
        }
        return java.util.Optional.empty();
    }
}
