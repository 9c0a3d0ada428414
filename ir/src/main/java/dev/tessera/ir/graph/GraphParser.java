package dev.tessera.ir.graph;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.CompileException;
import dev.tessera.ir.DType;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.Dim;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.Shape;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.UnaryOp;
import dev.tessera.ir.graph.GraphLexer.Kind;
import dev.tessera.ir.graph.GraphLexer.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the text {@link GraphPrinter} writes back into a {@link GraphModule}. Instructions and kernels get
 * spans into the text. Syntax errors, undefined or redefined values and a return that disagrees with the
 * signature are {@link CompileException}s here; typing and fusion-group checks are left to
 * {@link GraphVerifier}, so that ill-typed IR can still be read and reported with all its errors.
 */
public final class GraphParser {

    /** Float literals as {@link Double#toString} and people write them; no hex, no {@code d}/{@code f} suffix. */
    private static final Pattern FLOAT = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern UINT = Pattern.compile("\\d+");

    private final List<Token> tokens;
    private final String file;
    private int pos;
    private Token last;

    private GraphParser(String text, String file) {
        this.file = file;
        this.tokens = GraphLexer.tokenize(text, file);
    }

    public static GraphModule parse(String text) {
        return parse(text, "<ir>");
    }

    /** @param file the name spans carry, for messages such as {@code softmax.gir:3:7: error: ...} */
    public static GraphModule parse(String text, String file) {
        return new GraphParser(text, file).module();
    }

    private GraphModule module() {
        List<GraphKernel> kernels = new ArrayList<>();
        while (peek().kind() != Kind.EOF) {
            kernels.add(kernel());
        }
        return new GraphModule(kernels);
    }

    private GraphKernel kernel() {
        Token start = expectWord("kernel");
        Token nameTok = expect(Kind.SYMBOL, "a kernel name such as '@softmax'");
        if (!GraphKernel.NAME.matcher(nameTok.text()).matches()) {
            throw error(nameTok, "bad kernel name '@" + nameTok.text() + "'");
        }
        SourceSpan span = between(start, nameTok);
        Map<String, Value> defined = new HashMap<>();
        Map<String, Token> definedAt = new HashMap<>();
        List<Value> params = new ArrayList<>();
        expectPunct("(");
        if (!peek().is(")")) {
            do {
                Token p = expect(Kind.VALUE, "a parameter such as '%x'");
                expectPunct(":");
                Value v = new Value(p.text(), type());
                define(v, p, defined, definedAt);
                params.add(v);
            } while (acceptPunct(","));
        }
        expectPunct(")");
        expectPunct("->");
        expectPunct("(");
        List<TensorType> resultTypes = new ArrayList<>();
        List<Token> resultTypeTokens = new ArrayList<>();
        if (!peek().is(")")) {
            do {
                resultTypeTokens.add(peek());
                resultTypes.add(type());
            } while (acceptPunct(","));
        }
        expectPunct(")");
        expectPunct("{");
        List<Instr> body = new ArrayList<>();
        while (peek().kind() == Kind.VALUE) {
            Token resultTok = peek();
            Instr i = instr(defined);
            define(i.result(), resultTok, defined, definedAt);
            body.add(i);
        }
        Token ret = expectWord("return");
        List<Value> results = new ArrayList<>();
        List<Token> resultTokens = new ArrayList<>();
        if (peek().kind() == Kind.VALUE) {
            do {
                resultTokens.add(peek());
                results.add(use(next(), defined));
            } while (acceptPunct(","));
        }
        checkResults(ret, results, resultTokens, resultTypes, resultTypeTokens);
        List<FusionGroup> fusions = new ArrayList<>();
        while (peek().is("fuse")) {
            fusions.add(fusion());
        }
        expectPunct("}");
        return new GraphKernel(nameTok.text(), params, body, results, fusions, span);
    }

    private void checkResults(Token ret, List<Value> results, List<Token> resultTokens,
                              List<TensorType> declared, List<Token> declaredTokens) {
        if (results.size() != declared.size()) {
            throw error(ret, "return has " + results.size() + " value(s) but the signature declares "
                    + declared.size());
        }
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).type().equals(declared.get(i))) {
                throw new CompileException(List.of(new Diagnostic(Diagnostic.Severity.ERROR,
                        resultTokens.get(i).span(file), "returned " + results.get(i) + " has type "
                        + results.get(i).type() + " but the signature declares " + declared.get(i),
                        List.of("declared at " + declaredTokens.get(i).span(file)))));
            }
        }
    }

    private void define(Value v, Token at, Map<String, Value> defined, Map<String, Token> definedAt) {
        Token previous = definedAt.putIfAbsent(v.name(), at);
        if (previous != null) {
            throw new CompileException(List.of(new Diagnostic(Diagnostic.Severity.ERROR, at.span(file),
                    "redefinition of " + v, List.of("first defined at " + previous.span(file)))));
        }
        defined.put(v.name(), v);
    }

    private Value use(Token t, Map<String, Value> defined) {
        if (t.kind() != Kind.VALUE) {
            throw error(t, "expected a value such as '%x', found " + t.describe());
        }
        Value v = defined.get(t.text());
        if (v == null) {
            throw error(t, "use of undefined value %" + t.text());
        }
        return v;
    }

    private Value operand(Map<String, Value> defined) {
        return use(next(), defined);
    }

    private Instr instr(Map<String, Value> defined) {
        Token first = next();
        expectPunct("=");
        Token opTok = expect(Kind.IDENT, "an op name");
        Function<TensorType, Op> op = op(opTok, defined);
        expectPunct(":");
        TensorType type = type();
        return new Instr(new Value(first.text(), type), op.apply(type), between(first, last));
    }

    /** The op after {@code =}; cast and const need the result type, which follows, hence the function. */
    private Function<TensorType, Op> op(Token opTok, Map<String, Value> defined) {
        String name = opTok.text();
        switch (name) {
            case "select" -> {
                Value c = operand(defined);
                expectPunct(",");
                Value a = operand(defined);
                expectPunct(",");
                Value b = operand(defined);
                return t -> new Op.Select(c, a, b);
            }
            case "cast" -> {
                Value x = operand(defined);
                return t -> new Op.Cast(t.dtype(), x);
            }
            case "const" -> {
                double v = literal(next());
                return t -> new Op.Constant(v);
            }
            case "matmul" -> {
                Value a = operand(defined);
                expectPunct(",");
                Value b = operand(defined);
                return t -> new Op.MatMul(a, b);
            }
            case "transpose" -> {
                Value x = operand(defined);
                List<Integer> perm = intListAttr("perm");
                return t -> new Op.Transpose(x, perm);
            }
            case "reshape" -> {
                Value x = operand(defined);
                return t -> new Op.Reshape(x);
            }
            case "broadcast_to" -> {
                Value x = operand(defined);
                return t -> new Op.BroadcastTo(x);
            }
            default -> {
                return generic(opTok, defined);
            }
        }
    }

    private Function<TensorType, Op> generic(Token opTok, Map<String, Value> defined) {
        String name = opTok.text();
        if (name.startsWith("reduce.")) {
            ReduceOp r = ReduceOp.parse(name.substring("reduce.".length()))
                    .orElseThrow(() -> error(opTok, "unknown reduction '" + name + "'"));
            Value x = operand(defined);
            List<Integer> axes = intListAttr("axes");
            boolean keepdim = false;
            if (peek().is("keepdim")) {
                next();
                expectPunct("=");
                Token b = expect(Kind.IDENT, "true or false");
                if (!b.is("true") && !b.is("false")) {
                    throw error(b, "expected true or false, found " + b.describe());
                }
                keepdim = b.is("true");
            }
            boolean kd = keepdim;
            return t -> new Op.Reduce(r, x, axes, kd);
        }
        Optional<UnaryOp> u = UnaryOp.parse(name);
        if (u.isPresent()) {
            Value x = operand(defined);
            return t -> new Op.Unary(u.get(), x);
        }
        Optional<BinaryOp> bin = BinaryOp.parse(name);
        if (bin.isPresent()) {
            Value a = operand(defined);
            expectPunct(",");
            Value b = operand(defined);
            return t -> new Op.Binary(bin.get(), a, b);
        }
        throw error(opTok, "unknown op '" + name + "'");
    }

    private FusionGroup fusion() {
        next();
        Token name = expect(Kind.SYMBOL, "a fusion group name such as '@k_0'");
        if (!GraphKernel.NAME.matcher(name.text()).matches()) {
            throw error(name, "bad fusion group name '@" + name.text() + "'");
        }
        Token kind = expect(Kind.IDENT, "a fusion kind (" + String.join(", ", FusionGroup.KINDS) + ")");
        if (!FusionGroup.KINDS.contains(kind.text())) {
            throw error(kind, "unknown fusion kind '" + kind.text() + "', expected one of "
                    + String.join(", ", FusionGroup.KINDS));
        }
        expectPunct("[");
        List<String> members = new ArrayList<>();
        if (!peek().is("]")) {
            do {
                members.add(expect(Kind.VALUE, "a member value such as '%x'").text());
            } while (acceptPunct(","));
        }
        expectPunct("]");
        return new FusionGroup(name.text(), kind.text(), members);
    }

    private TensorType type() {
        Token d = expect(Kind.IDENT, "a dtype such as 'f32'");
        DType dtype = DType.parse(d.text()).orElseThrow(() -> error(d, "unknown dtype '" + d.text() + "'"));
        expectPunct("[");
        List<Dim> dims = new ArrayList<>();
        if (!peek().is("]")) {
            do {
                Token t = next();
                if (t.kind() == Kind.NUMBER && UINT.matcher(t.text()).matches()) {
                    dims.add(Dim.of(parseLong(t)));
                } else if (t.kind() == Kind.IDENT && Dim.NAME.matcher(t.text()).matches()) {
                    dims.add(Dim.of(t.text()));
                } else {
                    throw error(t, "expected a dimension (a size or a name such as N), found " + t.describe());
                }
            } while (acceptPunct(","));
        }
        expectPunct("]");
        return new TensorType(dtype, new Shape(dims));
    }

    private List<Integer> intListAttr(String attr) {
        Token a = peek();
        if (!a.is(attr)) {
            throw error(a, "expected '" + attr + "=[...]', found " + a.describe());
        }
        next();
        expectPunct("=");
        expectPunct("[");
        List<Integer> xs = new ArrayList<>();
        if (!peek().is("]")) {
            do {
                Token t = next();
                if (t.kind() != Kind.NUMBER || !UINT.matcher(t.text()).matches()) {
                    throw error(t, "expected a non-negative integer, found " + t.describe());
                }
                long v = parseLong(t);
                if (v > Integer.MAX_VALUE) {
                    throw error(t, "integer " + t.text() + " is too large");
                }
                xs.add((int) v);
            } while (acceptPunct(","));
        }
        expectPunct("]");
        return xs;
    }

    private double literal(Token t) {
        if (t.kind() == Kind.IDENT || t.kind() == Kind.NUMBER) {
            switch (t.text()) {
                case "inf" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-inf" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                case "nan" -> {
                    return Double.NaN;
                }
                case "true" -> {
                    return 1;
                }
                case "false" -> {
                    return 0;
                }
                default -> {
                    if (FLOAT.matcher(t.text()).matches()) {
                        return Double.parseDouble(t.text());
                    }
                }
            }
        }
        throw error(t, "expected a literal (number, inf, -inf, nan, true or false), found " + t.describe());
    }

    private long parseLong(Token t) {
        try {
            return Long.parseLong(t.text());
        } catch (NumberFormatException e) {
            throw error(t, "integer " + t.text() + " is too large");
        }
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Kind.EOF) {
            pos++;
        }
        last = t;
        return t;
    }

    private Token expect(Kind kind, String what) {
        Token t = next();
        if (t.kind() != kind) {
            throw error(t, "expected " + what + ", found " + t.describe());
        }
        return t;
    }

    private Token expectWord(String word) {
        Token t = next();
        if (!(t.kind() == Kind.IDENT && t.text().equals(word))) {
            throw error(t, "expected '" + word + "', found " + t.describe());
        }
        return t;
    }

    private void expectPunct(String p) {
        Token t = next();
        if (!(t.kind() == Kind.PUNCT && t.text().equals(p))) {
            throw error(t, "expected '" + p + "', found " + t.describe());
        }
    }

    private boolean acceptPunct(String p) {
        if (peek().kind() == Kind.PUNCT && peek().text().equals(p)) {
            next();
            return true;
        }
        return false;
    }

    private SourceSpan between(Token a, Token b) {
        return new SourceSpan(file, a.line(), a.column(), b.line(), b.column() + b.length() - 1);
    }

    private CompileException error(Token t, String message) {
        return new CompileException(t.span(file), message);
    }
}
