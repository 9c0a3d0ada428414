package dev.tessera.frontend;

import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.UnaryOp;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The builtin functions and their parameters. A call resolves to a builtin whenever its name is one, even where the
 * file defines a kernel of that name (a kernel {@code gelu} can wrap the builtin {@code gelu}).
 */
enum Builtin {
    EXP(1, "x"), LOG(1, "x"), SQRT(1, "x"), RSQRT(1, "x"), TANH(1, "x"), SIGMOID(1, "x"), RELU(1, "x"),
    GELU(1, "x"), ERF(1, "x"), ABS(1, "x"), NEG(1, "x"),
    MAXIMUM(2, "a", "b"), MINIMUM(2, "a", "b"),
    WHERE(3, "cond", "a", "b"),
    CAST(1, "x"),
    SUM(1, "x", "axis", "keepdim"), MAX(1, "x", "axis", "keepdim"), MIN(1, "x", "axis", "keepdim"),
    MEAN(1, "x", "axis", "keepdim"),
    MATMUL(2, "a", "b"),
    TRANSPOSE(1, "x", "perm"),
    RESHAPE(1, "x", "shape"),
    BROADCAST_TO(1, "x", "shape");

    /** How many leading parameters are tensors; the rest are attributes written as literals. */
    private final int tensors;
    private final List<String> params;

    Builtin(int tensors, String... params) {
        this.tensors = tensors;
        this.params = List.of(params);
    }

    String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    List<String> params() {
        return params;
    }

    int tensorParams() {
        return tensors;
    }

    /** Parameters that must be given: the tensors, and the target shape of reshape and broadcast_to. */
    int requiredParams() {
        return this == RESHAPE || this == BROADCAST_TO ? 2 : tensors;
    }

    Optional<UnaryOp> unaryOp() {
        return switch (this) {
            case EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, RELU, GELU, ERF, ABS, NEG -> UnaryOp.parse(spelling());
            default -> Optional.empty();
        };
    }

    Optional<ReduceOp> reduceOp() {
        return switch (this) {
            case SUM, MAX, MIN, MEAN -> ReduceOp.parse(spelling());
            default -> Optional.empty();
        };
    }

    static Optional<Builtin> lookup(String name) {
        for (Builtin b : values()) {
            if (b.spelling().equals(name)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    static List<String> spellings() {
        return java.util.Arrays.stream(values()).map(Builtin::spelling).toList();
    }
}
