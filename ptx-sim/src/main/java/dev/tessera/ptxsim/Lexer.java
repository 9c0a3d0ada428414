package dev.tessera.ptxsim;

import java.util.ArrayList;
import java.util.List;

/** Splits PTX text into tokens, dropping comments and keeping line numbers for diagnostics. */
final class Lexer {

    private final String src;
    private int pos;
    private int line = 1;
    private boolean spaceBefore = true;
    private final List<Token> out = new ArrayList<>();

    private Lexer(String src) {
        this.src = src;
    }

    static List<Token> lex(String src) {
        Lexer lx = new Lexer(src);
        lx.run();
        return lx.out;
    }

    private void run() {
        while (true) {
            skipSpaceAndComments();
            if (pos >= src.length()) {
                out.add(new Token(Token.Kind.EOF, "", line, true));
                return;
            }
            char c = src.charAt(pos);
            int start = pos;
            Token.Kind kind;
            if (c == '.' && pos + 1 < src.length() && isIdentPart(src.charAt(pos + 1))) {
                pos++;
                // '::' belongs to modifiers such as .shared::cta and .L1::evict_last
                while (pos < src.length() && (isIdentPart(src.charAt(pos)) || src.charAt(pos) == ':'
                        && pos + 1 < src.length() && src.charAt(pos + 1) == ':')) {
                    pos += src.charAt(pos) == ':' ? 2 : 1;
                }
                kind = Token.Kind.DIRECTIVE;
            } else if (c == '%') {
                pos++;
                while (pos < src.length() && isIdentPart(src.charAt(pos))) {
                    pos++;
                }
                // vector special registers are spelled %tid.x; no other register contains a dot
                if (pos + 1 < src.length() && src.charAt(pos) == '.' && "xyzw".indexOf(src.charAt(pos + 1)) >= 0
                        && (pos + 2 >= src.length() || !isIdentPart(src.charAt(pos + 2)))) {
                    pos += 2;
                }
                kind = Token.Kind.REGISTER;
            } else if (Character.isDigit(c)) {
                kind = number();
            } else if (isIdentStart(c)) {
                while (pos < src.length() && isIdentPart(src.charAt(pos))) {
                    pos++;
                }
                kind = Token.Kind.IDENT;
            } else if (c == '"') {
                pos++;
                while (pos < src.length() && src.charAt(pos) != '"' && src.charAt(pos) != '\n') {
                    pos++;
                }
                if (pos >= src.length() || src.charAt(pos) != '"') {
                    throw new PtxException(line, "unterminated string");
                }
                pos++;
                kind = Token.Kind.STRING;
            } else if (",;:{}[]()+-@!|<>=*/~&^".indexOf(c) >= 0) {
                pos++;
                kind = Token.Kind.PUNCT;
            } else {
                throw new PtxException(line, "unexpected character '" + c + "'");
            }
            out.add(new Token(kind, src.substring(start, pos), line, spaceBefore));
            spaceBefore = false;
        }
    }

    private Token.Kind number() {
        if (src.charAt(pos) == '0' && pos + 1 < src.length()) {
            char p = src.charAt(pos + 1);
            if ((p == 'f' || p == 'F') && hexRun(pos + 2) == 8) {
                pos += 10;
                return Token.Kind.F32_BITS;
            }
            if ((p == 'd' || p == 'D') && hexRun(pos + 2) == 16) {
                pos += 18;
                return Token.Kind.F64_BITS;
            }
            if (p == 'x' || p == 'X') {
                pos += 2 + hexRun(pos + 2);
                skipUnsignedSuffix();
                return Token.Kind.INT;
            }
            if ((p == 'b' || p == 'B') && pos + 2 < src.length() && "01".indexOf(src.charAt(pos + 2)) >= 0) {
                pos += 2;
                while (pos < src.length() && "01".indexOf(src.charAt(pos)) >= 0) {
                    pos++;
                }
                skipUnsignedSuffix();
                return Token.Kind.INT;
            }
        }
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        boolean decimal = false;
        if (pos < src.length() && src.charAt(pos) == '.' && pos + 1 < src.length()
                && Character.isDigit(src.charAt(pos + 1))) {
            decimal = true;
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                decimal = true;
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        if (!decimal) {
            skipUnsignedSuffix();
        }
        return decimal ? Token.Kind.DECIMAL : Token.Kind.INT;
    }

    private void skipUnsignedSuffix() {
        if (pos < src.length() && (src.charAt(pos) == 'U' || src.charAt(pos) == 'u')) {
            pos++;
        }
    }

    private int hexRun(int from) {
        int i = from;
        while (i < src.length() && Character.digit(src.charAt(i), 16) >= 0) {
            i++;
        }
        return i - from;
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
                spaceBefore = true;
            } else if (Character.isWhitespace(c)) {
                pos++;
                spaceBefore = true;
            } else if (src.startsWith("//", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
                spaceBefore = true;
            } else if (src.startsWith("/*", pos)) {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new PtxException(line, "unterminated comment");
                }
                for (int i = pos; i < end; i++) {
                    if (src.charAt(i) == '\n') {
                        line++;
                    }
                }
                pos = end + 2;
                spaceBefore = true;
            } else {
                return;
            }
        }
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
