package dev.tessera.frontend;

import dev.tessera.frontend.ast.KernelDecl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Token;

/**
 * Lexes a file, cuts the tokens at every {@code kernel} keyword and parses each piece on its own, so that a syntax
 * error costs only its own kernel: the others are still parsed and checked in the same run.
 */
final class SourceParser {

    /** The kernels that parsed, and the names of those that did not (calls to them are not reported again). */
    record Parsed(List<KernelDecl> kernels, Set<String> unparsedNames) {}

    private SourceParser() {}

    static Parsed parse(String file, String source, Diags diags) {
        TesseraLexer lexer = new TesseraLexer(CharStreams.fromString(source, file));
        lexer.removeErrorListeners(); // ERROR_CHAR makes every character a token, so the lexer never complains
        List<Token> tokens = new ArrayList<>(lexer.getAllTokens());

        List<KernelDecl> kernels = new ArrayList<>();
        Set<String> unparsed = new HashSet<>();
        int i = 0;
        if (!tokens.isEmpty() && tokens.getFirst().getType() != TesseraLexer.KERNEL) {
            Token first = tokens.getFirst();
            diags.error(Spans.of(file, first), "expected 'kernel', found " + SyntaxErrorStrategy.describe(first));
            while (i < tokens.size() && tokens.get(i).getType() != TesseraLexer.KERNEL) {
                i++;
            }
        }
        while (i < tokens.size()) {
            int end = i + 1;
            while (end < tokens.size() && tokens.get(end).getType() != TesseraLexer.KERNEL) {
                end++;
            }
            List<Token> piece = new ArrayList<>(tokens.subList(i, end));
            piece.add(endOfPiece(tokens, end));
            KernelDecl k = parseKernel(file, piece, diags);
            if (k != null) {
                kernels.add(k);
            } else if (piece.size() > 1 && piece.get(1).getType() == TesseraLexer.NAME) {
                unparsed.add(piece.get(1).getText());
            }
            i = end;
        }
        return new Parsed(kernels, unparsed);
    }

    private static KernelDecl parseKernel(String file, List<Token> piece, Diags diags) {
        TesseraParser parser = new TesseraParser(new CommonTokenStream(new ListTokenSource(piece)));
        parser.removeErrorListeners();
        parser.setErrorHandler(new SyntaxErrorStrategy(file, diags));
        TesseraParser.KernelUnitContext unit;
        try {
            unit = parser.kernelUnit();
        } catch (SyntaxErrorStrategy.Bail bail) {
            return null;
        }
        return new AstBuilder(file, diags).kernel(unit.kernel());
    }

    /**
     * The end of one piece: at the next {@code kernel} keyword (so that "found 'kernel'" points there), or just
     * after the last token of the file (a caret after the code, not on an empty line).
     */
    private static Token endOfPiece(List<Token> tokens, int next) {
        CommonToken eof = new CommonToken(Token.EOF, "<EOF>");
        if (next < tokens.size()) {
            Token k = tokens.get(next);
            eof.setText(SyntaxErrorStrategy.NEXT_KERNEL);
            eof.setLine(k.getLine());
            eof.setCharPositionInLine(k.getCharPositionInLine());
        } else {
            Token last = tokens.getLast();
            eof.setLine(last.getLine());
            eof.setCharPositionInLine(last.getCharPositionInLine() + last.getText().length());
        }
        eof.setStartIndex(-1);
        eof.setStopIndex(-2);
        return eof;
    }
}
