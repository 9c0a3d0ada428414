package dev.tessera.frontend;

import dev.tessera.frontend.ast.Expr;
import dev.tessera.frontend.ast.Operator;
import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.Shape;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.UnaryOp;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Type-checks expressions and emits their graph instructions. Each lowering takes the name its result would like
 * (a {@code let}'s name) and gives it to the instruction that computes the whole expression, not to its parts.
 */
final class ExprLowerer {

    private final Scope scope;
    private final Map<String, Operand> env;
    private final Typer typer;
    private final BuiltinLowerer builtins;
    private final CallInliner inliner;

    /** @param env the parameters and lets visible so far, updated by the caller as statements go by */
    ExprLowerer(Scope scope, Map<String, Operand> env) {
        this.scope = scope;
        this.env = env;
        this.typer = new Typer(scope);
        this.builtins = new BuiltinLowerer(this, scope, typer);
        this.inliner = new CallInliner(this, scope, typer);
    }

    Typer typer() {
        return typer;
    }

    Operand lower(Expr e, String name) {
        return switch (e) {
            case Expr.Name n -> name(n);
            case Expr.NumLit n -> new Operand.Lit(n.value(), n.isFloat(), n.text(), n.span(), name);
            case Expr.BoolLit b -> new Operand.Val(typer.emit(new Op.Constant(b.value() ? 1 : 0),
                    TensorType.scalar(DType.BOOL), b.span(), name));
            case Expr.Neg n -> unary(UnaryOp.NEG, "unary '-'", lower(n.operand(), null), n.span(), name);
            case Expr.Binary b -> binary(b, name);
            case Expr.Call c -> call(c, name);
            case Expr.ListLit l -> {
                typer.error(l.span(), "a list such as [0, 1] is only allowed as the value of axis=, perm= or shape=");
                yield Operand.POISON;
            }
        };
    }

    private Operand name(Expr.Name n) {
        Operand o = env.get(n.name());
        if (o != null) {
            // a named literal still takes its dtype from where it is used, and is reported there
            return o instanceof Operand.Lit lit ? lit.at(n.span()) : o;
        }
        if (Builtin.lookup(n.name()).isPresent() || scope.module().isKernel(n.name())) {
            typer.error(n.span(), "'" + n.name() + "' is a function, not a value; call it as " + n.name()
                    + (n.name().equals("cast") ? "<f32>" : "") + "(...)");
        } else {
            String hint = Suggest.closest(n.name(), env.keySet()).map(s -> "; did you mean '" + s + "'?").orElse("");
            typer.error(n.span(), "unknown name '" + n.name() + "'" + hint);
        }
        return Operand.POISON;
    }

    private Operand binary(Expr.Binary b, String name) {
        if (b.op() == Operator.LT && b.left() instanceof Expr.Name n && n.name().equals("cast")
                && !env.containsKey("cast")) {
            // cast<f64>(x) parses as comparisons, since only a dtype keyword makes '<' start a type argument
            String got = b.right() instanceof Expr.Name t ? ", not '" + t.name() + "'" : "";
            typer.error(b.right().span(), "cast<T>(x) needs a dtype: f32, f16, bf16, i32 or bool" + got);
            return Operand.POISON;
        }
        Operand left = lower(b.left(), null);
        Operand right = lower(b.right(), null);
        BinaryOp op = switch (b.op()) {
            case ADD -> BinaryOp.ADD;
            case SUB -> BinaryOp.SUB;
            case MUL -> BinaryOp.MUL;
            case DIV -> BinaryOp.DIV;
            case MOD -> BinaryOp.MOD;
            case LT -> BinaryOp.LT;
            case LE -> BinaryOp.LE;
            case GT -> BinaryOp.GT;
            case GE -> BinaryOp.GE;
            case EQ -> BinaryOp.EQ;
            case NE -> BinaryOp.NE;
            case MATMUL -> null;
        };
        String what = "'" + b.op().spelling() + "'";
        return b.op() == Operator.MATMUL
                ? matmul(left, right, what, b.span(), name)
                : elementwise(op, what, left, right, b.span(), name);
    }

    /** An operand that must be a tensor (or a literal): anything but a list. */
    Operand tensor(Expr e) {
        return lower(e, null);
    }

    /** A literal alone becomes an f32 constant; null for an error already reported. */
    Value value(Operand o) {
        return switch (o) {
            case Operand.Val(Value v) -> v;
            case Operand.Lit lit -> typer.alone(lit);
            case Operand.Poison p -> null;
        };
    }

    Operand unary(UnaryOp op, String what, Operand x, SourceSpan span, String name) {
        if (op == UnaryOp.NEG && x instanceof Operand.Lit lit) {
            String text = lit.text().startsWith("-") ? lit.text().substring(1) : "-" + lit.text();
            return new Operand.Lit(-lit.value(), lit.isFloat(), text, span, name);
        }
        Value v = value(x);
        if (v == null) {
            return Operand.POISON;
        }
        DType dt = v.type().dtype();
        if (dt == DType.BOOL) {
            typer.error(span, what + " is not defined on bool");
            return Operand.POISON;
        }
        if (op.needsFloat() && !dt.isFloat()) {
            typer.error(span, what + " needs a floating-point operand, got " + v.type() + "; convert with cast<f32>(...)");
            return Operand.POISON;
        }
        return new Operand.Val(typer.emit(new Op.Unary(op, v), v.type(), span, name));
    }

    /** Elementwise binary operators and maximum/minimum: one dtype, NumPy broadcasting, comparisons give bool. */
    Operand elementwise(BinaryOp op, String what, Operand a, Operand b, SourceSpan span, String name) {
        if (Typer.anyPoison(List.of(a, b))) {
            return Operand.POISON;
        }
        List<Value> vs = typer.unify(List.of(a, b), what, span);
        if (vs == null) {
            return Operand.POISON;
        }
        DType dt = vs.getFirst().type().dtype();
        if (dt == DType.BOOL && !op.isComparison() && !op.isLogical()) {
            typer.error(span, "arithmetic " + what + " is not defined on bool operands");
            return Operand.POISON;
        }
        Shape shape = typer.broadcast(vs, what, span);
        if (shape == null) {
            return Operand.POISON;
        }
        TensorType type = new TensorType(op.isComparison() ? DType.BOOL : dt, shape);
        return new Operand.Val(typer.emit(new Op.Binary(op, vs.get(0), vs.get(1)), type, span, name));
    }

    /** {@code a @ b} and {@code matmul(a, b)}. */
    Operand matmul(Operand a, Operand b, String what, SourceSpan span, String name) {
        if (Typer.anyPoison(List.of(a, b))) {
            return Operand.POISON;
        }
        for (Operand o : List.of(a, b)) {
            if (o instanceof Operand.Lit lit) {
                typer.error(lit.span(), what + " needs tensors of rank 1 or more, not the literal " + lit.text());
                return Operand.POISON;
            }
        }
        List<Value> vs = typer.unify(List.of(a, b), what, span);
        if (vs == null) {
            return Operand.POISON;
        }
        TensorType ta = vs.get(0).type();
        TensorType tb = vs.get(1).type();
        if (ta.dtype() == DType.BOOL) {
            typer.error(span, what + " is not defined on bool");
            return Operand.POISON;
        }
        if (ta.rank() == 0 || tb.rank() == 0) {
            typer.error(span, what + " needs tensors of rank 1 or more, got " + ta + " and " + tb
                    + "; use '*' to scale by a scalar");
            return Operand.POISON;
        }
        return switch (ShapeRules.matmul(ta.shape(), tb.shape())) {
            case ShapeRules.Result.Err(String message) -> {
                typer.error(span, message);
                yield Operand.POISON;
            }
            case ShapeRules.Result.Ok(Shape shape) -> new Operand.Val(typer.emit(
                    new Op.MatMul(vs.get(0), vs.get(1)), new TensorType(ta.dtype(), shape), span, name));
        };
    }

    private Operand call(Expr.Call c, String name) {
        var builtin = Builtin.lookup(c.callee());
        if (builtin.isPresent()) {
            return builtins.lower(builtin.get(), c, name);
        }
        return switch (scope.module().resolve(c.callee())) {
            case ModuleChecker.Callee.Found(var decl) -> inliner.inline(decl, c, name);
            case ModuleChecker.Callee.Broken() -> lowerArgsForErrors(c);
            case ModuleChecker.Callee.Recursive(String chain) -> {
                typer.error(c.calleeSpan(), "recursive call of kernel '" + c.callee() + "' (" + chain
                        + "); calls are inlined, so kernels cannot be recursive");
                yield lowerArgsForErrors(c);
            }
            case ModuleChecker.Callee.Unknown() -> {
                List<String> candidates = new ArrayList<>(Builtin.spellings());
                candidates.addAll(scope.module().kernelNames());
                String hint = Suggest.closest(c.callee(), candidates).map(s -> "; did you mean '" + s + "'?")
                        .orElse("");
                typer.error(c.calleeSpan(), "unknown function '" + c.callee() + "'" + hint);
                yield lowerArgsForErrors(c);
            }
        };
    }

    /** Checks the arguments of a call that cannot be made, for the errors inside them. */
    Operand lowerArgsForErrors(Expr.Call c) {
        for (Expr.Arg arg : c.args()) {
            if (!(arg.value() instanceof Expr.ListLit)) {
                lower(arg.value(), null);
            }
        }
        return Operand.POISON;
    }
}
