package dev.tessera.frontend;

import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.graph.Value;

/** What an expression evaluates to while lowering: a graph value, a literal whose dtype is not chosen yet, or an error. */
sealed interface Operand {

    /** A value defined by an instruction or a parameter. */
    record Val(Value value) implements Operand {}

    /**
     * A numeric literal, kept apart until it meets an operand that gives it a dtype, so that {@code x * 2} works
     * for f16 and i32 {@code x} alike. {@code name} is the {@code let} that bound it, if any.
     */
    record Lit(double value, boolean isFloat, String text, SourceSpan span, String name) implements Operand {
        Lit at(SourceSpan use) {
            return new Lit(value, isFloat, text, use, name);
        }
    }

    /** The expression had an error that was already reported; anything built from it is skipped silently. */
    record Poison() implements Operand {}

    Poison POISON = new Poison();
}
