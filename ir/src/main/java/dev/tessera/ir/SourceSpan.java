package dev.tessera.ir;

/** A range of source text, 1-based line and column, end inclusive; {@link #UNKNOWN} for generated code. */
public record SourceSpan(String file, int line, int column, int endLine, int endColumn) {

    public static final SourceSpan UNKNOWN = new SourceSpan("<unknown>", 0, 0, 0, 0);

    public static SourceSpan at(String file, int line, int column, int length) {
        return new SourceSpan(file, line, column, line, column + Math.max(length, 1) - 1);
    }

    public boolean isKnown() {
        return line > 0;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
