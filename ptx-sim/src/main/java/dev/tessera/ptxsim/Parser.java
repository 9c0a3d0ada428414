package dev.tessera.ptxsim;

import dev.tessera.ptxsim.Ast.Space;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Recursive-descent parser from PTX tokens to {@link Ast.Module}; rejects what it does not understand. */
final class Parser {

    private final List<Token> toks;
    private final String[] lines;
    private int p;

    // Nested { } blocks may redeclare a register (nvcc's %temp); each declaration gets a unique name.
    private final Deque<Map<String, String>> scopes = new ArrayDeque<>();
    private final Map<String, Integer> declaredCount = new HashMap<>();

    private Parser(String src) {
        this.toks = Lexer.lex(src);
        this.lines = src.split("\n", -1);
    }

    static Ast.Module parse(String src) {
        return new Parser(src).module();
    }

    private Ast.Module module() {
        String version = null;
        String target = null;
        int addressSize = 64;
        List<Ast.Entry> entries = new ArrayList<>();
        List<Ast.Var> globals = new ArrayList<>();
        List<String> functions = new ArrayList<>();
        while (peek().kind() != Token.Kind.EOF) {
            Token t = next();
            if (t.kind() != Token.Kind.DIRECTIVE) {
                throw error(t, "expected a directive at module scope, found " + t);
            }
            switch (t.text()) {
                case ".version" -> version = next().text();
                case ".target" -> {
                    StringBuilder sb = new StringBuilder(next().text());
                    while (peek().is(",")) {
                        next();
                        sb.append(',').append(next().text());
                    }
                    target = sb.toString();
                }
                case ".address_size" -> {
                    addressSize = (int) intLiteral(next());
                    if (addressSize != 64) {
                        throw error(t, "only .address_size 64 is supported");
                    }
                }
                case ".file", ".loc" -> skipLine(t.line());
                case ".pragma" -> skipPast(";");
                case ".visible", ".extern", ".weak", ".common" -> {
                    Token n = peek();
                    if (t.text().equals(".extern") && n.kind() == Token.Kind.DIRECTIVE
                            && (n.text().equals(".shared") || n.text().equals(".global") || n.text().equals(".const"))) {
                        globals.add(variable(spaceOf(next()), true));
                        expect(";");
                    }
                }
                case ".entry" -> entries.add(entry());
                case ".func" -> functions.add(skipFunction());
                case ".global", ".const", ".shared" -> {
                    globals.add(variable(spaceOf(t), false));
                    expect(";");
                }
                default -> throw error(t, "unsupported module directive " + t.text());
            }
        }
        if (version == null || target == null) {
            throw new PtxException(1, "PTX module lacks .version or .target");
        }
        return new Ast.Module(version, target, addressSize, entries, globals, functions);
    }

    private String skipFunction() {
        // .func bodies are kept out of the model: a call to one fails loudly when compiled
        Token name = null;
        while (!peek().is("{") && !peek().is(";")) {
            Token t = next();
            if (t.kind() == Token.Kind.EOF) {
                throw error(t, "unterminated .func");
            }
            if (t.kind() == Token.Kind.IDENT && name == null && !peek().is(")")) {
                name = t;
            }
        }
        if (next().is("{")) {
            int depth = 1;
            while (depth > 0) {
                Token t = next();
                if (t.kind() == Token.Kind.EOF) {
                    throw error(t, "unterminated .func body");
                }
                depth += t.is("{") ? 1 : t.is("}") ? -1 : 0;
            }
        }
        return name == null ? "?" : name.text();
    }

    private Ast.Entry entry() {
        Token name = next();
        if (name.kind() != Token.Kind.IDENT) {
            throw error(name, "expected an entry name");
        }
        List<Ast.Param> params = new ArrayList<>();
        if (peek().is("(")) {
            next();
            while (!peek().is(")")) {
                params.add(param());
                if (peek().is(",")) {
                    next();
                }
            }
            next();
        }
        // performance tuning directives (.maxntid 256, 1, 1 ...) do not change semantics
        while (!peek().is("{")) {
            Token t = next();
            if (t.kind() == Token.Kind.EOF) {
                throw error(t, "expected the body of entry " + name.text());
            }
        }
        List<Ast.Var> vars = new ArrayList<>();
        List<Ast.Reg> regs = new ArrayList<>();
        List<Ast.Stmt> body = new ArrayList<>();
        scopes.clear();
        declaredCount.clear();
        block(vars, regs, body);
        return new Ast.Entry(name.text(), name.line(), params, vars, regs, body);
    }

    private Ast.Param param() {
        Token d = next();
        if (!d.text().equals(".param")) {
            throw error(d, "expected .param, found " + d);
        }
        int align = 0;
        PtxType type = null;
        while (peek().kind() == Token.Kind.DIRECTIVE) {
            Token m = next();
            switch (m.text()) {
                case ".align" -> align = (int) intLiteral(next());
                case ".ptr", ".global", ".shared", ".const", ".local" -> { }
                default -> {
                    type = PtxType.fromModifier(m.text().substring(1));
                    if (type == null) {
                        throw error(m, "unsupported parameter attribute " + m.text());
                    }
                }
            }
        }
        Token name = next();
        if (type == null || name.kind() != Token.Kind.IDENT) {
            throw error(name, "malformed .param declaration");
        }
        int bytes = type.bytes();
        boolean array = false;
        while (peek().is("[")) {
            next();
            bytes *= (int) intLiteral(next());
            expect("]");
            array = true;
        }
        return new Ast.Param(name.text(), type, align == 0 ? type.bytes() : align, bytes, array, name.line());
    }

    private void block(List<Ast.Var> vars, List<Ast.Reg> regs, List<Ast.Stmt> body) {
        expect("{");
        scopes.push(new HashMap<>());
        while (!peek().is("}")) {
            Token t = peek();
            if (t.kind() == Token.Kind.EOF) {
                throw error(t, "missing '}'");
            }
            if (t.is("{")) {
                block(vars, regs, body);
            } else if (t.kind() == Token.Kind.DIRECTIVE) {
                next();
                switch (t.text()) {
                    case ".reg" -> registers(regs);
                    case ".local", ".shared", ".const", ".global" -> {
                        vars.add(variable(spaceOf(t), false));
                        expect(";");
                    }
                    case ".loc", ".file" -> skipLine(t.line());
                    case ".pragma" -> skipPast(";");
                    default -> throw error(t, "unsupported directive " + t.text() + " in an entry body");
                }
            } else if (t.kind() == Token.Kind.IDENT && toks.get(p + 1).is(":")) {
                next();
                next();
                body.add(new Ast.Label(t.text(), t.line()));
            } else {
                body.add(instruction());
            }
        }
        next();
        scopes.pop();
    }

    private void registers(List<Ast.Reg> regs) {
        Token tt = next();
        PtxType type = tt.kind() == Token.Kind.DIRECTIVE ? PtxType.fromModifier(tt.text().substring(1)) : null;
        if (type == null) {
            throw error(tt, "unsupported register type " + tt.text());
        }
        do {
            Token name = next();
            if (name.kind() != Token.Kind.REGISTER) {
                throw error(name, "expected a register name, found " + name);
            }
            if (peek().is("<")) {
                next();
                long n = intLiteral(next());
                expect(">");
                for (long i = 0; i < n; i++) {
                    regs.add(new Ast.Reg(declare(name.text() + i), type, name.line()));
                }
            } else {
                regs.add(new Ast.Reg(declare(name.text()), type, name.line()));
            }
        } while (next().is(","));
        if (!toks.get(p - 1).is(";")) {
            throw error(toks.get(p - 1), "expected ';' after register declaration");
        }
    }

    private String declare(String name) {
        int n = declaredCount.merge(name, 1, Integer::sum);
        String unique = n == 1 ? name : name + "#" + n;
        scopes.peek().put(name, unique);
        return unique;
    }

    private String resolve(String name) {
        for (Map<String, String> s : scopes) {
            String u = s.get(name);
            if (u != null) {
                return u;
            }
        }
        return name;
    }

    private Ast.Var variable(Space space, boolean external) {
        int align = 0;
        PtxType type = null;
        while (peek().kind() == Token.Kind.DIRECTIVE) {
            Token m = next();
            if (m.text().equals(".align")) {
                align = (int) intLiteral(next());
            } else if (!m.text().equals(".extern") && !m.text().equals(".visible")) {
                type = PtxType.fromModifier(m.text().substring(1));
                if (type == null || type == PtxType.PRED) {
                    throw error(m, "unsupported variable type " + m.text());
                }
            }
        }
        Token name = next();
        if (type == null || name.kind() != Token.Kind.IDENT) {
            throw error(name, "malformed variable declaration");
        }
        long bytes = type.bytes();
        while (peek().is("[")) {
            next();
            if (peek().is("]")) {
                next();
                bytes = -1;
            } else {
                bytes *= intLiteral(next());
                expect("]");
            }
        }
        byte[] init = null;
        if (peek().is("=")) {
            next();
            init = initializer(type, bytes, name);
        }
        if (bytes < 0 && !(external && space == Space.SHARED)) {
            throw error(name, "unsized array " + name.text() + " is only supported as .extern .shared");
        }
        return new Ast.Var(space, name.text(), type, align == 0 ? type.bytes() : align, bytes, init, name.line());
    }

    private byte[] initializer(PtxType type, long bytes, Token name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deque<Boolean> braces = new ArrayDeque<>();
        do {
            while (peek().is("{")) {
                next();
                braces.push(true);
            }
            if (!braces.isEmpty() && peek().is("}")) {
                next();
                braces.pop();
                continue;
            }
            Ast.Operand v = immediate();
            long bits;
            if (type.isFloat()) {
                double d = switch (v) {
                    case Ast.IntImm i -> i.value();
                    case Ast.FloatImm f -> f.single() ? Float.intBitsToFloat((int) f.bits()) : Double.longBitsToDouble(f.bits());
                    default -> throw error(name, "bad initializer");
                };
                bits = type == PtxType.F64 ? Double.doubleToRawLongBits(d)
                        : type == PtxType.F32 ? Float.floatToRawIntBits((float) d) & 0xffffffffL
                        : Fp.f32ToF16((float) d, Fp.Rnd.RN) & 0xffffL;
            } else if (v instanceof Ast.IntImm i) {
                bits = i.value();
            } else {
                throw error(name, "integer variable " + name.text() + " has a non-integer initializer");
            }
            for (int b = 0; b < type.bytes(); b++) {
                out.write((int) (bits >>> (8 * b)));
            }
            while (!braces.isEmpty() && peek().is("}")) {
                next();
                braces.pop();
            }
        } while (!braces.isEmpty() && next().is(","));
        if (!braces.isEmpty()) {
            throw error(peek(), "malformed initializer of " + name.text());
        }
        byte[] b = out.toByteArray();
        if (bytes >= 0 && b.length > bytes) {
            throw error(name, "initializer of " + name.text() + " is larger than the variable");
        }
        return b;
    }

    private Ast.Operand immediate() {
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

    private Ast.Instr instruction() {
        Token first = next();
        String guard = null;
        boolean negated = false;
        if (first.is("@")) {
            if (peek().is("!")) {
                next();
                negated = true;
            }
            Token g = next();
            if (g.kind() != Token.Kind.REGISTER) {
                throw error(g, "expected a guard predicate register");
            }
            guard = resolve(g.text());
            first = next();
        }
        if (first.kind() != Token.Kind.IDENT) {
            throw error(first, "expected an instruction, found " + first);
        }
        List<String> mods = new ArrayList<>();
        while (peek().kind() == Token.Kind.DIRECTIVE && !peek().spaceBefore()) {
            mods.add(next().text().substring(1));
        }
        List<Ast.Operand> ops = new ArrayList<>();
        if (first.text().equals("call")) {
            // call's (ret), func, (args) syntax is not modelled: the linker rejects the call itself
            skipPast(";");
            int line = first.line();
            return new Ast.Instr(line, lines[line - 1].trim(), guard, negated, first.text(), mods, ops);
        }
        if (peek().is("}") || peek().kind() == Token.Kind.EOF) {
            throw error(peek(), "expected ';' after instruction " + first.text() + ", found " + peek());
        }
        if (!peek().is(";")) {
            ops.add(operand());
            while (peek().is(",")) {
                next();
                ops.add(operand());
            }
        }
        Token end = next();
        if (!end.is(";")) {
            throw error(end, "expected ';' after instruction " + first.text() + ", found " + end);
        }
        int line = first.line();
        return new Ast.Instr(line, lines[line - 1].trim(), guard, negated, first.text(), mods, ops);
    }

    private Ast.Operand operand() {
        Token t = peek();
        if (t.is("[")) {
            next();
            Ast.Operand base = null;
            long offset = 0;
            Token b = next();
            switch (b.kind()) {
                case REGISTER -> base = new Ast.RegOp(resolve(b.text()));
                case IDENT -> base = new Ast.Sym(b.text(), 0);
                case INT -> offset = intLiteral(b);
                default -> throw error(b, "malformed address");
            }
            if (peek().is("+") || peek().is("-")) {
                offset += offsetTerm();
            }
            expect("]");
            return new Ast.Addr(base, offset);
        }
        if (t.is("{")) {
            next();
            List<Ast.Operand> elems = new ArrayList<>();
            do {
                elems.add(operand());
            } while (next().is(","));
            if (!toks.get(p - 1).is("}")) {
                throw error(toks.get(p - 1), "expected '}' closing a vector operand");
            }
            return new Ast.Vec(elems);
        }
        if (t.is("!")) {
            next();
            Token r = next();
            if (r.kind() != Token.Kind.REGISTER) {
                throw error(r, "expected a predicate after '!'");
            }
            return new Ast.NotOp(new Ast.RegOp(resolve(r.text())));
        }
        if (t.kind() == Token.Kind.REGISTER) {
            next();
            Ast.RegOp r = new Ast.RegOp(resolve(t.text()));
            if (peek().is("|")) {
                next();
                Token pr = next();
                if (pr.kind() != Token.Kind.REGISTER) {
                    throw error(pr, "expected a predicate after '|'");
                }
                return new Ast.PredOut(r, new Ast.RegOp(resolve(pr.text())));
            }
            return r;
        }
        if (t.kind() == Token.Kind.IDENT) {
            next();
            if (t.text().equals("_")) {
                return new Ast.Sink();
            }
            long offset = peek().is("+") || peek().is("-") ? offsetTerm() : 0;
            return new Ast.Sym(t.text(), offset);
        }
        return immediate();
    }

    private long offsetTerm() {
        long sign = 1;
        while (peek().is("+") || peek().is("-")) {
            if (next().is("-")) {
                sign = -sign;
            }
        }
        return sign * intLiteral(next());
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

    private static Space spaceOf(Token t) {
        return switch (t.text()) {
            case ".global" -> Space.GLOBAL;
            case ".shared" -> Space.SHARED;
            case ".local" -> Space.LOCAL;
            case ".const" -> Space.CONST;
            default -> throw error(t, "unsupported state space " + t.text());
        };
    }

    private void skipLine(int line) {
        while (peek().kind() != Token.Kind.EOF && peek().line() == line) {
            next();
        }
    }

    private void skipPast(String punct) {
        while (!next().is(punct)) {
            if (toks.get(p - 1).kind() == Token.Kind.EOF) {
                throw error(toks.get(p - 1), "expected '" + punct + "'");
            }
        }
    }

    private void expect(String punct) {
        Token t = next();
        if (!t.is(punct)) {
            throw error(t, "expected '" + punct + "', found " + t);
        }
    }

    private Token peek() {
        return toks.get(p);
    }

    private Token next() {
        Token t = toks.get(p);
        if (t.kind() != Token.Kind.EOF) {
            p++;
        }
        return t;
    }

    private static PtxException error(Token t, String message) {
        return new PtxException(t.line(), message);
    }
}
