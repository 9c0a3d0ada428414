package dev.tessera.ir.loop;

import dev.tessera.ir.DType;
import dev.tessera.ir.text.PlanText;
import dev.tessera.ir.text.ProgramReader;
import dev.tessera.ir.text.Token;
import dev.tessera.ir.text.TokenCursor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the text {@link LoopPrinter} writes back into loop IR records. Binary operators may also be written
 * without parentheses (C precedence). Malformed text, and a name that resolves to nothing (an undeclared
 * variable, unknown array), is a {@link dev.tessera.ir.CompileException} with line and column; every other
 * rule is left to {@link LoopVerifier}, so that invalid IR can still be written down and checked.
 */
public final class LoopParser {

    private static final ProgramReader<LoopParser, LoopModule, LoopProgram, LoopKernel> READER = new ProgramReader<>(
            "<loop>", LoopParser::new, LoopParser::kernel, LoopProgram::new, LoopModule::new);

    /** Deeper nesting than any lowering produces; the limit keeps hostile input from overflowing the stack. */
    private static final int MAX_DEPTH = 200;

    private final TokenCursor c;
    private int depth;
    // The kernel being parsed: what %name and name[...] resolve to, and the variables in scope.
    private final Map<String, LType> buffers = new HashMap<>();
    private final Map<String, LType> locals = new HashMap<>();
    private final Map<String, LType> dims = new HashMap<>();
    private final Deque<Map<String, LType>> scopes = new ArrayDeque<>();

    private LoopParser(TokenCursor c) {
        this.c = c;
    }

    public static LoopModule parseModule(String text) {
        return READER.parseModule(text);
    }

    public static LoopModule parseModule(String file, String text) {
        return READER.parseModule(file, text);
    }

    public static LoopProgram parseProgram(String text) {
        return READER.parseProgram(text);
    }

    public static LoopProgram parseProgram(String file, String text) {
        return READER.parseProgram(file, text);
    }

    public static LoopKernel parseKernel(String text) {
        return READER.parseKernel(text);
    }

    public static LoopKernel parseKernel(String file, String text) {
        return READER.parseKernel(file, text);
    }

    private LoopKernel kernel() {
        buffers.clear();
        locals.clear();
        dims.clear();
        scopes.clear();
        c.expectWord("kernel");
        String name = c.expect(Token.Kind.AT_NAME, "a kernel name '@name'").text();
        c.expectPunct("(");
        List<LoopParam> params = new ArrayList<>();
        if (!c.acceptPunct(")")) {
            do {
                params.add(param());
            } while (c.acceptPunct(","));
            c.expectPunct(")");
        }
        List<LocalArray> localArrays = new ArrayList<>();
        if (c.acceptWord("local")) {
            c.expectPunct("(");
            do {
                LType elem = type();
                String array = ident("a local array name");
                c.expectPunct("[");
                int length = c.expectInt("an array length");
                c.expectPunct("]");
                localArrays.add(new LocalArray(array, elem, length));
                locals.put(array, elem);
            } while (c.acceptPunct(","));
            c.expectPunct(")");
        }
        c.expectWord("grid");
        c.expectPunct("(");
        List<Expr> grid = new ArrayList<>();
        do {
            grid.add(expr());
        } while (c.acceptPunct(","));
        c.expectPunct(")");
        Token blockToken = c.expectWord("block");
        c.expectPunct("(");
        List<Integer> block = new ArrayList<>();
        do {
            block.add(c.expectInt("a work-group size"));
        } while (c.acceptPunct(","));
        c.expectPunct(")");
        if (grid.size() != block.size() || grid.size() > 3) {
            throw c.error(blockToken, "grid and block need the same number of dimensions, 1 to 3");
        }
        List<Stmt> body = block();
        return new LoopKernel(name, params, localArrays, grid, block, body);
    }

    private LoopParam param() {
        if (c.acceptWord("dim")) {
            String n = c.expect(Token.Kind.PERCENT_NAME, "a dimension name '%N'").text();
            dims.put(n, LType.I32);
            return new LoopParam.DimParam(n);
        }
        c.expectWord("global");
        boolean written = c.acceptWord("mut");
        DType elem = PlanText.parseDType(c);
        String n = c.expect(Token.Kind.PERCENT_NAME, "a buffer name '%name'").text();
        buffers.put(n, LType.computeTypeOf(elem));
        return new LoopParam.BufferParam(n, elem, written);
    }

    /** {@code { stmt* }} in a new scope. */
    private List<Stmt> block() {
        return block(Map.of());
    }

    private List<Stmt> block(Map<String, LType> predeclared) {
        Token open = c.expectPunct("{");
        enter(open);
        scopes.push(new HashMap<>(predeclared));
        List<Stmt> out = new ArrayList<>();
        while (!c.acceptPunct("}")) {
            out.add(stmt());
        }
        scopes.pop();
        depth--;
        return out;
    }

    private Stmt stmt() {
        Token t = c.peek();
        if (t.kind() == Token.Kind.IDENT && c.peek(1).isPunct("=")) {
            c.next();
            c.next();
            return new Stmt.Assign(lookup(t), expr());
        }
        if (t.kind() == Token.Kind.PERCENT_NAME && dims.containsKey(t.text()) && c.peek(1).isPunct("=")) {
            // Invalid (the verifier says so), but printable, so it must read back.
            c.next();
            c.next();
            return new Stmt.Assign(new Expr.Var(t.text(), LType.I32), expr());
        }
        if (c.acceptWord("decl")) {
            LType type = type();
            String n = ident("a variable name");
            c.expectPunct("=");
            Expr init = expr();
            scopes.peek().put(n, type);
            return new Stmt.Decl(new Expr.Var(n, type), init);
        }
        if (c.acceptWord("store")) {
            Token arrayToken = c.next();
            String array = arrayName(arrayToken);
            c.expectPunct("[");
            Expr index = expr();
            c.expectPunct("]");
            c.expectPunct("=");
            return new Stmt.Store(array, index, expr());
        }
        if (c.acceptWord("for")) {
            LType type = type();
            String n = ident("a loop variable name");
            c.expectPunct("=");
            Expr lo = expr();
            c.expectWord("to");
            Expr hi = expr();
            c.expectWord("step");
            Expr step = expr();
            List<Stmt> body = block(Map.of(n, type));
            return new Stmt.For(new Expr.Var(n, type), lo, hi, step, body);
        }
        if (c.acceptWord("if")) {
            Expr cond = expr();
            List<Stmt> then = block();
            List<Stmt> otherwise = List.of();
            // Only 'else {' starts an else branch: a variable may be called else.
            if (c.isWord("else") && c.peek(1).isPunct("{")) {
                c.next();
                otherwise = block();
            }
            return new Stmt.If(cond, then, otherwise);
        }
        if (c.acceptWord("barrier")) {
            return new Stmt.Barrier();
        }
        throw c.expected("a statement (decl, assignment, store, for, if, barrier) or '}'");
    }

    private String arrayName(Token t) {
        if (t.kind() == Token.Kind.PERCENT_NAME && buffers.containsKey(t.text())
                || t.kind() == Token.Kind.IDENT && locals.containsKey(t.text())) {
            return t.text();
        }
        throw c.error(t, t.kind() == Token.Kind.PERCENT_NAME || t.kind() == Token.Kind.IDENT
                ? t.describe() + " is not a buffer parameter or local array of this kernel"
                : "expected an array but found " + t.describe());
    }

    private Expr.Var lookup(Token t) {
        for (Map<String, LType> scope : scopes) {
            LType type = scope.get(t.text());
            if (type != null) {
                return new Expr.Var(t.text(), type);
            }
        }
        throw c.error(t, "use of undeclared variable " + t.describe());
    }

    private LType type() {
        Token t = c.peek();
        Optional<LType> type = t.kind() == Token.Kind.IDENT ? LType.parse(t.text()) : Optional.empty();
        if (type.isEmpty()) {
            throw c.expected("a type (bool, i32, i64, f32, f64)");
        }
        c.next();
        return type.get();
    }

    private String ident(String what) {
        Token t = c.expect(Token.Kind.IDENT, what);
        if (!t.text().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw c.error(t, "bad name " + t.describe());
        }
        return t.text();
    }

    private void enter(Token at) {
        if (++depth > MAX_DEPTH) {
            throw c.error(at, "nesting deeper than " + MAX_DEPTH);
        }
    }

    // Expressions: precedence climbing over the infix operators, lowest binding first.

    private static final List<List<String>> LEVELS = List.of(
            List.of("||"), List.of("&&"), List.of("==", "!="), List.of("<", "<=", ">", ">="),
            List.of("+", "-"), List.of("*", "/", "%"));

    private Expr expr() {
        return binary(0);
    }

    private Expr binary(int level) {
        if (level == LEVELS.size()) {
            return primary();
        }
        Expr left = binary(level + 1);
        while (c.peek().kind() == Token.Kind.PUNCT && LEVELS.get(level).contains(c.peek().text())) {
            LBinOp op = fromInfix(c.next().text());
            left = new Expr.Bin(op, left, binary(level + 1));
        }
        return left;
    }

    private static LBinOp fromInfix(String sym) {
        for (LBinOp op : LBinOp.values()) {
            if (sym.equals(LoopPrinter.infix(op))) {
                return op;
            }
        }
        throw new IllegalStateException("no operator " + sym);
    }

    private Expr primary() {
        Token t = c.next();
        enter(t);
        try {
            return switch (t.kind()) {
                case NUMBER -> number(t, false);
                case PERCENT_NAME -> {
                    if (c.isPunct("[")) {
                        yield load(t);
                    }
                    if (!dims.containsKey(t.text())) {
                        throw c.error(t, t.describe() + " is not a dimension parameter of this kernel");
                    }
                    yield new Expr.Var(t.text(), LType.I32);
                }
                case IDENT -> word(t);
                case PUNCT -> {
                    if (t.isPunct("(")) {
                        Expr e = expr();
                        c.expectPunct(")");
                        yield e;
                    }
                    if (t.isPunct("-")) {
                        Token n = c.next();
                        if (n.kind() == Token.Kind.NUMBER) {
                            yield number(n, true);
                        }
                        if (n.isWord("inf") || n.isWord("inff")) {
                            yield new Expr.FloatLit(Double.NEGATIVE_INFINITY, n.isWord("inf") ? LType.F64 : LType.F32);
                        }
                        throw c.error(t, "'-' must precede a number (write neg(x) to negate)");
                    }
                    throw c.error(t, "expected an expression but found " + t.describe());
                }
                default -> throw c.error(t, "expected an expression but found " + t.describe());
            };
        } finally {
            depth--;
        }
    }

    private Expr word(Token t) {
        switch (t.text()) {
            case "true", "false" -> {
                return new Expr.BoolLit(t.text().equals("true"));
            }
            case "nan", "nanf" -> {
                return new Expr.FloatLit(Double.NaN, t.text().equals("nan") ? LType.F64 : LType.F32);
            }
            case "inf", "inff" -> {
                return new Expr.FloatLit(Double.POSITIVE_INFINITY, t.text().equals("inf") ? LType.F64 : LType.F32);
            }
            default -> {
                if (c.isPunct("(")) {
                    return call(t);
                }
                if (c.isPunct("[")) {
                    return load(t);
                }
                return lookup(t);
            }
        }
    }

    private Expr load(Token arrayToken) {
        String array = arrayName(arrayToken);
        c.expectPunct("[");
        Expr index = expr();
        c.expectPunct("]");
        LType type = arrayToken.kind() == Token.Kind.PERCENT_NAME ? buffers.get(array) : locals.get(array);
        return new Expr.Load(array, index, type);
    }

    private Expr call(Token name) {
        c.expectPunct("(");
        List<Expr> args = new ArrayList<>();
        Token first = c.peek();
        if (!c.isPunct(")")) {
            do {
                args.add(expr());
            } while (c.acceptPunct(","));
        }
        c.expectPunct(")");
        String f = name.text();
        Optional<SpecialReg> reg = SpecialReg.parse(f);
        if (reg.isPresent()) {
            arity(name, args, 1);
            if (!(args.getFirst() instanceof Expr.IntLit i) || i.type() != LType.I32 || i.value() < 0 || i.value() > 2) {
                throw c.error(first, f + " takes a launch dimension 0, 1 or 2");
            }
            return new Expr.Special(reg.get(), (int) i.value());
        }
        Optional<LType> conv = LType.parse(f);
        if (conv.isPresent()) {
            arity(name, args, 1);
            return new Expr.Conv(conv.get(), args.getFirst());
        }
        Optional<LUnOp> un = LUnOp.parse(f);
        if (un.isPresent()) {
            arity(name, args, 1);
            return new Expr.Un(un.get(), args.getFirst());
        }
        if (f.equals("min") || f.equals("max")) {
            arity(name, args, 2);
            return new Expr.Bin(f.equals("min") ? LBinOp.MIN : LBinOp.MAX, args.get(0), args.get(1));
        }
        if (f.equals("select")) {
            arity(name, args, 3);
            return new Expr.Select(args.get(0), args.get(1), args.get(2));
        }
        throw c.error(name, "unknown function " + name.describe());
    }

    private void arity(Token name, List<Expr> args, int n) {
        if (args.size() != n) {
            throw c.error(name, name.text() + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", not " + args.size());
        }
    }

    /** {@code 7} i32, {@code 7L} i64, {@code 1.5f} f32, {@code 1.5} f64; a leading '-' was already consumed. */
    private Expr number(Token t, boolean negative) {
        String text = t.text();
        String sign = negative ? "-" : "";
        if (text.endsWith("L") && text.substring(0, text.length() - 1).matches("[0-9]+")) {
            return new Expr.IntLit(parseLong(t, sign + text.substring(0, text.length() - 1)), LType.I64);
        }
        if (text.matches("[0-9]+")) {
            // An i32 literal out of range is the verifier's to report, so that any record prints and parses.
            return new Expr.IntLit(parseLong(t, sign + text), LType.I32);
        }
        boolean f32 = text.endsWith("f");
        String digits = f32 ? text.substring(0, text.length() - 1) : text;
        if (TokenCursor.isDecimal(digits)) {
            return new Expr.FloatLit(Double.parseDouble(sign + digits), f32 ? LType.F32 : LType.F64);
        }
        throw c.error(t, "bad number " + t.describe());
    }

    private long parseLong(Token t, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw c.error(t, "integer literal " + t.describe() + " out of range");
        }
    }
}
