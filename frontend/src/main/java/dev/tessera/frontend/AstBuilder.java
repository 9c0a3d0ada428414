package dev.tessera.frontend;

import dev.tessera.frontend.ast.Expr;
import dev.tessera.frontend.ast.KernelDecl;
import dev.tessera.frontend.ast.Operator;
import dev.tessera.frontend.ast.Stmt;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.SourceSpan;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Token;

/** Builds the immutable AST from a parse tree that had no syntax error, with a source span on every node. */
final class AstBuilder extends TesseraBaseVisitor<Expr> {

    private final String file;
    private final Diags diags;

    AstBuilder(String file, Diags diags) {
        this.file = file;
        this.diags = diags;
    }

    KernelDecl kernel(TesseraParser.KernelContext k) {
        List<KernelDecl.Param> params = k.param().stream()
                .map(p -> new KernelDecl.Param(p.NAME().getText(), span(p.NAME().getSymbol()), type(p.type())))
                .toList();
        List<KernelDecl.TypeRef> results = switch (k.results()) {
            case TesseraParser.SingleResultContext s -> List.of(type(s.type()));
            case TesseraParser.TupleResultContext t -> t.type().stream().map(this::type).toList();
            default -> throw new IllegalStateException("unknown results form " + k.results().getClass());
        };
        List<Stmt> body = k.stmt().stream().map(this::stmt).toList();
        // the header (up to the result types) is what a diagnostic about the whole kernel should underline
        SourceSpan header = Spans.of(file, k.getStart(), k.results().getStop());
        return new KernelDecl(k.NAME().getText(), span(k.NAME().getSymbol()), params, results, body, header,
                span(k.RBRACE().getSymbol()));
    }

    private KernelDecl.TypeRef type(TesseraParser.TypeContext t) {
        DType dtype = DType.parse(t.DTYPE().getText()).orElseThrow();
        List<Dim> dims = t.dim().stream().map(this::dim).toList();
        return new KernelDecl.TypeRef(dtype, dims, Spans.of(file, t));
    }

    private Dim dim(TesseraParser.DimContext d) {
        if (d.NAME() != null) {
            return new Dim.Sym(d.NAME().getText());
        }
        try {
            return new Dim.Lit(Long.parseLong(d.INT().getText()));
        } catch (NumberFormatException e) {
            diags.error(span(d.INT().getSymbol()), "dimension " + d.INT().getText() + " is too large");
            return new Dim.Lit(1);
        }
    }

    private Stmt stmt(TesseraParser.StmtContext s) {
        return switch (s) {
            case TesseraParser.LetStmtContext let -> new Stmt.Let(let.NAME().getText(),
                    span(let.NAME().getSymbol()), visit(let.expr()), Spans.of(file, let));
            case TesseraParser.ReturnStmtContext ret -> new Stmt.Return(
                    ret.expr().stream().map(this::visit).toList(), Spans.of(file, ret));
            default -> throw new IllegalStateException("unknown statement " + s.getClass());
        };
    }

    @Override
    public Expr visitNegExpr(TesseraParser.NegExprContext ctx) {
        Expr operand = visit(ctx.expr());
        SourceSpan span = Spans.of(file, ctx);
        if (operand instanceof Expr.NumLit n) {
            String text = n.text().startsWith("-") ? n.text().substring(1) : "-" + n.text();
            return new Expr.NumLit(text, -n.value(), n.isFloat(), span);
        }
        return new Expr.Neg(operand, span);
    }

    @Override
    public Expr visitBinaryExpr(TesseraParser.BinaryExprContext ctx) {
        return new Expr.Binary(Operator.fromSpelling(ctx.op.getText()), visit(ctx.expr(0)), visit(ctx.expr(1)),
                Spans.of(file, ctx));
    }

    @Override
    public Expr visitPrimaryExpr(TesseraParser.PrimaryExprContext ctx) {
        return visit(ctx.primary());
    }

    @Override
    public Expr visitCallExpr(TesseraParser.CallExprContext ctx) {
        Optional<DType> typeArg = Optional.ofNullable(ctx.typeArg())
                .map(t -> DType.parse(t.DTYPE().getText()).orElseThrow());
        List<Expr.Arg> args = ctx.arg().stream()
                .map(a -> new Expr.Arg(Optional.ofNullable(a.NAME()).map(n -> n.getText()), visit(a.expr()),
                        Spans.of(file, a)))
                .toList();
        return new Expr.Call(ctx.NAME().getText(), span(ctx.NAME().getSymbol()), typeArg, args,
                Spans.of(file, ctx));
    }

    @Override
    public Expr visitNameExpr(TesseraParser.NameExprContext ctx) {
        return new Expr.Name(ctx.NAME().getText(), Spans.of(file, ctx));
    }

    @Override
    public Expr visitIntExpr(TesseraParser.IntExprContext ctx) {
        String text = ctx.INT().getText();
        return new Expr.NumLit(text, Double.parseDouble(text), false, Spans.of(file, ctx));
    }

    @Override
    public Expr visitFloatExpr(TesseraParser.FloatExprContext ctx) {
        String text = ctx.FLOAT().getText();
        double value = Double.parseDouble(text);
        if (Double.isInfinite(value)) {
            diags.error(Spans.of(file, ctx), "float literal " + text + " is out of range");
            value = 0;
        }
        return new Expr.NumLit(text, value, true, Spans.of(file, ctx));
    }

    @Override
    public Expr visitBoolExpr(TesseraParser.BoolExprContext ctx) {
        return new Expr.BoolLit(ctx.TRUE() != null, Spans.of(file, ctx));
    }

    @Override
    public Expr visitParenExpr(TesseraParser.ParenExprContext ctx) {
        return visit(ctx.expr());
    }

    @Override
    public Expr visitListExpr(TesseraParser.ListExprContext ctx) {
        return new Expr.ListLit(ctx.expr().stream().map(this::visit).toList(), Spans.of(file, ctx));
    }

    private SourceSpan span(Token t) {
        return Spans.of(file, t);
    }
}
