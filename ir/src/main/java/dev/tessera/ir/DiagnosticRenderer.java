package dev.tessera.ir;

import java.util.List;

/** Renders diagnostics like a C compiler: {@code file:line:col: error: msg}, the source line, a caret. */
public final class DiagnosticRenderer {

    private final List<String> lines;

    /** @param source the full text of the file the spans point into (may be empty for generated code) */
    public DiagnosticRenderer(String source) {
        this.lines = source.lines().toList();
    }

    public String render(Diagnostic d) {
        StringBuilder sb = new StringBuilder();
        SourceSpan s = d.span();
        if (s.isKnown()) {
            sb.append(s.file()).append(':').append(s.line()).append(':').append(s.column()).append(": ");
        } else if (!s.file().equals(SourceSpan.UNKNOWN.file())) {
            sb.append(s.file()).append(": ");
        }
        sb.append(d.severity()).append(": ").append(d.message()).append('\n');
        if (s.isKnown() && s.line() <= lines.size()) {
            String text = lines.get(s.line() - 1).replace('\t', ' ');
            sb.append(text).append('\n');
            int start = Math.max(1, s.column());
            int end = s.endLine() == s.line() ? Math.max(start, s.endColumn()) : text.length();
            end = Math.max(start, Math.min(end, Math.max(text.length(), start)));
            sb.append(" ".repeat(start - 1)).append('^').append("~".repeat(end - start)).append('\n');
        }
        for (String note : d.notes()) {
            sb.append("note: ").append(note).append('\n');
        }
        return sb.toString();
    }

    public String renderAll(List<Diagnostic> ds) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : ds) {
            sb.append(render(d));
        }
        return sb.toString();
    }
}
