package dev.tessera.ir;

import java.util.List;

/** A message for the user about their input, with where it applies; rendered by {@link DiagnosticRenderer}. */
public record Diagnostic(Severity severity, SourceSpan span, String message, List<String> notes) {

    public enum Severity {
        ERROR, WARNING, NOTE;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Diagnostic {
        notes = List.copyOf(notes);
    }

    public static Diagnostic error(SourceSpan span, String message) {
        return new Diagnostic(Severity.ERROR, span, message, List.of());
    }

    public static Diagnostic warning(SourceSpan span, String message) {
        return new Diagnostic(Severity.WARNING, span, message, List.of());
    }
}
