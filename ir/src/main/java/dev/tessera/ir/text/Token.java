package dev.tessera.ir.text;

/** One token of graph, tile or loop IR text, with the 1-based line and column where it starts. */
public record Token(Kind kind, String text, int line, int column) {

    /** Token classes; punctuation and operators share {@link #PUNCT}, their text telling them apart. */
    public enum Kind {
        /** A word: keyword, op name, dtype, dimension or variable name; may contain dots ({@code reduce.max}). */
        IDENT,
        /** {@code %name}: a buffer, SSA value or kernel parameter; text excludes the sigil. */
        PERCENT_NAME,
        /** {@code @name}: a program, kernel or fusion group; text excludes the sigil. */
        AT_NAME,
        /** Digits with optional fraction, exponent and letter suffix ({@code 1.5E-3f}, {@code 7L}); no sign. */
        NUMBER,
        PUNCT,
        EOF
    }

    public boolean isPunct(String p) {
        return kind == Kind.PUNCT && text.equals(p);
    }

    public boolean isWord(String w) {
        return kind == Kind.IDENT && text.equals(w);
    }

    /** How the token reads in an error message. */
    public String describe() {
        return switch (kind) {
            case EOF -> "end of input";
            case PERCENT_NAME -> "'%" + text + "'";
            case AT_NAME -> "'@" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
