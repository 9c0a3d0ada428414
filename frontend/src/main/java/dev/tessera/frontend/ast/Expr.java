package dev.tessera.frontend.ast;

import dev.tessera.ir.DType;
import dev.tessera.ir.SourceSpan;
import java.util.List;
import java.util.Optional;

/** Expressions of the DSL as parsed, before names, types and shapes are checked. */
public sealed interface Expr {

    /** Where the whole expression is written, parentheses included. */
    SourceSpan span();

    /** A reference to a parameter or a {@code let}. */
    record Name(String name, SourceSpan span) implements Expr {}

    /**
     * A numeric literal; its dtype is chosen by the context it is used in. A minus written directly before
     * a number is part of the literal, so that {@code -1} stays a literal (for axes, and for i32 operands).
     */
    record NumLit(String text, double value, boolean isFloat, SourceSpan span) implements Expr {}

    /** {@code true} or {@code false}. */
    record BoolLit(boolean value, SourceSpan span) implements Expr {}

    /** Unary minus of anything but a literal number. */
    record Neg(Expr operand, SourceSpan span) implements Expr {}

    /** A binary operator, {@code @} included. */
    record Binary(Operator op, Expr left, Expr right, SourceSpan span) implements Expr {}

    /** {@code name<T>(args)}: a builtin or another kernel of the file. */
    record Call(String callee, SourceSpan calleeSpan, Optional<DType> typeArg, List<Arg> args, SourceSpan span)
            implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** {@code [a, b]}: only meaningful as the value of {@code axis=}, {@code perm=} or {@code shape=}. */
    record ListLit(List<Expr> items, SourceSpan span) implements Expr {
        public ListLit {
            items = List.copyOf(items);
        }
    }

    /** One argument of a call; {@code name} is present for {@code name=value}. */
    record Arg(Optional<String> name, Expr value, SourceSpan span) {}
}
