package dev.tessera.ptxsim;

import java.util.List;

/** A cursor over PTX tokens with the small reading helpers the parser shares: literals, skipping, errors. */
final class TokenStream {

    private final List<Token> toks;
    private int p;

    TokenStream(List<Token> toks) {
        this.toks = toks;
    }

    /** The token {@code ahead} positions past the current one (EOF at the end). */
    Token peek(int ahead) {
        return toks.get(Math.min(p + ahead, toks.size() - 1));
    }

    /** The token just consumed. */
    Token previous() {
        return toks.get(p - 1);
    }

    /** An integer or floating-point literal, optionally negated. */
    Ast.Operand immediate() {
        Token t = next();
        boolean neg = false;
        if (t.is("-")) {
            neg = true;
            t = next();
        }
        Ast.Operand v = switch (t.kind()) {
            case INT -> new Ast.IntImm(intLiteral(t));
            case F32_BITS -> new Ast.FloatImm(Long.parseLong(t.text().substring(2), 16), true);
            case F64_BITS -> new Ast.FloatImm(Long.parseUnsignedLong(t.text().substring(2), 16), false);
            case DECIMAL -> new Ast.FloatImm(Double.doubleToRawLongBits(Double.parseDouble(t.text())), false);
            default -> throw error(t, "expected a constant, found " + t);
        };
        if (!neg) {
            return v;
        }
        return switch (v) {
            case Ast.IntImm i -> new Ast.IntImm(-i.value());
            case Ast.FloatImm f -> new Ast.FloatImm(f.bits() ^ (f.single() ? 0x8000_0000L : Long.MIN_VALUE), f.single());
            default -> throw new IllegalStateException();
        };
    }

    static long intLiteral(Token t) {
        if (t.kind() != Token.Kind.INT) {
            throw error(t, "expected an integer, found " + t);
        }
        String s = t.text();
        if (s.endsWith("U") || s.endsWith("u")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            if (s.startsWith("0b") || s.startsWith("0B")) {
                return Long.parseUnsignedLong(s.substring(2), 2);
            }
            if (s.length() > 1 && s.startsWith("0")) {
                return Long.parseUnsignedLong(s.substring(1), 8);
            }
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw error(t, "integer literal out of range: " + t.text());
        }
    }

    void skipLine(int line) {
        while (peek().kind() != Token.Kind.EOF && peek().line() == line) {
            next();
        }
    }

    void skipPast(String punct) {
        while (!next().is(punct)) {
            if (toks.get(p - 1).kind() == Token.Kind.EOF) {
                throw error(toks.get(p - 1), "expected '" + punct + "'");
            }
        }
    }

    void expect(String punct) {
        Token t = next();
        if (!t.is(punct)) {
            throw error(t, "expected '" + punct + "', found " + t);
        }
    }

    Token peek() {
        return toks.get(p);
    }

    Token next() {
        Token t = toks.get(p);
        if (t.kind() != Token.Kind.EOF) {
            p++;
        }
        return t;
    }

    static PtxException error(Token t, String message) {
        return new PtxException(t.line(), message);
    }
}
