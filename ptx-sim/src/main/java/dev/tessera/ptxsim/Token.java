package dev.tessera.ptxsim;

/**
 * One lexical token of PTX text.
 *
 * @param spaceBefore whether white space or a comment separates it from the previous token, which
 *     tells an instruction's dotted modifiers ({@code ld.global}) from a following directive
 */
record Token(Kind kind, String text, int line, boolean spaceBefore) {

    /** Token classes; punctuation keeps its character in {@code text}. */
    enum Kind { IDENT, DIRECTIVE, REGISTER, INT, F32_BITS, F64_BITS, DECIMAL, STRING, PUNCT, EOF }

    boolean is(String punct) {
        return kind == Kind.PUNCT && text.equals(punct);
    }

    @Override
    public String toString() {
        return kind == Kind.EOF ? "end of input" : "'" + text + "'";
    }
}
