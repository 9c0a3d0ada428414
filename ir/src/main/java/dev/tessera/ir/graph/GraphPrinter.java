package dev.tessera.ir.graph;

import dev.tessera.ir.DType;
import dev.tessera.ir.text.TokenCursor;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints graph IR as text that {@link GraphParser} reads back to an equal module (spans aside), so that
 * print → parse → print is the identity. Spans are not printed: the text is the source of its own spans.
 */
public final class GraphPrinter {

    private GraphPrinter() {}

    /** All kernels, separated by one blank line. */
    public static String print(GraphModule module) {
        return module.kernels().stream().map(GraphPrinter::print).collect(Collectors.joining("\n"));
    }

    public static String print(GraphKernel k) {
        StringBuilder sb = new StringBuilder();
        sb.append("kernel @").append(k.name()).append('(');
        sb.append(k.params().stream().map(p -> p + ": " + p.type()).collect(Collectors.joining(", ")));
        sb.append(") -> (");
        sb.append(k.results().stream().map(r -> r.type().toString()).collect(Collectors.joining(", ")));
        sb.append(") {\n");
        for (Instr i : k.body()) {
            sb.append("  ").append(print(i)).append('\n');
        }
        sb.append("  return");
        if (!k.results().isEmpty()) {
            sb.append(' ').append(names(k.results()));
        }
        sb.append('\n');
        for (FusionGroup g : k.fusions()) {
            sb.append("  fuse @").append(g.name()).append(' ').append(g.kind()).append(" [");
            sb.append(g.members().stream().map(m -> "%" + m).collect(Collectors.joining(", ")));
            sb.append("]\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    /** One instruction without indentation, for example {@code %e = exp %0 : f32[N, D]}. */
    public static String print(Instr i) {
        return i.result() + " = " + print(i.op(), i.result().type().dtype()) + " : " + i.result().type();
    }

    private static String print(Op op, DType resultDtype) {
        return switch (op) {
            case Op.Unary u -> u.op().irName() + " " + u.x();
            case Op.Binary b -> b.op().irName() + " " + b.a() + ", " + b.b();
            case Op.Select s -> "select " + s.cond() + ", " + s.a() + ", " + s.b();
            // the target dtype is the result type's, printed after the colon
            case Op.Cast c -> "cast " + c.x();
            case Op.Constant c -> "const " + constant(c.value(), resultDtype);
            case Op.Reduce r -> "reduce." + r.op().irName() + " " + r.x() + " axes=" + ints(r.axes())
                    + " keepdim=" + r.keepdim();
            case Op.MatMul m -> "matmul " + m.a() + ", " + m.b();
            case Op.Transpose t -> "transpose " + t.x() + " perm=" + ints(t.perm());
            case Op.Reshape r -> "reshape " + r.x();
            case Op.BroadcastTo b -> "broadcast_to " + b.x();
        };
    }

    /**
     * A literal that parses back to the same double: {@link Double#toString} (shortest exact decimal) for
     * floats, integers for i32, {@code true}/{@code false} for bool, and {@code inf}, {@code -inf}, {@code nan}.
     */
    public static String constant(double v, DType dtype) {
        if (dtype == DType.BOOL && (v == 0 || v == 1)) {
            return v == 0 ? "false" : "true";
        }
        // -0.0 stays a float literal so that its sign survives the round trip; NaN and ±inf fail rint/abs
        if (dtype == DType.I32 && v == Math.rint(v) && Math.abs(v) < 0x1p53 && !isNegativeZero(v)) {
            return Long.toString((long) v);
        }
        return TokenCursor.formatDouble(v);
    }

    private static boolean isNegativeZero(double v) {
        return Double.doubleToRawLongBits(v) == Long.MIN_VALUE;
    }

    private static String names(List<Value> values) {
        return values.stream().map(Value::toString).collect(Collectors.joining(", "));
    }

    private static String ints(List<Integer> xs) {
        return xs.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }
}
