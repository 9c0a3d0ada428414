package dev.tessera.ir.tile;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.UnaryOp;
import java.util.List;

/** An operation of a tile kernel's body, computed at every domain point (masked at the edges when lowered). */
public sealed interface TOp {

    List<TValue> operands();

    /** Element of {@code buffer} at the index given per tensor axis. */
    record Load(String buffer, List<IndexTerm> index) implements TOp {
        public Load {
            index = List.copyOf(index);
        }

        public List<TValue> operands() {
            return List.of();
        }
    }

    record Const(double value) implements TOp {
        public List<TValue> operands() {
            return List.of();
        }
    }

    record Unary(UnaryOp op, TValue x) implements TOp {
        public List<TValue> operands() {
            return List.of(x);
        }
    }

    record Binary(BinaryOp op, TValue a, TValue b) implements TOp {
        public List<TValue> operands() {
            return List.of(a, b);
        }
    }

    record Select(TValue cond, TValue a, TValue b) implements TOp {
        public List<TValue> operands() {
            return List.of(cond, a, b);
        }
    }

    record Cast(DType to, TValue x) implements TOp {
        public List<TValue> operands() {
            return List.of(x);
        }
    }

    /** Reduction of {@code x} over all sweep axes; the result is the same at every sweep point. */
    record Reduce(ReduceOp op, TValue x) implements TOp {
        public List<TValue> operands() {
            return List.of(x);
        }
    }

    /** Sum over the sweep axes of {@code a * b} (MATMUL kernels): a varies with [.., M, K], b with [.., K, N]. */
    record Dot(TValue a, TValue b) implements TOp {
        public List<TValue> operands() {
            return List.of(a, b);
        }
    }
}
