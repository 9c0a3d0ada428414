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

    private final TokenStream in;
    private final String[] lines;

    // Nested { } blocks may redeclare a register (nvcc's %temp); each declaration gets a unique name.
    private final Deque<Map<String, String>> scopes = new ArrayDeque<>();
    private final Map<String, Integer> declaredCount = new HashMap<>();

    private Parser(String src) {
        this.in = new TokenStream(Lexer.lex(src));
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
        while (in.peek().kind() != Token.Kind.EOF) {
            Token t = in.next();
            if (t.kind() != Token.Kind.DIRECTIVE) {
                throw error(t, "expected a directive at module scope, found " + t);
            }
            switch (t.text()) {
                case ".version" -> version = in.next().text();
                case ".target" -> {
                    StringBuilder sb = new StringBuilder(in.next().text());
                    while (in.peek().is(",")) {
                        in.next();
                        sb.append(',').append(in.next().text());
                    }
                    target = sb.toString();
                }
                case ".address_size" -> {
                    addressSize = (int) TokenStream.intLiteral(in.next());
                    if (addressSize != 64) {
                        throw error(t, "only .address_size 64 is supported");
                    }
                }
                case ".file", ".loc" -> in.skipLine(t.line());
                case ".pragma" -> in.skipPast(";");
                case ".visible", ".extern", ".weak", ".common" -> {
                    Token n = in.peek();
                    if (t.text().equals(".extern") && n.kind() == Token.Kind.DIRECTIVE
                            && (n.text().equals(".shared") || n.text().equals(".global") || n.text().equals(".const"))) {
                        globals.add(variable(spaceOf(in.next()), true));
                        in.expect(";");
                    }
                }
                case ".entry" -> entries.add(entry());
                case ".func" -> functions.add(skipFunction());
                case ".global", ".const", ".shared" -> {
                    globals.add(variable(spaceOf(t), false));
                    in.expect(";");
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
        while (!in.peek().is("{") && !in.peek().is(";")) {
            Token t = in.next();
            if (t.kind() == Token.Kind.EOF) {
                throw error(t, "unterminated .func");
            }
            if (t.kind() == Token.Kind.IDENT && name == null && !in.peek().is(")")) {
                name = t;
            }
        }
        if (in.next().is("{")) {
            int depth = 1;
            while (depth > 0) {
                Token t = in.next();
                if (t.kind() == Token.Kind.EOF) {
                    throw error(t, "unterminated .func body");
                }
                depth += t.is("{") ? 1 : t.is("}") ? -1 : 0;
            }
        }
        return name == null ? "?" : name.text();
    }

    private Ast.Entry entry() {
        Token name = in.next();
        if (name.kind() != Token.Kind.IDENT) {
            throw error(name, "expected an entry name");
        }
        List<Ast.Param> params = new ArrayList<>();
        if (in.peek().is("(")) {
            in.next();
            while (!in.peek().is(")")) {
                params.add(param());
                if (in.peek().is(",")) {
                    in.next();
                }
            }
            in.next();
        }
        // performance tuning directives (.maxntid 256, 1, 1 ...) do not change semantics
        while (!in.peek().is("{")) {
            Token t = in.next();
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
        Token d = in.next();
        if (!d.text().equals(".param")) {
            throw error(d, "expected .param, found " + d);
        }
        int align = 0;
        PtxType type = null;
        while (in.peek().kind() == Token.Kind.DIRECTIVE) {
            Token m = in.next();
            switch (m.text()) {
                case ".align" -> align = (int) TokenStream.intLiteral(in.next());
                case ".ptr", ".global", ".shared", ".const", ".local" -> { }
                default -> {
                    type = PtxType.fromModifier(m.text().substring(1));
                    if (type == null) {
                        throw error(m, "unsupported parameter attribute " + m.text());
                    }
                }
            }
        }
        Token name = in.next();
        if (type == null || name.kind() != Token.Kind.IDENT) {
            throw error(name, "malformed .param declaration");
        }
        int bytes = type.bytes();
        boolean array = false;
        while (in.peek().is("[")) {
            in.next();
            bytes *= (int) TokenStream.intLiteral(in.next());
            in.expect("]");
            array = true;
        }
        return new Ast.Param(name.text(), type, align == 0 ? type.bytes() : align, bytes, array, name.line());
    }

    private void block(List<Ast.Var> vars, List<Ast.Reg> regs, List<Ast.Stmt> body) {
        in.expect("{");
        scopes.push(new HashMap<>());
        while (!in.peek().is("}")) {
            Token t = in.peek();
            if (t.kind() == Token.Kind.EOF) {
                throw error(t, "missing '}'");
            }
            if (t.is("{")) {
                block(vars, regs, body);
            } else if (t.kind() == Token.Kind.DIRECTIVE) {
                in.next();
                switch (t.text()) {
                    case ".reg" -> registers(regs);
                    case ".local", ".shared", ".const", ".global" -> {
                        vars.add(variable(spaceOf(t), false));
                        in.expect(";");
                    }
                    case ".loc", ".file" -> in.skipLine(t.line());
                    case ".pragma" -> in.skipPast(";");
                    default -> throw error(t, "unsupported directive " + t.text() + " in an entry body");
                }
            } else if (t.kind() == Token.Kind.IDENT && in.peek(1).is(":")) {
                in.next();
                in.next();
                body.add(new Ast.Label(t.text(), t.line()));
            } else {
                body.add(instruction());
            }
        }
        in.next();
        scopes.pop();
    }

    private void registers(List<Ast.Reg> regs) {
        Token tt = in.next();
        PtxType type = tt.kind() == Token.Kind.DIRECTIVE ? PtxType.fromModifier(tt.text().substring(1)) : null;
        if (type == null) {
            throw error(tt, "unsupported register type " + tt.text());
        }
        do {
            Token name = in.next();
            if (name.kind() != Token.Kind.REGISTER) {
                throw error(name, "expected a register name, found " + name);
            }
            if (in.peek().is("<")) {
                in.next();
                long n = TokenStream.intLiteral(in.next());
                in.expect(">");
                for (long i = 0; i < n; i++) {
                    regs.add(new Ast.Reg(declare(name.text() + i), type, name.line()));
                }
            } else {
                regs.add(new Ast.Reg(declare(name.text()), type, name.line()));
            }
        } while (in.next().is(","));
        if (!in.previous().is(";")) {
            throw error(in.previous(), "expected ';' after register declaration");
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
        while (in.peek().kind() == Token.Kind.DIRECTIVE) {
            Token m = in.next();
            if (m.text().equals(".align")) {
                align = (int) TokenStream.intLiteral(in.next());
            } else if (!m.text().equals(".extern") && !m.text().equals(".visible")) {
                type = PtxType.fromModifier(m.text().substring(1));
                if (type == null || type == PtxType.PRED) {
                    throw error(m, "unsupported variable type " + m.text());
                }
            }
        }
        Token name = in.next();
        if (type == null || name.kind() != Token.Kind.IDENT) {
            throw error(name, "malformed variable declaration");
        }
        long bytes = type.bytes();
        while (in.peek().is("[")) {
            in.next();
            if (in.peek().is("]")) {
                in.next();
                bytes = -1;
            } else {
                bytes *= TokenStream.intLiteral(in.next());
                in.expect("]");
            }
        }
        byte[] init = null;
        if (in.peek().is("=")) {
            in.next();
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
            while (in.peek().is("{")) {
                in.next();
                braces.push(true);
            }
            if (!braces.isEmpty() && in.peek().is("}")) {
                in.next();
                braces.pop();
                continue;
            }
            Ast.Operand v = in.immediate();
            long bits;
            if (type.isFloat()) {
                double d = switch (v) {
                    case Ast.IntImm i -> i.value();
                    case Ast.FloatImm f -> f.single() ? Float.intBitsToFloat((int) f.bits()) : Double.longBitsToDouble(f.bits());
                    default -> throw error(name, "bad initializer");
                };
                bits = switch (type) {
                    case F64 -> Double.doubleToRawLongBits(d);
                    case F32 -> Float.floatToRawIntBits((float) d) & 0xffffffffL;
                    case F16 -> Fp.narrow(d, Fp.Format.F16, Fp.Rnd.RN);
                    case BF16 -> Fp.narrow(d, Fp.Format.BF16, Fp.Rnd.RN);
                    default -> throw error(name, "unsupported initializer type " + type.spelling());
                };
            } else if (v instanceof Ast.IntImm i) {
                bits = i.value();
            } else {
                throw error(name, "integer variable " + name.text() + " has a non-integer initializer");
            }
            for (int b = 0; b < type.bytes(); b++) {
                out.write((int) (bits >>> (8 * b)));
            }
            while (!braces.isEmpty() && in.peek().is("}")) {
                in.next();
                braces.pop();
            }
        } while (!braces.isEmpty() && in.next().is(","));
        if (!braces.isEmpty()) {
            throw error(in.peek(), "malformed initializer of " + name.text());
        }
        byte[] b = out.toByteArray();
        if (bytes >= 0 && b.length > bytes) {
            throw error(name, "initializer of " + name.text() + " is larger than the variable");
        }
        return b;
    }

    private Ast.Instr instruction() {
        Token first = in.next();
        String guard = null;
        boolean negated = false;
        if (first.is("@")) {
            if (in.peek().is("!")) {
                in.next();
                negated = true;
            }
            Token g = in.next();
            if (g.kind() != Token.Kind.REGISTER) {
                throw error(g, "expected a guard predicate register");
            }
            guard = resolve(g.text());
            first = in.next();
        }
        if (first.kind() != Token.Kind.IDENT) {
            throw error(first, "expected an instruction, found " + first);
        }
        List<String> mods = new ArrayList<>();
        while (in.peek().kind() == Token.Kind.DIRECTIVE && !in.peek().spaceBefore()) {
            mods.add(in.next().text().substring(1));
        }
        List<Ast.Operand> ops = new ArrayList<>();
        if (first.text().equals("call")) {
            // call's (ret), func, (args) syntax is not modelled: the linker rejects the call itself
            in.skipPast(";");
            int line = first.line();
            return new Ast.Instr(line, lines[line - 1].trim(), guard, negated, first.text(), mods, ops);
        }
        if (in.peek().is("}") || in.peek().kind() == Token.Kind.EOF) {
            throw error(in.peek(), "expected ';' after instruction " + first.text() + ", found " + in.peek());
        }
        if (!in.peek().is(";")) {
            ops.add(operand());
            while (in.peek().is(",")) {
                in.next();
                ops.add(operand());
            }
        }
        Token end = in.next();
        if (!end.is(";")) {
            throw error(end, "expected ';' after instruction " + first.text() + ", found " + end);
        }
        int line = first.line();
        return new Ast.Instr(line, lines[line - 1].trim(), guard, negated, first.text(), mods, ops);
    }

    private Ast.Operand operand() {
        Token t = in.peek();
        if (t.is("[")) {
            in.next();
            Ast.Operand base = null;
            long offset = 0;
            Token b = in.next();
            switch (b.kind()) {
                case REGISTER -> base = new Ast.RegOp(resolve(b.text()));
                case IDENT -> base = new Ast.Sym(b.text(), 0);
                case INT -> offset = TokenStream.intLiteral(b);
                default -> throw error(b, "malformed address");
            }
            if (in.peek().is("+") || in.peek().is("-")) {
                offset += offsetTerm();
            }
            in.expect("]");
            return new Ast.Addr(base, offset);
        }
        if (t.is("{")) {
            in.next();
            List<Ast.Operand> elems = new ArrayList<>();
            do {
                elems.add(operand());
            } while (in.next().is(","));
            if (!in.previous().is("}")) {
                throw error(in.previous(), "expected '}' closing a vector operand");
            }
            return new Ast.Vec(elems);
        }
        if (t.is("!")) {
            in.next();
            Token r = in.next();
            if (r.kind() != Token.Kind.REGISTER) {
                throw error(r, "expected a predicate after '!'");
            }
            return new Ast.NotOp(new Ast.RegOp(resolve(r.text())));
        }
        if (t.kind() == Token.Kind.REGISTER) {
            in.next();
            Ast.RegOp r = new Ast.RegOp(resolve(t.text()));
            if (in.peek().is("|")) {
                in.next();
                Token pr = in.next();
                if (pr.kind() != Token.Kind.REGISTER) {
                    throw error(pr, "expected a predicate after '|'");
                }
                return new Ast.PredOut(r, new Ast.RegOp(resolve(pr.text())));
            }
            return r;
        }
        if (t.kind() == Token.Kind.IDENT) {
            in.next();
            if (t.text().equals("_")) {
                return new Ast.Sink();
            }
            long offset = in.peek().is("+") || in.peek().is("-") ? offsetTerm() : 0;
            return new Ast.Sym(t.text(), offset);
        }
        return in.immediate();
    }

    private long offsetTerm() {
        long sign = 1;
        while (in.peek().is("+") || in.peek().is("-")) {
            if (in.next().is("-")) {
                sign = -sign;
            }
        }
        return sign * TokenStream.intLiteral(in.next());
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


    private static PtxException error(Token t, String message) {
        return TokenStream.error(t, message);
    }
}
