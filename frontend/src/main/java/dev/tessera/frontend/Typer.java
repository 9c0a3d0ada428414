package dev.tessera.frontend;

import dev.tessera.ir.DType;
import dev.tessera.ir.Shape;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import java.util.ArrayList;
import java.util.List;

/** The typing rules shared by operators, builtins and calls: literal dtypes, dtype agreement, broadcasting. */
final class Typer {

    private final Scope scope;

    Typer(Scope scope) {
        this.scope = scope;
    }

    Value emit(Op op, TensorType type, SourceSpan span, String name) {
        return scope.builder().emit(op, type, span, name);
    }

    Diags diags() {
        return scope.diags();
    }

    void error(SourceSpan span, String message) {
        scope.diags().error(span, message);
    }

    /**
     * A literal as a constant of the dtype its context chose, or null after an error: a number is never a bool, and a
     * float literal never an integer. {@code context} says where it is used, for the message.
     */
    Value materialize(Operand.Lit lit, DType dtype, String context) {
        if (dtype == DType.BOOL) {
            error(lit.span(), "number " + lit.text() + " cannot be a bool " + context + "; use true or false");
            return null;
        }
        if (dtype == DType.I32) {
            if (lit.isFloat()) {
                error(lit.span(), "float literal " + lit.text() + " cannot be an i32 " + context
                        + "; write an integer, or cast<f32>(...) the other operand");
                return null;
            }
            if (lit.value() < Integer.MIN_VALUE || lit.value() > Integer.MAX_VALUE) {
                error(lit.span(), "integer literal " + lit.text() + " is out of range for i32");
                return null;
            }
        }
        return emit(new Op.Constant(lit.value()), TensorType.scalar(dtype), lit.span(), lit.name());
    }

    /** An operand on its own, with nothing to take a dtype from: literals default to f32. */
    Value alone(Operand.Lit lit) {
        return materialize(lit, DType.F32, "operand");
    }

    /**
     * The operands as values of one dtype, or null after an error. Tensors must agree exactly (no implicit
     * conversion); literals take their dtype, or f32 when all are literals.
     */
    List<Value> unify(List<Operand> operands, String what, SourceSpan span) {
        DType dtype = null;
        for (Operand o : operands) {
            if (o instanceof Operand.Val(Value v)) {
                DType d = v.type().dtype();
                if (dtype == null) {
                    dtype = d;
                } else if (d != dtype) {
                    error(span, "operands of " + what + " have different dtypes, " + dtype + " and " + d
                            + "; convert one with cast<" + dtype + ">(...)");
                    return null;
                }
            }
        }
        DType target = dtype == null ? DType.F32 : dtype;
        List<Value> out = new ArrayList<>();
        for (Operand o : operands) {
            Value v = switch (o) {
                case Operand.Val(Value val) -> val;
                case Operand.Lit lit -> materialize(lit, target, "operand of " + what);
                case Operand.Poison p -> null;
            };
            if (v == null) {
                return null;
            }
            out.add(v);
        }
        return out;
    }

    /** The NumPy broadcast of all the shapes, or null after an error. */
    Shape broadcast(List<Value> values, String what, SourceSpan span) {
        Shape out = Shape.SCALAR;
        for (Value v : values) {
            var b = Shape.broadcast(out, v.type().shape());
            if (b.isEmpty()) {
                error(span, "cannot broadcast " + describe(values) + " in " + what + ": "
                        + ShapeRules.broadcastMismatch(out, v.type().shape()));
                return null;
            }
            out = b.get();
        }
        return out;
    }

    private static String describe(List<Value> values) {
        List<String> types = values.stream().map(v -> v.type().toString()).toList();
        return types.size() == 2 ? types.get(0) + " and " + types.get(1)
                : String.join(", ", types.subList(0, types.size() - 1)) + " and " + types.getLast();
    }

    static boolean anyPoison(List<Operand> operands) {
        return operands.stream().anyMatch(o -> o instanceof Operand.Poison);
    }
}
