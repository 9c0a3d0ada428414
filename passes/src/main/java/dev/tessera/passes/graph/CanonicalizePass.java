package dev.tessera.passes.graph;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.UnaryOp;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.interp.Scalars;
import dev.tessera.passes.GraphPass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts ops in canonical form and removes identities, so that later passes (CSE, fusion) see one spelling.
 *
 * <p>Constants move to the right of commutative ops (and {@code lt c, x} becomes {@code gt x, c}). Removed
 * as identities, only where they are exact in IEEE arithmetic: {@code x * 1}, {@code x / 1},
 * {@code x + (-0.0)} and {@code x - (+0.0)} (not {@code x + 0.0}, which turns -0.0 into +0.0; for i32 any
 * zero), {@code x and true}, {@code x or false}, {@code neg(neg x)}, {@code not(not x)}, casts to the
 * operand's dtype, identity transposes, and reshape or broadcast_to to the operand's own type. A removed
 * instruction's uses, kernel results included, are redirected to what replaces it.
 */
public final class CanonicalizePass implements GraphPass {

    @Override
    public String name() {
        return "canonicalize";
    }

    @Override
    public String description() {
        return "move constants right in commutative ops and remove exact identities (x*1, neg(neg x), ...)";
    }

    @Override
    public GraphModule run(GraphModule module) {
        return Rewrites.eachKernel(module, CanonicalizePass::run);
    }

    private static GraphKernel run(GraphKernel k) {
        Map<Value, Value> subst = new HashMap<>();
        Map<Value, Double> constants = new HashMap<>();
        Map<Value, Op> defs = new HashMap<>();
        List<Instr> body = new ArrayList<>();
        boolean changed = false;
        for (Instr original : k.body()) {
            Instr i = swapConstantRight(Rewrites.substitute(original, subst), constants);
            changed |= i != original;
            Optional<Value> same = identity(i, constants, defs);
            if (same.isPresent() && same.get().type().equals(i.result().type())) {
                subst.put(i.result(), same.get());
                changed = true;
                continue;
            }
            if (i.op() instanceof Op.Constant c) {
                constants.put(i.result(), Scalars.constant(i.result().type().dtype(), c.value()));
            }
            defs.put(i.result(), i.op());
            body.add(i);
        }
        return Rewrites.rebuild(k, changed, body, subst);
    }

    private static Instr swapConstantRight(Instr i, Map<Value, Double> constants) {
        if (!(i.op() instanceof Op.Binary b) || !constants.containsKey(b.a()) || constants.containsKey(b.b())) {
            return i;
        }
        BinaryOp mirrored = switch (b.op()) {
            case LT -> BinaryOp.GT;
            case LE -> BinaryOp.GE;
            case GT -> BinaryOp.LT;
            case GE -> BinaryOp.LE;
            default -> b.op().isCommutative() ? b.op() : null;
        };
        return mirrored == null ? i : new Instr(i.result(), new Op.Binary(mirrored, b.b(), b.a()), i.span());
    }

    /** The value {@code i} always equals, if it is one of the identities this pass removes. */
    private static Optional<Value> identity(Instr i, Map<Value, Double> constants, Map<Value, Op> defs) {
        return switch (i.op()) {
            case Op.Binary b -> {
                Double c = constants.get(b.b());
                boolean isInt = b.a().type().dtype() == DType.I32;
                boolean holds = c != null && switch (b.op()) {
                    case MUL, DIV -> c == 1;
                    case ADD -> isInt ? c == 0 : isNegativeZero(c);
                    case SUB -> isInt ? c == 0 : isPositiveZero(c);
                    case AND -> c != 0;
                    case OR -> c == 0;
                    default -> false;
                };
                yield holds ? Optional.of(b.a()) : Optional.empty();
            }
            case Op.Unary u when u.op() == UnaryOp.NEG || u.op() == UnaryOp.NOT ->
                    defs.get(u.x()) instanceof Op.Unary inner && inner.op() == u.op()
                            ? Optional.of(inner.x()) : Optional.empty();
            case Op.Cast c -> c.to() == c.x().type().dtype() ? Optional.of(c.x()) : Optional.empty();
            case Op.Transpose t -> isIdentity(t.perm()) ? Optional.of(t.x()) : Optional.empty();
            // the caller keeps the instruction unless the replacement has the result's type, which is exactly
            // the condition for reshape and broadcast_to to be no-ops
            case Op.Reshape r -> Optional.of(r.x());
            case Op.BroadcastTo b -> Optional.of(b.x());
            default -> Optional.empty();
        };
    }

    private static boolean isIdentity(List<Integer> perm) {
        for (int p = 0; p < perm.size(); p++) {
            if (perm.get(p) != p) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNegativeZero(double v) {
        return Double.doubleToRawLongBits(v) == Long.MIN_VALUE;
    }

    private static boolean isPositiveZero(double v) {
        return Double.doubleToRawLongBits(v) == 0L;
    }
}
