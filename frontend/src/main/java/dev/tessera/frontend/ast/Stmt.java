package dev.tessera.frontend.ast;

import dev.tessera.ir.SourceSpan;
import java.util.List;

/** Statements of a kernel body. */
public sealed interface Stmt {

    SourceSpan span();

    /** {@code let name = value}. */
    record Let(String name, SourceSpan nameSpan, Expr value, SourceSpan span) implements Stmt {}

    /** {@code return a, b}. */
    record Return(List<Expr> values, SourceSpan span) implements Stmt {
        public Return {
            values = List.copyOf(values);
        }
    }
}
