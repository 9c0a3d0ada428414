package dev.tessera.passes.graph;

import dev.tessera.ir.DType;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.interp.Rounding;
import dev.tessera.ir.interp.Scalars;
import dev.tessera.passes.GraphPass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Replaces a scalar op whose operands are all constants by a constant, computed with the reference
 * interpreter's element semantics ({@link Scalars}) and rounded to the result dtype, so folding agrees with
 * what the kernel would compute. The folded instruction keeps its name; constants it no longer needs are left
 * for {@code dce}.
 */
public final class ConstantFoldPass implements GraphPass {

    @Override
    public String name() {
        return "constant-fold";
    }

    @Override
    public String description() {
        return "evaluate scalar ops whose operands are all constants";
    }

    @Override
    public GraphModule run(GraphModule module) {
        return Rewrites.eachKernel(module, ConstantFoldPass::run);
    }

    private static GraphKernel run(GraphKernel k) {
        Map<Value, Double> constants = new HashMap<>();
        List<Instr> body = new ArrayList<>();
        boolean changed = false;
        for (Instr i : k.body()) {
            Instr r = i;
            DType dtype = i.result().type().dtype();
            if (i.op() instanceof Op.Constant c) {
                constants.put(i.result(), Scalars.constant(dtype, c.value()));
            } else if (i.result().type().rank() == 0 && constants.keySet().containsAll(i.op().operands())) {
                OptionalDouble v = fold(i.op(), constants);
                if (v.isPresent()) {
                    double folded = Rounding.round(dtype, v.getAsDouble());
                    r = new Instr(i.result(), new Op.Constant(folded), i.span());
                    constants.put(i.result(), folded);
                    changed = true;
                }
            }
            body.add(r);
        }
        return changed ? k.withBody(body, k.results()) : k;
    }

    /** The op's value on scalar constant operands; empty for ops that never have only scalar operands. */
    private static OptionalDouble fold(Op op, Map<Value, Double> c) {
        return switch (op) {
            case Op.Unary u -> OptionalDouble.of(Scalars.unary(u.op(), u.x().type().dtype(), c.get(u.x())));
            case Op.Binary b -> OptionalDouble.of(Scalars.binary(b.op(), b.a().type().dtype(), c.get(b.a()),
                    c.get(b.b())));
            case Op.Select s -> OptionalDouble.of(c.get(s.cond()) != 0 ? c.get(s.a()) : c.get(s.b()));
            case Op.Cast x -> OptionalDouble.of(Scalars.cast(x.x().type().dtype(), x.to(), c.get(x.x())));
            case Op.Constant x -> OptionalDouble.empty();
            // a scalar operand reduced over no axes: sum, max, min and mean of one element are that element
            case Op.Reduce r -> OptionalDouble.of(c.get(r.x()));
            case Op.MatMul m -> OptionalDouble.empty();
            case Op.Transpose t -> OptionalDouble.of(c.get(t.x()));
            case Op.Reshape r -> OptionalDouble.of(c.get(r.x()));
            case Op.BroadcastTo b -> OptionalDouble.of(c.get(b.x()));
        };
    }
}
