package dev.tessera.passes.graph;

import dev.tessera.ir.TensorType;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import dev.tessera.passes.GraphPass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Common-subexpression elimination: an instruction equal to an earlier one (same op, attributes, operands
 * after earlier replacements, and result type) is removed and its uses read the earlier result. All graph
 * ops are pure, so no memory effects need to be considered. Operands of commutative ops are compared as a
 * set ({@code add %a, %b} equals {@code add %b, %a}, which holds bit for bit in IEEE arithmetic).
 * Constants compare by bits: {@code 0.0} and {@code -0.0} stay distinct, NaN equals NaN.
 */
public final class CsePass implements GraphPass {

    /** What makes two instructions interchangeable. Record equality of doubles is by bits, as needed. */
    private record Key(Op op, TensorType type) {}

    @Override
    public String name() {
        return "cse";
    }

    @Override
    public String description() {
        return "reuse the first of structurally equal instructions";
    }

    @Override
    public GraphModule run(GraphModule module) {
        return Rewrites.eachKernel(module, CsePass::run);
    }

    private static GraphKernel run(GraphKernel k) {
        Map<Value, Value> subst = new HashMap<>();
        Map<Key, Value> seen = new HashMap<>();
        List<Instr> body = new ArrayList<>();
        boolean changed = false;
        for (Instr original : k.body()) {
            Instr i = Rewrites.substitute(original, subst);
            changed |= i != original;
            Value earlier = seen.putIfAbsent(new Key(normalized(i.op()), i.result().type()), i.result());
            if (earlier != null) {
                subst.put(i.result(), earlier);
                changed = true;
            } else {
                body.add(i);
            }
        }
        return Rewrites.rebuild(k, changed, body, subst);
    }

    /** Commutative operands in name order, so that either spelling gives the same key. */
    private static Op normalized(Op op) {
        if (op instanceof Op.Binary b && b.op().isCommutative() && b.a().name().compareTo(b.b().name()) > 0) {
            return new Op.Binary(b.op(), b.b(), b.a());
        }
        return op;
    }
}
