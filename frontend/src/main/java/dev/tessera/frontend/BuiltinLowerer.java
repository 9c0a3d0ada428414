package dev.tessera.frontend;

import dev.tessera.frontend.ast.Expr;
import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.Shape;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Type-checks calls of builtin functions and emits their instructions. */
final class BuiltinLowerer {

    private final ExprLowerer exprs;
    private final Typer typer;
    private final Attributes attributes;

    BuiltinLowerer(ExprLowerer exprs, Scope scope, Typer typer) {
        this.exprs = exprs;
        this.typer = typer;
        this.attributes = new Attributes(scope);
    }

    Operand lower(Builtin b, Expr.Call call, String name) {
        if (call.typeArg().isPresent() && b != Builtin.CAST) {
            typer.error(call.calleeSpan(), "'" + b.spelling() + "' takes no type argument; only cast<T>(x) does");
            return exprs.lowerArgsForErrors(call);
        }
        if (b == Builtin.CAST && call.typeArg().isEmpty()) {
            typer.error(call.calleeSpan(), "cast needs a target dtype, as in cast<f16>(x)");
            return exprs.lowerArgsForErrors(call);
        }
        Map<String, Expr> args = ArgBinder.bind(b.spelling(), b.params(), b.requiredParams(), call.args(),
                call.span(), typer.diags());
        if (args == null) {
            return exprs.lowerArgsForErrors(call);
        }
        List<Operand> t = new ArrayList<>();
        for (String p : b.params().subList(0, b.tensorParams())) {
            t.add(exprs.tensor(args.get(p)));
        }
        if (Typer.anyPoison(t)) {
            return Operand.POISON;
        }
        SourceSpan span = call.span();
        String what = "'" + b.spelling() + "'";
        return switch (b) {
            case EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, RELU, GELU, ERF, ABS, NEG ->
                    exprs.unary(b.unaryOp().orElseThrow(), what, t.getFirst(), span, name);
            case MAXIMUM -> exprs.elementwise(BinaryOp.MAX, what, t.get(0), t.get(1), span, name);
            case MINIMUM -> exprs.elementwise(BinaryOp.MIN, what, t.get(0), t.get(1), span, name);
            case WHERE -> where(t, args.get("cond").span(), span, name);
            case CAST -> cast(call.typeArg().orElseThrow(), t.getFirst(), span, name);
            case SUM, MAX, MIN, MEAN -> reduce(b.reduceOp().orElseThrow(), what, t.getFirst(), args.get("axis"),
                    args.get("keepdim"), span, name);
            case MATMUL -> exprs.matmul(t.get(0), t.get(1), what, span, name);
            case TRANSPOSE -> transpose(t.getFirst(), args.get("perm"), span, name);
            case RESHAPE -> reshape(t.getFirst(), args.get("shape"), span, name);
            case BROADCAST_TO -> broadcastTo(t.getFirst(), args.get("shape"), span, name);
        };
    }

    private Operand where(List<Operand> t, SourceSpan condSpan, SourceSpan span, String name) {
        Value cond = switch (t.get(0)) {
            case Operand.Lit lit -> {
                typer.error(lit.span(), "condition of 'where' must be bool, not the number " + lit.text());
                yield null;
            }
            case Operand.Val(Value v) when v.type().dtype() != DType.BOOL -> {
                typer.error(condSpan, "condition of 'where' must be bool, got " + v.type()
                        + "; compare to get one, as in x > 0");
                yield null;
            }
            case Operand.Val(Value v) -> v;
            case Operand.Poison p -> null;
        };
        List<Value> ab = typer.unify(t.subList(1, 3), "'where'", span);
        if (cond == null || ab == null) {
            return Operand.POISON;
        }
        Shape shape = typer.broadcast(List.of(cond, ab.get(0), ab.get(1)), "'where'", span);
        if (shape == null) {
            return Operand.POISON;
        }
        TensorType type = new TensorType(ab.getFirst().type().dtype(), shape);
        return new Operand.Val(typer.emit(new Op.Select(cond, ab.get(0), ab.get(1)), type, span, name));
    }

    private Operand cast(DType to, Operand x, SourceSpan span, String name) {
        Value v = exprs.value(x);
        if (v == null) {
            return Operand.POISON;
        }
        return new Operand.Val(typer.emit(new Op.Cast(to, v), v.type().withDtype(to), span, name));
    }

    private Operand reduce(ReduceOp op, String what, Operand x, Expr axisExpr, Expr keepExpr, SourceSpan span,
            String name) {
        Value v = exprs.value(x);
        if (v == null) {
            return Operand.POISON;
        }
        boolean ok = true;
        DType dt = v.type().dtype();
        if (dt == DType.BOOL) {
            typer.error(span, what + " is not defined on bool; cast<i32>(...) first");
            ok = false;
        } else if (op == ReduceOp.MEAN && !dt.isFloat()) {
            typer.error(span, what + " needs a floating-point operand, got " + v.type() + "; cast<f32>(...) first");
            ok = false;
        }
        int rank = v.type().rank();
        List<Integer> axes = axisExpr == null ? allAxes(rank) : attributes.axes(axisExpr, rank);
        Boolean keepdim = keepExpr == null ? Boolean.FALSE : attributes.flag(keepExpr, "keepdim");
        if (!ok || axes == null || keepdim == null) {
            return Operand.POISON;
        }
        TensorType type = v.type().withShape(ShapeRules.reduce(v.type().shape(), axes, keepdim));
        return new Operand.Val(typer.emit(new Op.Reduce(op, v, axes, keepdim), type, span, name));
    }

    private static List<Integer> allAxes(int rank) {
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            axes.add(i);
        }
        return axes;
    }

    private Operand transpose(Operand x, Expr permExpr, SourceSpan span, String name) {
        Value v = exprs.value(x);
        if (v == null) {
            return Operand.POISON;
        }
        int rank = v.type().rank();
        List<Integer> perm;
        if (permExpr != null) {
            perm = attributes.perm(permExpr, rank);
        } else if (rank < 2) {
            typer.error(span, "transpose(x) swaps the last two axes, so x needs rank 2 or more, got " + v.type()
                    + "; use perm=[...] otherwise");
            perm = null;
        } else {
            perm = ShapeRules.swapLastTwo(rank);
        }
        if (perm == null) {
            return Operand.POISON;
        }
        TensorType type = v.type().withShape(ShapeRules.transpose(v.type().shape(), perm));
        return new Operand.Val(typer.emit(new Op.Transpose(v, perm), type, span, name));
    }

    private Operand reshape(Operand x, Expr shapeExpr, SourceSpan span, String name) {
        Value v = exprs.value(x);
        Shape target = attributes.shape(shapeExpr);
        if (v == null || target == null) {
            return Operand.POISON;
        }
        Shape from = v.type().shape();
        if (!ShapeRules.sameElementCount(from, target)) {
            typer.error(span, "cannot reshape " + v.type() + " to " + target + ": the element counts "
                    + ShapeRules.elementCount(from) + " and " + ShapeRules.elementCount(target) + " differ");
            return Operand.POISON;
        }
        return new Operand.Val(typer.emit(new Op.Reshape(v), v.type().withShape(target), span, name));
    }

    private Operand broadcastTo(Operand x, Expr shapeExpr, SourceSpan span, String name) {
        Value v = exprs.value(x);
        Shape target = attributes.shape(shapeExpr);
        if (v == null || target == null) {
            return Operand.POISON;
        }
        if (!ShapeRules.broadcastsTo(v.type().shape(), target)) {
            typer.error(span, "cannot broadcast " + v.type() + " to " + target
                    + ": each dim, aligned at the right, must equal the target's or be 1");
            return Operand.POISON;
        }
        return new Operand.Val(typer.emit(new Op.BroadcastTo(v), v.type().withShape(target), span, name));
    }
}
