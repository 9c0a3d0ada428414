package dev.tessera.ir;

import java.util.Optional;

/** Reductions along axes. */
public enum ReduceOp {
    SUM, MAX, MIN, MEAN;

    public String irName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<ReduceOp> parse(String s) {
        for (ReduceOp op : values()) {
            if (op.irName().equals(s)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
