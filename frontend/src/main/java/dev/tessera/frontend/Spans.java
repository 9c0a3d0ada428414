package dev.tessera.frontend;

import dev.tessera.ir.SourceSpan;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** Source spans of tokens and parse-tree nodes: ANTLR columns are 0-based, ours 1-based with an inclusive end. */
final class Spans {

    private Spans() {}

    static SourceSpan of(String file, Token t) {
        return of(file, t, t);
    }

    static SourceSpan of(String file, Token start, Token stop) {
        int col = start.getCharPositionInLine() + 1;
        int endCol = stop.getCharPositionInLine() + length(stop);
        return new SourceSpan(file, start.getLine(), col, stop.getLine(), Math.max(endCol, 1));
    }

    static SourceSpan of(String file, ParserRuleContext ctx) {
        Token stop = ctx.getStop() == null || ctx.getStop().getTokenIndex() < ctx.getStart().getTokenIndex()
                ? ctx.getStart() : ctx.getStop();
        return of(file, ctx.getStart(), stop);
    }

    private static int length(Token t) {
        return t.getType() == Token.EOF || t.getText() == null ? 1 : Math.max(1, t.getText().length());
    }
}
