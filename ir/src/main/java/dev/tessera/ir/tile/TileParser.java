package dev.tessera.ir.tile;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.UnaryOp;
import dev.tessera.ir.text.PlanText;
import dev.tessera.ir.text.ProgramReader;
import dev.tessera.ir.text.Token;
import dev.tessera.ir.text.TokenCursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the text {@link TilePrinter} writes back into tile IR records. Malformed text, a use of an undefined
 * value or a value defined twice is a {@link dev.tessera.ir.CompileException} with line and column; every
 * other rule is left to {@link TileVerifier}, so that invalid IR can still be written down and checked.
 */
public final class TileParser {

    private static final ProgramReader<TileParser, TileModule, TileProgram, TileKernel> READER = new ProgramReader<>(
            "<tile>", TileParser::new, TileParser::kernel, TileProgram::new, TileModule::new);

    private final TokenCursor c;

    private TileParser(TokenCursor c) {
        this.c = c;
    }

    public static TileModule parseModule(String text) {
        return READER.parseModule(text);
    }

    public static TileModule parseModule(String file, String text) {
        return READER.parseModule(file, text);
    }

    public static TileProgram parseProgram(String text) {
        return READER.parseProgram(text);
    }

    public static TileProgram parseProgram(String file, String text) {
        return READER.parseProgram(file, text);
    }

    public static TileKernel parseKernel(String text) {
        return READER.parseKernel(text);
    }

    public static TileKernel parseKernel(String file, String text) {
        return READER.parseKernel(file, text);
    }

    private TileKernel kernel() {
        c.expectWord("kernel");
        String name = c.expect(Token.Kind.AT_NAME, "a kernel name '@name'").text();
        Token kindToken = c.expect(Token.Kind.IDENT, "a kernel kind (pointwise, reduce, matmul)");
        KernelKind kind = null;
        for (KernelKind k : KernelKind.values()) {
            if (k.irName().equals(kindToken.text())) {
                kind = k;
            }
        }
        if (kind == null) {
            throw c.error(kindToken, "unknown kernel kind " + kindToken.describe());
        }
        c.expectWord("domain");
        c.expectPunct("=");
        Domain domain = domain();
        c.expectWord("reads");
        c.expectPunct("=");
        List<String> reads = bufferList();
        c.expectWord("writes");
        c.expectPunct("=");
        List<String> writes = bufferList();
        Schedule schedule = schedule();
        c.expectPunct("{");
        Map<String, TValue> defined = new HashMap<>();
        List<TInstr> body = new ArrayList<>();
        List<TStore> stores = new ArrayList<>();
        while (!c.acceptPunct("}")) {
            if (c.acceptWord("store")) {
                String buffer = c.expect(Token.Kind.PERCENT_NAME, "a buffer name '%name'").text();
                List<IndexTerm> index = index();
                c.expectPunct(",");
                stores.add(new TStore(buffer, index, use(defined)));
            } else if (c.peek().kind() == Token.Kind.PERCENT_NAME) {
                body.add(instr(defined));
            } else {
                throw c.expected("an instruction, 'store' or '}'");
            }
        }
        return new TileKernel(name, kind, reads, writes, domain, schedule, body, stores);
    }

    private Domain domain() {
        c.expectPunct("[");
        List<Dim> parallel = new ArrayList<>();
        List<Dim> sweep = new ArrayList<>();
        if (!c.isPunct("|") && !c.isPunct("]")) {
            dims(parallel);
        }
        if (c.acceptPunct("|")) {
            dims(sweep);
        }
        c.expectPunct("]");
        return new Domain(parallel, sweep);
    }

    private void dims(List<Dim> out) {
        do {
            out.add(PlanText.parseDim(c));
        } while (c.acceptPunct(","));
    }

    private List<String> bufferList() {
        c.expectPunct("[");
        List<String> out = new ArrayList<>();
        if (c.acceptPunct("]")) {
            return out;
        }
        do {
            out.add(c.expect(Token.Kind.PERCENT_NAME, "a buffer name '%name'").text());
        } while (c.acceptPunct(","));
        c.expectPunct("]");
        return out;
    }

    private Schedule schedule() {
        c.expectWord("schedule");
        c.expectPunct("(");
        Map<String, Integer> params = new TreeMap<>();
        if (!c.acceptPunct(")")) {
            do {
                Token key = c.expect(Token.Kind.IDENT, "a schedule parameter name");
                if (!Schedule.KEY.matcher(key.text()).matches()) {
                    throw c.error(key, "bad schedule parameter name " + key.describe());
                }
                if (params.containsKey(key.text())) {
                    throw c.error(key, "schedule parameter " + key.describe() + " given twice");
                }
                c.expectPunct("=");
                Token valueToken = c.peek();
                int value = c.expectInt("a non-negative integer");
                if (value < 0) {
                    throw c.error(valueToken, "schedule parameter " + key.describe() + " must not be negative");
                }
                params.put(key.text(), value);
            } while (c.acceptPunct(","));
            c.expectPunct(")");
        }
        return new Schedule(params);
    }

    /** {@code [d0, 0, d2]}: domain axes by number, or 0 for a broadcast axis. */
    private List<IndexTerm> index() {
        c.expectPunct("[");
        List<IndexTerm> out = new ArrayList<>();
        if (c.acceptPunct("]")) {
            return out;
        }
        do {
            Token t = c.next();
            if (t.kind() == Token.Kind.NUMBER && t.text().equals("0")) {
                out.add(new IndexTerm.Zero());
            } else if (t.kind() == Token.Kind.IDENT && t.text().matches("d[0-9]{1,6}")) {
                out.add(new IndexTerm.Axis(Integer.parseInt(t.text().substring(1))));
            } else {
                throw c.error(t, "expected a domain axis 'd<n>' or 0 but found " + t.describe());
            }
        } while (c.acceptPunct(","));
        c.expectPunct("]");
        return out;
    }

    private TInstr instr(Map<String, TValue> defined) {
        Token resultToken = c.next();
        if (defined.containsKey(resultToken.text())) {
            throw c.error(resultToken, "value " + resultToken.describe() + " is already defined");
        }
        c.expectPunct("=");
        Token opToken = c.expect(Token.Kind.IDENT, "an operation");
        TOp op = op(opToken, defined);
        c.expectPunct(":");
        DType dtype = PlanText.parseDType(c);
        TValue result = new TValue(resultToken.text(), dtype);
        defined.put(result.name(), result);
        return new TInstr(result, op);
    }

    private TOp op(Token opToken, Map<String, TValue> defined) {
        String word = opToken.text();
        switch (word) {
            case "load" -> {
                String buffer = c.expect(Token.Kind.PERCENT_NAME, "a buffer name '%name'").text();
                return new TOp.Load(buffer, index());
            }
            case "const" -> {
                return new TOp.Const(c.expectDouble(""));
            }
            case "select" -> {
                TValue cond = use(defined);
                c.expectPunct(",");
                TValue a = use(defined);
                c.expectPunct(",");
                return new TOp.Select(cond, a, use(defined));
            }
            case "dot" -> {
                TValue a = use(defined);
                c.expectPunct(",");
                return new TOp.Dot(a, use(defined));
            }
            default -> {
                // Spellings with a dot carry their attribute: cast.f16, reduce.max.
                if (word.startsWith("cast.")) {
                    Optional<DType> to = DType.parse(word.substring(5));
                    if (to.isPresent()) {
                        return new TOp.Cast(to.get(), use(defined));
                    }
                } else if (word.startsWith("reduce.")) {
                    Optional<ReduceOp> r = ReduceOp.parse(word.substring(7));
                    if (r.isPresent()) {
                        return new TOp.Reduce(r.get(), use(defined));
                    }
                } else if (UnaryOp.parse(word).isPresent()) {
                    return new TOp.Unary(UnaryOp.parse(word).get(), use(defined));
                } else if (BinaryOp.parse(word).isPresent()) {
                    TValue a = use(defined);
                    c.expectPunct(",");
                    return new TOp.Binary(BinaryOp.parse(word).get(), a, use(defined));
                }
                throw c.error(opToken, "unknown operation " + opToken.describe());
            }
        }
    }

    private TValue use(Map<String, TValue> defined) {
        Token t = c.expect(Token.Kind.PERCENT_NAME, "a value '%name'");
        TValue v = defined.get(t.text());
        if (v == null) {
            throw c.error(t, "use of undefined value " + t.describe());
        }
        return v;
    }
}
