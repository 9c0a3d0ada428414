package dev.tessera.passes.graph;

import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Plumbing shared by the graph passes: value substitution and per-kernel rewriting that keeps identity. */
final class Rewrites {

    private Rewrites() {}

    /** Applies {@code f} to every kernel; the same module instance when {@code f} changed none. */
    static GraphModule eachKernel(GraphModule module, UnaryOperator<GraphKernel> f) {
        List<GraphKernel> out = new ArrayList<>(module.kernels().size());
        boolean changed = false;
        for (GraphKernel k : module.kernels()) {
            GraphKernel r = f.apply(k);
            changed |= r != k;
            out.add(r);
        }
        return changed ? new GraphModule(out) : module;
    }

    static Value resolve(Value v, Map<Value, Value> subst) {
        return subst.getOrDefault(v, v);
    }

    static List<Value> substitute(List<Value> values, Map<Value, Value> subst) {
        return values.stream().map(v -> resolve(v, subst)).toList();
    }

    /** The instruction with its operands substituted; the same instance when none is. */
    static Instr substitute(Instr i, Map<Value, Value> subst) {
        Op op = substitute(i.op(), subst);
        return op == i.op() ? i : new Instr(i.result(), op, i.span());
    }

    /** The op with its operands substituted; the same instance when none is. */
    static Op substitute(Op op, Map<Value, Value> subst) {
        if (op.operands().stream().noneMatch(subst::containsKey)) {
            return op;
        }
        UnaryOperator<Value> f = v -> resolve(v, subst);
        return switch (op) {
            case Op.Unary u -> new Op.Unary(u.op(), f.apply(u.x()));
            case Op.Binary b -> new Op.Binary(b.op(), f.apply(b.a()), f.apply(b.b()));
            case Op.Select s -> new Op.Select(f.apply(s.cond()), f.apply(s.a()), f.apply(s.b()));
            case Op.Cast c -> new Op.Cast(c.to(), f.apply(c.x()));
            case Op.Constant c -> c;
            case Op.Reduce r -> new Op.Reduce(r.op(), f.apply(r.x()), r.axes(), r.keepdim());
            case Op.MatMul m -> new Op.MatMul(f.apply(m.a()), f.apply(m.b()));
            case Op.Transpose t -> new Op.Transpose(f.apply(t.x()), t.perm());
            case Op.Reshape r -> new Op.Reshape(f.apply(r.x()));
            case Op.BroadcastTo b -> new Op.BroadcastTo(f.apply(b.x()));
        };
    }

    /** A kernel rebuilt from a new body, or the same kernel when nothing changed. */
    static GraphKernel rebuild(GraphKernel k, boolean changed, List<Instr> body, Map<Value, Value> subst) {
        return changed ? k.withBody(body, substitute(k.results(), subst)) : k;
    }
}
