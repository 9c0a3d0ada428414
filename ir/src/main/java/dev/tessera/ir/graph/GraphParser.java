package dev.tessera.ir.graph;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.UnaryOp;
import dev.tessera.ir.text.PlanText;
import dev.tessera.ir.text.Token;
import dev.tessera.ir.text.TokenCursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the text {@link GraphPrinter} writes back into a {@link GraphModule}. Instructions and kernels get
 * spans into the text. Syntax errors, undefined or redefined values and a return that disagrees with the
 * signature are {@link CompileException}s here; typing and fusion-group checks are left to
 * {@link GraphVerifier}, so that ill-typed IR can still be read and reported with all its errors.
 */
public final class GraphParser {

    private final TokenCursor c;

    private GraphParser(String text, String file) {
        this.c = new TokenCursor(file, text);
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
        while (!c.atEnd()) {
            kernels.add(kernel());
        }
        return new GraphModule(kernels);
    }

    private GraphKernel kernel() {
        Token start = c.expectWord("kernel");
        Token nameTok = c.expect(Token.Kind.AT_NAME, "a kernel name such as '@softmax'");
        if (!GraphKernel.NAME.matcher(nameTok.text()).matches()) {
            throw c.error(nameTok, "bad kernel name '@" + nameTok.text() + "'");
        }
        SourceSpan span = c.spanFrom(start);
        Map<String, Value> defined = new HashMap<>();
        Map<String, Token> definedAt = new HashMap<>();
        List<Value> params = new ArrayList<>();
        c.expectPunct("(");
        if (!c.isPunct(")")) {
            do {
                Token p = c.expect(Token.Kind.PERCENT_NAME, "a parameter such as '%x'");
                c.expectPunct(":");
                Value v = new Value(p.text(), PlanText.parseType(c));
                define(v, p, defined, definedAt);
                params.add(v);
            } while (c.acceptPunct(","));
        }
        c.expectPunct(")");
        c.expectPunct("->");
        c.expectPunct("(");
        List<TensorType> resultTypes = new ArrayList<>();
        List<Token> resultTypeTokens = new ArrayList<>();
        if (!c.isPunct(")")) {
            do {
                resultTypeTokens.add(c.peek());
                resultTypes.add(PlanText.parseType(c));
            } while (c.acceptPunct(","));
        }
        c.expectPunct(")");
        c.expectPunct("{");
        List<Instr> body = new ArrayList<>();
        while (c.peek().kind() == Token.Kind.PERCENT_NAME) {
            Token resultTok = c.peek();
            Instr i = instr(defined);
            define(i.result(), resultTok, defined, definedAt);
            body.add(i);
        }
        Token ret = c.expectWord("return");
        List<Value> results = new ArrayList<>();
        List<Token> resultTokens = new ArrayList<>();
        if (c.peek().kind() == Token.Kind.PERCENT_NAME) {
            do {
                resultTokens.add(c.peek());
                results.add(operand(defined));
            } while (c.acceptPunct(","));
        }
        checkResults(ret, results, resultTokens, resultTypes, resultTypeTokens);
        List<FusionGroup> fusions = new ArrayList<>();
        while (c.isWord("fuse")) {
            fusions.add(fusion());
        }
        c.expectPunct("}");
        return new GraphKernel(nameTok.text(), params, body, results, fusions, span);
    }

    private void checkResults(Token ret, List<Value> results, List<Token> resultTokens,
                              List<TensorType> declared, List<Token> declaredTokens) {
        if (results.size() != declared.size()) {
            throw c.error(ret, "return has " + results.size() + " value(s) but the signature declares "
                    + declared.size());
        }
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).type().equals(declared.get(i))) {
                throw new CompileException(List.of(new Diagnostic(Diagnostic.Severity.ERROR,
                        c.span(resultTokens.get(i)), "returned " + results.get(i) + " has type "
                        + results.get(i).type() + " but the signature declares " + declared.get(i),
                        List.of("declared at " + c.span(declaredTokens.get(i))))));
            }
        }
    }

    private void define(Value v, Token at, Map<String, Value> defined, Map<String, Token> definedAt) {
        Token previous = definedAt.putIfAbsent(v.name(), at);
        if (previous != null) {
            throw new CompileException(List.of(new Diagnostic(Diagnostic.Severity.ERROR, c.span(at),
                    "redefinition of " + v, List.of("first defined at " + c.span(previous)))));
        }
        defined.put(v.name(), v);
    }

    private Value operand(Map<String, Value> defined) {
        Token t = c.expect(Token.Kind.PERCENT_NAME, "a value such as '%x'");
        Value v = defined.get(t.text());
        if (v == null) {
            throw c.error(t, "use of undefined value %" + t.text());
        }
        return v;
    }

    private Instr instr(Map<String, Value> defined) {
        Token first = c.next();
        c.expectPunct("=");
        Token opTok = c.expect(Token.Kind.IDENT, "an op name");
        Function<TensorType, Op> op = op(opTok, defined);
        c.expectPunct(":");
        TensorType type = PlanText.parseType(c);
        return new Instr(new Value(first.text(), type), op.apply(type), c.spanFrom(first));
    }

    /** The op after {@code =}; cast and const need the result type, which follows, hence the function. */
    private Function<TensorType, Op> op(Token opTok, Map<String, Value> defined) {
        String name = opTok.text();
        switch (name) {
            case "select" -> {
                Value cond = operand(defined);
                c.expectPunct(",");
                Value a = operand(defined);
                c.expectPunct(",");
                Value b = operand(defined);
                return t -> new Op.Select(cond, a, b);
            }
            case "cast" -> {
                Value x = operand(defined);
                return t -> new Op.Cast(t.dtype(), x);
            }
            case "const" -> {
                double v = literal();
                return t -> new Op.Constant(v);
            }
            case "matmul" -> {
                Value a = operand(defined);
                c.expectPunct(",");
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
                    .orElseThrow(() -> c.error(opTok, "unknown reduction '" + name + "'"));
            Value x = operand(defined);
            List<Integer> axes = intListAttr("axes");
            boolean keepdim = false;
            if (c.acceptWord("keepdim")) {
                c.expectPunct("=");
                keepdim = c.acceptWord("true");
                if (!keepdim && !c.acceptWord("false")) {
                    throw c.expected("true or false");
                }
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
            c.expectPunct(",");
            Value b = operand(defined);
            return t -> new Op.Binary(bin.get(), a, b);
        }
        throw c.error(opTok, "unknown op '" + name + "'");
    }

    private FusionGroup fusion() {
        c.expectWord("fuse");
        Token name = c.expect(Token.Kind.AT_NAME, "a fusion group name such as '@k_0'");
        if (!GraphKernel.NAME.matcher(name.text()).matches()) {
            throw c.error(name, "bad fusion group name '@" + name.text() + "'");
        }
        Token kind = c.expect(Token.Kind.IDENT, "a fusion kind (" + String.join(", ", FusionGroup.KINDS) + ")");
        if (!FusionGroup.KINDS.contains(kind.text())) {
            throw c.error(kind, "unknown fusion kind '" + kind.text() + "', expected one of "
                    + String.join(", ", FusionGroup.KINDS));
        }
        c.expectPunct("[");
        List<String> members = new ArrayList<>();
        if (!c.isPunct("]")) {
            do {
                members.add(c.expect(Token.Kind.PERCENT_NAME, "a member value such as '%x'").text());
            } while (c.acceptPunct(","));
        }
        c.expectPunct("]");
        return new FusionGroup(name.text(), kind.text(), members);
    }

    /** {@code name=[0, 1]}: axes or a permutation. */
    private List<Integer> intListAttr(String attr) {
        if (!c.acceptWord(attr)) {
            throw c.expected("'" + attr + "=[...]'");
        }
        c.expectPunct("=");
        c.expectPunct("[");
        List<Integer> xs = new ArrayList<>();
        if (!c.isPunct("]")) {
            do {
                xs.add(c.expectInt("a non-negative integer"));
            } while (c.acceptPunct(","));
        }
        c.expectPunct("]");
        return xs;
    }

    /** What {@link GraphPrinter#constant} writes: a float, an integer, {@code true}/{@code false}, or ±inf and nan. */
    private double literal() {
        if (c.acceptWord("true")) {
            return 1;
        }
        if (c.acceptWord("false")) {
            return 0;
        }
        return c.expectDouble("", "a literal (number, inf, -inf, nan, true or false)");
    }
}
