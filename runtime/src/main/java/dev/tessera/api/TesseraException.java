package dev.tessera.api;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.DiagnosticRenderer;

/**
 * A kernel source that does not compile, or one that cannot be read: the message is the full diagnostic
 * text, each error with {@code file:line:col}, the source line and a caret, as the {@code tessera} command
 * prints it. Mistakes in calls (wrong dtype or shape, unknown kernel) are {@link IllegalArgumentException}s;
 * use of a closed runtime is an {@link IllegalStateException}.
 */
public final class TesseraException extends RuntimeException {

    TesseraException(String message, Throwable cause) {
        super(message, cause);
    }

    static TesseraException of(CompileException e, String source) {
        return new TesseraException(new DiagnosticRenderer(source).renderAll(e.diagnostics()).stripTrailing(), e);
    }
}
