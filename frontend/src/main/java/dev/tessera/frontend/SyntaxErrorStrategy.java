package dev.tessera.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's syntax errors into "expected X, found Y" diagnostics and stops at the first one: after a syntax
 * error the rest of a kernel is guesswork, and the guessed errors only bury the real one.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {

    /** Unwinds the parser after the first error has been reported. */
    static final class Bail extends RuntimeException {
        Bail() {
            super(null, null, false, false);
        }
    }

    /** Text of the end-of-input token of a kernel that is followed by another one (see {@link SourceParser}). */
    static final String NEXT_KERNEL = "kernel";

    private static final Set<Integer> EXPRESSION_START = Set.of(
            TesseraParser.NAME, TesseraParser.INT, TesseraParser.FLOAT, TesseraParser.TRUE, TesseraParser.FALSE,
            TesseraParser.LPAREN, TesseraParser.LBRACK, TesseraParser.MINUS);

    private static final Set<Integer> OPERATORS = Set.of(
            TesseraParser.PLUS, TesseraParser.MINUS, TesseraParser.STAR, TesseraParser.SLASH, TesseraParser.PERCENT,
            TesseraParser.AT, TesseraParser.LT, TesseraParser.LE, TesseraParser.GT, TesseraParser.GE,
            TesseraParser.EQ, TesseraParser.NE);

    /** Kinds of token named by what they are rather than spelled, listed before punctuation. */
    private static final List<Integer> CATEGORIES =
            List.of(TesseraParser.NAME, TesseraParser.INT, TesseraParser.FLOAT);

    private final String file;
    private final Diags diags;

    SyntaxErrorStrategy(String file, Diags diags) {
        this.file = file;
        this.diags = diags;
    }

    @Override
    public void reportError(Parser parser, RecognitionException e) {
        IntervalSet expected = switch (e) {
            case InputMismatchException m -> m.getExpectedTokens();
            case NoViableAltException n -> n.getExpectedTokens();
            default -> parser.getExpectedTokens();
        };
        Token found = e.getOffendingToken() != null ? e.getOffendingToken() : parser.getCurrentToken();
        fail(parser, found, expected);
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
        fail(parser, parser.getCurrentToken(), getExpectedTokens(parser));
    }

    @Override
    protected void reportMissingToken(Parser parser) {
        fail(parser, parser.getCurrentToken(), getExpectedTokens(parser));
    }

    @Override
    public void recover(Parser parser, RecognitionException e) {
        throw new Bail();
    }

    private void fail(Parser parser, Token found, IntervalSet expected) {
        String message = found.getType() == TesseraParser.ERROR_CHAR
                ? "unexpected character '" + found.getText() + "'"
                : "expected " + (afterCastAngle(parser, found) ? "a dtype such as f16" : describe(parser, expected))
                        + ", found " + describe(found);
        diags.error(Spans.of(file, found), message);
        throw new Bail();
    }

    /**
     * Whether the error is right after {@code cast<}: the grammar reads a '<' not followed by a dtype as a
     * comparison, and would ask for an expression where the user meant to write a dtype.
     */
    private static boolean afterCastAngle(Parser parser, Token found) {
        int i = found.getTokenIndex();
        if (i < 2 || found.getType() == TesseraParser.DTYPE) {
            return false;
        }
        Token angle = parser.getTokenStream().get(i - 1);
        Token name = parser.getTokenStream().get(i - 2);
        return angle.getType() == TesseraParser.LT && "cast".equals(name.getText());
    }

    static String describe(Token t) {
        if (t.getType() == Token.EOF) {
            return NEXT_KERNEL.equals(t.getText()) ? "'kernel'" : "end of file";
        }
        String text = t.getText();
        return "'" + (text.length() > 24 ? text.substring(0, 21) + "..." : text) + "'";
    }

    /** Names a set of expected tokens the way a user thinks of them: "an expression", not eight token names. */
    private static String describe(Parser parser, IntervalSet expected) {
        List<Integer> tokens = expected == null ? List.of() : expected.toList();
        boolean expression = tokens.contains(TesseraParser.NAME) && tokens.contains(TesseraParser.INT)
                && tokens.contains(TesseraParser.LPAREN);
        boolean dtype = tokens.contains(TesseraParser.DTYPE);
        boolean onlyOperators = tokens.stream().allMatch(t -> OPERATORS.contains(t) || t < 0);
        List<String> parts = new ArrayList<>();
        List<String> punctuation = new ArrayList<>();
        if (dtype) {
            parts.add(parser.getContext() instanceof TesseraParser.TypeArgContext
                    ? "a dtype such as f16" : "a type such as f32[N]");
        }
        if (expression) {
            parts.add("an expression");
        }
        for (int t : tokens) {
            boolean skip = t < 0 && t != Token.EOF
                    || t == TesseraParser.DTYPE
                    || (expression && EXPRESSION_START.contains(t))
                    // '(' opens a result tuple, which the type phrasing above already suggests
                    || (dtype && t == TesseraParser.LPAREN)
                    || (!onlyOperators && OPERATORS.contains(t));
            if (!skip && !CATEGORIES.contains(t)) {
                punctuation.add(tokenName(parser, t));
            }
        }
        for (int t : CATEGORIES) {
            if (tokens.contains(t) && !(expression && EXPRESSION_START.contains(t))) {
                parts.add(tokenName(parser, t));
            }
        }
        parts.addAll(punctuation);
        if (parts.isEmpty()) {
            return "something else";
        }
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.getLast();
    }

    private static String tokenName(Parser parser, int type) {
        return switch (type) {
            // inside one kernel, the end of input is where the next kernel begins
            case Token.EOF -> "'kernel'";
            case TesseraParser.NAME -> "a name";
            case TesseraParser.INT -> "an integer";
            case TesseraParser.FLOAT -> "a number";
            default -> {
                String literal = parser.getVocabulary().getLiteralName(type);
                yield literal != null ? literal : parser.getVocabulary().getDisplayName(type);
            }
        };
    }
}
