package dev.tessera.frontend;

import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import java.util.List;
import java.util.stream.Collectors;

/** A compact text form of graph kernels for assertions in tests (the real printer belongs to the ir module). */
final class IrText {

    private IrText() {}

    static String of(GraphKernel k) {
        StringBuilder sb = new StringBuilder();
        sb.append("kernel ").append(k.name()).append('(')
                .append(k.params().stream().map(p -> p + ": " + p.type()).collect(Collectors.joining(", ")))
                .append(")\n");
        for (Instr i : k.body()) {
            sb.append("  ").append(i.result()).append(": ").append(i.result().type()).append(" = ")
                    .append(op(i.op())).append('\n');
        }
        sb.append("  return ").append(names(k.results())).append('\n');
        return sb.toString();
    }

    static String op(Op op) {
        return switch (op) {
            case Op.Unary u -> u.op().irName() + " " + u.x();
            case Op.Binary b -> b.op().irName() + " " + b.a() + ", " + b.b();
            case Op.Select s -> "select " + s.cond() + ", " + s.a() + ", " + s.b();
            case Op.Cast c -> "cast<" + c.to() + "> " + c.x();
            case Op.Constant c -> "const " + c.value();
            case Op.Reduce r -> "reduce." + r.op().irName() + " " + r.x() + " axes=" + r.axes()
                    + (r.keepdim() ? " keepdim" : "");
            case Op.MatMul m -> "matmul " + m.a() + ", " + m.b();
            case Op.Transpose t -> "transpose " + t.x() + " perm=" + t.perm();
            case Op.Reshape r -> "reshape " + r.x();
            case Op.BroadcastTo b -> "broadcast_to " + b.x();
        };
    }

    private static String names(List<Value> vs) {
        return vs.stream().map(Value::toString).collect(Collectors.joining(", "));
    }
}
