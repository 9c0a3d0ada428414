package dev.tessera.ir.graph;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.Shape;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.UnaryOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typing rules of graph IR: the result type each op gives its operand types. Shared by the verifier,
 * shape inference and the frontend so that there is one definition of what, say, {@code matmul} returns.
 *
 * <p>No implicit promotion happens here: operands of binary ops, select and matmul must have equal dtypes
 * (the frontend inserts casts). Arithmetic is refused on bool, {@code mean} and the transcendental unary
 * ops need floats, and logical ops need bool.
 */
public final class TypeRules {

    private TypeRules() {}

    /** The outcome of typing one op: its result type, or why it has none. */
    public sealed interface Result permits Ok, Fail {
        /** The type, when typing succeeded. */
        default Optional<TensorType> toOptional() {
            return this instanceof Ok ok ? Optional.of(ok.type()) : Optional.empty();
        }
    }

    public record Ok(TensorType type) implements Result {}

    public record Fail(String message) implements Result {}

    /** Types {@code instr.op()}, taking its declared result type where the op's type is given, not derived. */
    public static Result infer(Instr instr) {
        return infer(instr.op(), instr.result().type());
    }

    /**
     * The result type of {@code op}. {@code declared} is consulted only by ops whose result type is given
     * rather than derived ({@code const}, {@code reshape}, {@code broadcast_to}); for those it is validated
     * against the operand and returned.
     */
    public static Result infer(Op op, TensorType declared) {
        return switch (op) {
            case Op.Unary u -> unary(u.op(), u.x().type());
            case Op.Binary b -> binary(b.op(), b.a().type(), b.b().type());
            case Op.Select s -> select(s.cond().type(), s.a().type(), s.b().type());
            case Op.Cast c -> new Ok(c.x().type().withDtype(c.to()));
            case Op.Constant c -> constant(c.value(), declared);
            case Op.Reduce r -> reduce(r, r.x().type());
            case Op.MatMul m -> matmul(m.a().type(), m.b().type());
            case Op.Transpose t -> transpose(t.perm(), t.x().type());
            case Op.Reshape r -> reshape(r.x().type(), declared);
            case Op.BroadcastTo b -> broadcastTo(b.x().type(), declared);
        };
    }

    /** Empty when the instruction's declared type is the one its op gives; otherwise the message to show. */
    public static Optional<String> check(Instr instr) {
        return switch (infer(instr)) {
            case Fail f -> Optional.of(f.message());
            case Ok ok -> ok.type().equals(instr.result().type())
                    ? Optional.empty()
                    : Optional.of("result " + instr.result() + " is declared " + instr.result().type() + " but "
                            + opName(instr.op()) + " gives " + ok.type());
        };
    }

    /** The op's spelling in IR text, for messages. */
    public static String opName(Op op) {
        return switch (op) {
            case Op.Unary u -> u.op().irName();
            case Op.Binary b -> b.op().irName();
            case Op.Select s -> "select";
            case Op.Cast c -> "cast";
            case Op.Constant c -> "const";
            case Op.Reduce r -> "reduce." + r.op().irName();
            case Op.MatMul m -> "matmul";
            case Op.Transpose t -> "transpose";
            case Op.Reshape r -> "reshape";
            case Op.BroadcastTo b -> "broadcast_to";
        };
    }

    private static Result unary(UnaryOp op, TensorType x) {
        DType d = x.dtype();
        if (op == UnaryOp.NOT) {
            return d == DType.BOOL ? new Ok(x) : new Fail("not needs a bool operand, got " + d);
        }
        if (op.needsFloat() && !d.isFloat()) {
            return new Fail(op.irName() + " needs a floating-point operand, got " + d);
        }
        if (d == DType.BOOL) {
            return new Fail(op.irName() + " is not defined on bool");
        }
        return new Ok(x);
    }

    private static Result binary(BinaryOp op, TensorType a, TensorType b) {
        if (a.dtype() != b.dtype()) {
            return new Fail(op.irName() + " operands have different dtypes: " + a.dtype() + " and " + b.dtype());
        }
        if (op.isLogical() && a.dtype() != DType.BOOL) {
            return new Fail(op.irName() + " needs bool operands, got " + a.dtype());
        }
        if (!op.isLogical() && !op.isComparison() && a.dtype() == DType.BOOL) {
            return new Fail(op.irName() + " is not defined on bool");
        }
        Optional<Shape> s = Shape.broadcast(a.shape(), b.shape());
        if (s.isEmpty()) {
            return new Fail("cannot broadcast " + a.shape() + " with " + b.shape());
        }
        return new Ok(new TensorType(op.isComparison() ? DType.BOOL : a.dtype(), s.get()));
    }

    private static Result select(TensorType cond, TensorType a, TensorType b) {
        if (cond.dtype() != DType.BOOL) {
            return new Fail("select condition must be bool, got " + cond.dtype());
        }
        if (a.dtype() != b.dtype()) {
            return new Fail("select branches have different dtypes: " + a.dtype() + " and " + b.dtype());
        }
        Optional<Shape> s = Shape.broadcast(cond.shape(), a.shape()).flatMap(ca -> Shape.broadcast(ca, b.shape()));
        if (s.isEmpty()) {
            return new Fail("cannot broadcast " + cond.shape() + ", " + a.shape() + " and " + b.shape());
        }
        return new Ok(new TensorType(a.dtype(), s.get()));
    }

    private static Result constant(double value, TensorType declared) {
        if (declared.rank() != 0) {
            return new Fail("const must be a scalar, declared " + declared);
        }
        boolean ok = switch (declared.dtype()) {
            case F32, F16, BF16, F64 -> true;
            case I32 -> value == Math.rint(value) && value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
            case BOOL -> value == 0 || value == 1;
        };
        return ok ? new Ok(declared) : new Fail("const " + value + " is not a value of " + declared.dtype());
    }

    private static Result reduce(Op.Reduce r, TensorType x) {
        if (x.dtype() == DType.BOOL) {
            return new Fail("reduce." + r.op().irName() + " is not defined on bool");
        }
        if (r.op() == ReduceOp.MEAN && !x.dtype().isFloat()) {
            return new Fail("reduce.mean needs a floating-point operand, got " + x.dtype());
        }
        int prev = -1;
        for (int axis : r.axes()) {
            if (axis <= prev || axis >= x.rank()) {
                return new Fail("reduce axes " + r.axes() + " must be sorted, distinct and in [0, " + x.rank() + ")");
            }
            prev = axis;
        }
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!r.axes().contains(i)) {
                dims.add(x.shape().dim(i));
            } else if (r.keepdim()) {
                dims.add(Dim.of(1));
            }
        }
        return new Ok(x.withShape(new Shape(dims)));
    }

    private static Result matmul(TensorType a, TensorType b) {
        if (a.dtype() != b.dtype()) {
            return new Fail("matmul operands have different dtypes: " + a.dtype() + " and " + b.dtype());
        }
        if (a.dtype() == DType.BOOL) {
            return new Fail("matmul is not defined on bool");
        }
        if (a.rank() == 0 || b.rank() == 0) {
            return new Fail("matmul operands must have rank >= 1, got " + a.shape() + " and " + b.shape());
        }
        // NumPy: a rank-1 lhs is a row vector, a rank-1 rhs a column vector; the added axis is removed again.
        List<Dim> da = new ArrayList<>(a.shape().dims());
        List<Dim> db = new ArrayList<>(b.shape().dims());
        boolean vecA = da.size() == 1;
        boolean vecB = db.size() == 1;
        if (vecA) {
            da.addFirst(Dim.of(1));
        }
        if (vecB) {
            db.add(Dim.of(1));
        }
        Dim ka = da.get(da.size() - 1);
        Dim kb = db.get(db.size() - 2);
        if (!ka.equals(kb)) {
            return new Fail("matmul contraction dims differ: " + a.shape() + " @ " + b.shape());
        }
        Shape batchA = new Shape(da.subList(0, da.size() - 2));
        Shape batchB = new Shape(db.subList(0, db.size() - 2));
        Optional<Shape> batch = Shape.broadcast(batchA, batchB);
        if (batch.isEmpty()) {
            return new Fail("matmul batch dims do not broadcast: " + a.shape() + " @ " + b.shape());
        }
        List<Dim> out = new ArrayList<>(batch.get().dims());
        if (!vecA) {
            out.add(da.get(da.size() - 2));
        }
        if (!vecB) {
            out.add(db.get(db.size() - 1));
        }
        return new Ok(a.withShape(new Shape(out)));
    }

    private static Result transpose(List<Integer> perm, TensorType x) {
        if (perm.size() != x.rank()) {
            return new Fail("transpose perm " + perm + " has " + perm.size() + " entries for rank " + x.rank());
        }
        boolean[] seen = new boolean[perm.size()];
        List<Dim> dims = new ArrayList<>();
        for (int p : perm) {
            if (p < 0 || p >= perm.size() || seen[p]) {
                return new Fail("transpose perm " + perm + " is not a permutation of [0, " + perm.size() + ")");
            }
            seen[p] = true;
            dims.add(x.shape().dim(p));
        }
        return new Ok(x.withShape(new Shape(dims)));
    }

    private static Result reshape(TensorType x, TensorType declared) {
        if (x.dtype() != declared.dtype()) {
            return new Fail("reshape cannot change dtype " + x.dtype() + " to " + declared.dtype());
        }
        if (!sameElementCount(x.shape(), declared.shape())) {
            return new Fail("reshape from " + x.shape() + " to " + declared.shape() + " changes the element count");
        }
        return new Ok(declared);
    }

    private static Result broadcastTo(TensorType x, TensorType declared) {
        if (x.dtype() != declared.dtype()) {
            return new Fail("broadcast_to cannot change dtype " + x.dtype() + " to " + declared.dtype());
        }
        boolean ok = x.rank() <= declared.rank()
                && Shape.broadcast(x.shape(), declared.shape()).map(declared.shape()::equals).orElse(false);
        return ok ? new Ok(declared) : new Fail("cannot broadcast " + x.shape() + " to " + declared.shape());
    }

    /**
     * Whether two shapes hold the same number of elements for every binding of their symbols: equal
     * products of literal dims and equal multisets of symbols (or both products zero).
     */
    static boolean sameElementCount(Shape a, Shape b) {
        long pa = literalProduct(a);
        long pb = literalProduct(b);
        if (pa < 0 || pb < 0) {
            return false;
        }
        if (pa == 0 && pb == 0) {
            return true;
        }
        return pa == pb && symbolCounts(a).equals(symbolCounts(b));
    }

    /** The product of the literal dims, or -1 when it overflows (no real tensor is that large). */
    private static long literalProduct(Shape s) {
        long p = 1;
        for (Dim d : s.dims()) {
            if (d instanceof Dim.Lit l) {
                try {
                    p = Math.multiplyExact(p, l.value());
                } catch (ArithmeticException e) {
                    return -1;
                }
            }
        }
        return p;
    }

    private static Map<String, Integer> symbolCounts(Shape s) {
        Map<String, Integer> m = new HashMap<>();
        for (Dim d : s.dims()) {
            if (d instanceof Dim.Sym sym) {
                m.merge(sym.name(), 1, Integer::sum);
            }
        }
        return m;
    }
}
