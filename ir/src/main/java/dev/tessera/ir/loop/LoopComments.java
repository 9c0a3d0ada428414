package dev.tessera.ir.loop;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Loop-IR facts in IR spelling for the comments that open generated code; each backend makes them comment-safe. */
public final class LoopComments {

    private LoopComments() {}

    /**
     * The {@code // inputs:}, {@code // outputs:} and, where present, {@code // temps:} and {@code // views:}
     * lines describing {@code plan}, each text passed through the target's {@code safe}.
     */
    public static String buffers(BufferPlan plan, UnaryOperator<String> safe) {
        StringBuilder sb = new StringBuilder();
        sb.append("// inputs:  ").append(describe(plan.inputs(), safe)).append('\n');
        sb.append("// outputs: ").append(describe(plan.outputs(), safe)).append('\n');
        if (!plan.temps().isEmpty()) {
            sb.append("// temps:   ").append(describe(plan.temps(), safe)).append('\n');
        }
        if (!plan.views().isEmpty()) {
            sb.append("// views:   ").append(plan.views().stream()
                    .map(v -> safe.apply(v.buffer().name() + " " + v.buffer().type() + " = " + v.of()))
                    .collect(Collectors.joining(", "))).append('\n');
        }
        return sb.toString();
    }

    /** A launch-size expression in IR spelling: infix, each nested operation in parentheses. */
    public static String size(Expr e) {
        return describe(e, true);
    }

    private static String describe(List<Buffer> buffers, UnaryOperator<String> safe) {
        if (buffers.isEmpty()) {
            return "(none)";
        }
        return buffers.stream().map(b -> safe.apply(b.name() + " " + b.type())).collect(Collectors.joining(", "));
    }

    private static String describe(Expr e, boolean top) {
        return switch (e) {
            case Expr.Var v -> v.name();
            case Expr.IntLit i -> Long.toString(i.value());
            case Expr.Bin b -> switch (b.op()) {
                case MIN, MAX -> b.op().irName() + "(" + describe(b.a(), true) + ", " + describe(b.b(), true) + ")";
                default -> {
                    String infix = describe(b.a(), false) + " " + symbol(b) + " " + describe(b.b(), false);
                    yield top ? infix : "(" + infix + ")";
                }
            };
            default -> e.toString();
        };
    }

    private static String symbol(Expr.Bin b) {
        return switch (b.op()) {
            case ADD -> "+";
            case SUB -> "-";
            case MUL -> "*";
            case DIV -> "/";
            case REM -> "%";
            default -> b.op().irName();
        };
    }
}
