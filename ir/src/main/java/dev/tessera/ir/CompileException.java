package dev.tessera.ir;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when user input cannot be compiled; carries the diagnostics to show. Callers at the edge (CLI,
 * API) render them; no stack trace reaches a user.
 */
public final class CompileException extends RuntimeException {

    private final List<Diagnostic> diagnostics;

    public CompileException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(d -> d.span() + ": " + d.severity() + ": " + d.message())
                .collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public CompileException(SourceSpan span, String message) {
        this(List.of(Diagnostic.error(span, message)));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
