package dev.tessera.ir.graph;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.SourceSpan;
import java.util.ArrayList;
import java.util.List;

/** Splits graph IR text into tokens with 1-based line and column; {@code //} starts a comment. */
final class GraphLexer {

    enum Kind { VALUE, SYMBOL, IDENT, NUMBER, PUNCT, EOF }

    /** One token; for VALUE and SYMBOL, {@code text} excludes the leading {@code %} or {@code @}. */
    record Token(Kind kind, String text, int line, int column, int length) {

        SourceSpan span(String file) {
            return SourceSpan.at(file, line, column, length);
        }

        boolean is(String punctOrWord) {
            return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(punctOrWord);
        }

        /** How the token reads in an error message. */
        String describe() {
            return switch (kind) {
                case EOF -> "end of input";
                case VALUE -> "'%" + text + "'";
                case SYMBOL -> "'@" + text + "'";
                default -> "'" + text + "'";
            };
        }
    }

    private final String text;
    private final String file;
    private int pos;
    private int line = 1;
    private int lineStart;

    private GraphLexer(String text, String file) {
        this.text = text;
        this.file = file;
    }

    static List<Token> tokenize(String text, String file) {
        return new GraphLexer(text, file).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= text.length()) {
                out.add(new Token(Kind.EOF, "", line, column(pos), 1));
                return out;
            }
            out.add(next());
        }
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (text.startsWith("//", pos)) {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = pos;
        char c = text.charAt(pos);
        if (c == '%' || c == '@') {
            pos++;
            while (pos < text.length() && isNameChar(text.charAt(pos))) {
                pos++;
            }
            if (pos == start + 1) {
                throw new CompileException(SourceSpan.at(file, line, column(start), 1),
                        "expected a name after '" + c + "'");
            }
            return token(c == '%' ? Kind.VALUE : Kind.SYMBOL, start, text.substring(start + 1, pos));
        }
        if (c == '-' && pos + 1 < text.length() && text.charAt(pos + 1) == '>') {
            pos += 2;
            return token(Kind.PUNCT, start, "->");
        }
        if (Character.isDigit(c) || ((c == '-' || c == '.') && pos + 1 < text.length()
                && (Character.isLetterOrDigit(text.charAt(pos + 1)) || text.charAt(pos + 1) == '.'))) {
            pos++;
            while (pos < text.length()) {
                char d = text.charAt(pos);
                char prev = text.charAt(pos - 1);
                if (isNameChar(d) || ((d == '+' || d == '-') && (prev == 'e' || prev == 'E'))) {
                    pos++;
                } else {
                    break;
                }
            }
            return token(Kind.NUMBER, start, text.substring(start, pos));
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < text.length() && isNameChar(text.charAt(pos))) {
                pos++;
            }
            return token(Kind.IDENT, start, text.substring(start, pos));
        }
        if ("()[]{},:=".indexOf(c) >= 0) {
            pos++;
            return token(Kind.PUNCT, start, String.valueOf(c));
        }
        throw new CompileException(SourceSpan.at(file, line, column(start), 1), "unexpected character '" + c + "'");
    }

    private Token token(Kind kind, int start, String value) {
        return new Token(kind, value, line, column(start), pos - start);
    }

    private int column(int offset) {
        return offset - lineStart + 1;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    }
}
