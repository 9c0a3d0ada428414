package dev.tessera.ir;

import java.util.Optional;

/** Elementwise unary operations; the same set at graph and tile level (loop level expands the composite ones). */
public enum UnaryOp {
    EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, RELU, GELU, ERF, ABS, NEG,
    /** Logical not of a bool. */
    NOT;

    /** The spelling in the DSL and in IR text. */
    public String irName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<UnaryOp> parse(String s) {
        for (UnaryOp op : values()) {
            if (op.irName().equals(s)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    /** True for ops defined only on floating-point inputs. */
    public boolean needsFloat() {
        return this != ABS && this != NEG && this != RELU && this != NOT;
    }
}
