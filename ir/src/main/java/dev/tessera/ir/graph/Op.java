package dev.tessera.ir.graph;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.UnaryOp;
import java.util.List;

/**
 * One tensor operation of graph IR. The result type lives on the {@link Instr}; ops name only their operands
 * and attributes. Every op reads whole tensors and NumPy-broadcasts where the semantics say so.
 */
public sealed interface Op {

    /** The SSA operands, in order. */
    List<Value> operands();

    /** Elementwise unary math. */
    record Unary(UnaryOp op, Value x) implements Op {
        public List<Value> operands() {
            return List.of(x);
        }
    }

    /** Elementwise binary op with broadcasting of both sides. */
    record Binary(BinaryOp op, Value a, Value b) implements Op {
        public List<Value> operands() {
            return List.of(a, b);
        }
    }

    /** {@code where(cond, a, b)} with broadcasting of all three. */
    record Select(Value cond, Value a, Value b) implements Op {
        public List<Value> operands() {
            return List.of(cond, a, b);
        }
    }

    /** Conversion to another element type (float to int truncates toward zero; to bool is {@code != 0}). */
    record Cast(DType to, Value x) implements Op {
        public List<Value> operands() {
            return List.of(x);
        }
    }

    /** A scalar literal; its dtype is the result type's. */
    record Constant(double value) implements Op {
        public List<Value> operands() {
            return List.of();
        }
    }

    /** Reduction over the given axes (non-negative, sorted, distinct); keepdim leaves them as 1. */
    record Reduce(ReduceOp op, Value x, List<Integer> axes, boolean keepdim) implements Op {
        public Reduce {
            axes = List.copyOf(axes);
        }

        public List<Value> operands() {
            return List.of(x);
        }
    }

    /** Matrix product over the last two axes, batch axes broadcast (rank-1 operands as in NumPy). */
    record MatMul(Value a, Value b) implements Op {
        public List<Value> operands() {
            return List.of(a, b);
        }
    }

    /** Axis permutation: result axis i is input axis perm[i]. */
    record Transpose(Value x, List<Integer> perm) implements Op {
        public Transpose {
            perm = List.copyOf(perm);
        }

        public List<Value> operands() {
            return List.of(x);
        }
    }

    /** Same elements in row-major order, new shape (the result type's). */
    record Reshape(Value x) implements Op {
        public List<Value> operands() {
            return List.of(x);
        }
    }

    /** Broadcast to the result type's shape by NumPy rules. */
    record BroadcastTo(Value x) implements Op {
        public List<Value> operands() {
            return List.of(x);
        }
    }
}
