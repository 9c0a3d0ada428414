package dev.tessera.ir.text;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.SourceSpan;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits graph, tile and loop IR text into tokens. Signs are never part of a number, so {@code a - 1} and
 * {@code -1} lex alike and the parsers decide; {@code //} starts a comment to the end of the line.
 */
public final class Lexer {

    /** Longest first, so that {@code <=} wins over {@code <}. */
    private static final List<String> PUNCT = List.of(
            "->", "<=", ">=", "==", "!=", "&&", "||",
            "(", ")", "[", "]", "{", "}", ",", ":", "=", "|", "+", "-", "*", "/", "%", "<", ">", "!");

    private final String file;
    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String file, String text) {
        this.file = file;
        this.text = text;
    }

    public static List<Token> lex(String file, String text) {
        return new Lexer(file, text).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            int col = pos - lineStart + 1;
            if (pos >= text.length()) {
                out.add(new Token(Token.Kind.EOF, "", line, col));
                return out;
            }
            char c = text.charAt(pos);
            int start = pos;
            if (isIdentStart(c)) {
                pos++;
                while (pos < text.length() && (isNameChar(text.charAt(pos)) && text.charAt(pos) != '.'
                        || text.charAt(pos) == '.' && pos + 1 < text.length() && isNameChar(text.charAt(pos + 1)))) {
                    pos++;
                }
                out.add(new Token(Token.Kind.IDENT, text.substring(start, pos), line, col));
            } else if (isDigit(c)) {
                lexNumber();
                out.add(new Token(Token.Kind.NUMBER, text.substring(start, pos), line, col));
            } else if ((c == '%' || c == '@') && pos + 1 < text.length() && isNameChar(text.charAt(pos + 1))) {
                pos++;
                while (pos < text.length() && isNameChar(text.charAt(pos))) {
                    pos++;
                }
                Token.Kind kind = c == '%' ? Token.Kind.PERCENT_NAME : Token.Kind.AT_NAME;
                out.add(new Token(kind, text.substring(start + 1, pos), line, col));
            } else {
                String p = punctAt();
                if (p == null) {
                    String shown = Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
                    throw new CompileException(SourceSpan.at(file, line, col, 1), "unexpected character '" + shown + "'");
                }
                pos += p.length();
                out.add(new Token(Token.Kind.PUNCT, p, line, col));
            }
        }
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '/') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    /** Digits, then an optional fraction and exponent, then letters and digits that the parser reads as a suffix. */
    private void lexNumber() {
        skipDigits();
        if (pos + 1 < text.length() && text.charAt(pos) == '.' && isDigit(text.charAt(pos + 1))) {
            pos++;
            skipDigits();
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < text.length() && isDigit(text.charAt(pos))) {
                skipDigits();
            } else {
                pos = save;
            }
        }
        while (pos < text.length() && isNameChar(text.charAt(pos)) && text.charAt(pos) != '.') {
            pos++;
        }
    }

    private void skipDigits() {
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
    }

    private String punctAt() {
        for (String p : PUNCT) {
            if (text.startsWith(p, pos)) {
                return p;
            }
        }
        return null;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean isNameChar(char c) {
        return isIdentStart(c) || isDigit(c) || c == '.';
    }
}
