package dev.tessera.ir.loop;

/**
 * Unary scalar operators of loop IR: the primitives every target has. Composite DSL functions (sigmoid,
 * gelu, relu, ...) are expanded into these when lowering to loops.
 */
public enum LUnOp {
    NEG, NOT, EXP, LOG, SQRT, RSQRT, TANH, ERF, ABS,
    /** An f32 rounded to the nearest f16 value (ties to even), still held as f32: {@code cast<f16>} mid-kernel. */
    ROUND_F16,
    /** An f32 rounded to the nearest bf16 value (ties to even), still held as f32. */
    ROUND_BF16;

    public String irName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static java.util.Optional<LUnOp> parse(String s) {
        for (LUnOp op : values()) {
            if (op.irName().equals(s)) {
                return java.util.Optional.of(op);
            }
        }
        return java.util.Optional.empty();
    }
}
