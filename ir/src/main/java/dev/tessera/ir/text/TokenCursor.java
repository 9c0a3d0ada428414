package dev.tessera.ir.text;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.SourceSpan;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A position in a token list with the expect/accept helpers the graph, tile and loop parsers share; every failure
 * is a {@link CompileException} pointing at the offending token.
 */
public final class TokenCursor {

    /** Names printable after {@code @} and {@code %}: what the lexer reads back as one name. */
    public static final Pattern SIGIL_NAME = Pattern.compile("[A-Za-z0-9_.]+");

    private final String file;
    private final List<Token> tokens;
    private int index;

    public TokenCursor(String file, String text) {
        this.file = file;
        this.tokens = Lexer.lex(file, text);
    }

    public String file() {
        return file;
    }

    public Token peek() {
        return tokens.get(index);
    }

    /** The token {@code k} places ahead (0 is {@link #peek()}); EOF past the end. */
    public Token peek(int k) {
        return tokens.get(Math.min(index + k, tokens.size() - 1));
    }

    public Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Token.Kind.EOF) {
            index++;
        }
        return t;
    }

    public boolean atEnd() {
        return peek().kind() == Token.Kind.EOF;
    }

    public boolean isPunct(String p) {
        return peek().isPunct(p);
    }

    public boolean isWord(String w) {
        return peek().isWord(w);
    }

    public boolean acceptPunct(String p) {
        if (isPunct(p)) {
            index++;
            return true;
        }
        return false;
    }

    public boolean acceptWord(String w) {
        if (isWord(w)) {
            index++;
            return true;
        }
        return false;
    }

    public Token expectPunct(String p) {
        if (!isPunct(p)) {
            throw expected("'" + p + "'");
        }
        return next();
    }

    public Token expectWord(String w) {
        if (!isWord(w)) {
            throw expected("'" + w + "'");
        }
        return next();
    }

    public Token expect(Token.Kind kind, String what) {
        if (peek().kind() != kind) {
            throw expected(what);
        }
        return next();
    }

    public CompileException expected(String what) {
        return error(peek(), "expected " + what + " but found " + peek().describe());
    }

    public CompileException error(Token at, String message) {
        return new CompileException(span(at), message);
    }

    /** From the start of {@code first} to the end of the last token consumed, for nodes that span several tokens. */
    public SourceSpan spanFrom(Token first) {
        SourceSpan last = span(tokens.get(Math.max(index - 1, 0)));
        return new SourceSpan(file, first.line(), first.column(), last.endLine(), last.endColumn());
    }

    public SourceSpan span(Token t) {
        int length = switch (t.kind()) {
            case PERCENT_NAME, AT_NAME -> t.text().length() + 1;
            case EOF -> 1;
            default -> t.text().length();
        };
        return SourceSpan.at(file, t.line(), t.column(), length);
    }

    /**
     * A non-negative decimal integer token that fits an int, for extents, lengths and schedule values.
     */
    public int expectInt(String what) {
        Token t = expect(Token.Kind.NUMBER, what);
        try {
            return Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            throw error(t, "expected " + what + " but found " + t.describe());
        }
    }

    /**
     * A float value as printed by {@link #formatDouble}: an optional {@code -}, then digits with fraction and
     * exponent, or {@code nan} / {@code inf}; then {@code suffix} (loop IR marks f32 literals with {@code f}).
     */
    public double expectDouble(String suffix) {
        return expectDouble(suffix, "a number");
    }

    /** {@link #expectDouble(String)}, naming what was expected in the error as {@code what}. */
    public double expectDouble(String suffix, String what) {
        Token start = peek();
        boolean negative = acceptPunct("-");
        Token t = next();
        if (t.isWord("nan" + suffix) && !negative) {
            return Double.NaN;
        }
        if (t.isWord("inf" + suffix)) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (t.kind() == Token.Kind.NUMBER && t.text().endsWith(suffix)) {
            String digits = t.text().substring(0, t.text().length() - suffix.length());
            if (isDecimal(digits)) {
                double v = Double.parseDouble(digits);
                return negative ? -v : v;
            }
        }
        throw error(t.kind() == Token.Kind.EOF ? t : start, "expected " + what + " but found " + t.describe());
    }

    /** Digits with an optional fraction and exponent and nothing else (what {@link Double#parseDouble} takes). */
    public static boolean isDecimal(String s) {
        return s.matches("[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    }

    /** Exact, shortest text of a double that {@link #expectDouble} reads back bit for bit (NaN payloads aside). */
    public static String formatDouble(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return Double.toString(v);
    }

    /** The name after a sigil, or an exception a printer raises for a name the lexer could not read back. */
    public static String checkSigilName(String name, String what) {
        if (!SIGIL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("cannot print " + what + " name '" + name + "'");
        }
        return name;
    }
}
