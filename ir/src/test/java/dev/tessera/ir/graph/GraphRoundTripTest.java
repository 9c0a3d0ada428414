package dev.tessera.ir.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.Shape;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** print → parse → print is the identity, for hand-built kernels that use every op and attribute. */
class GraphRoundTripTest {

    static final String SOFTMAX = """
            kernel @softmax(%x: f32[N, D]) -> (f32[N, D]) {
              %m = reduce.max %x axes=[1] keepdim=true : f32[N, 1]
              %0 = sub %x, %m : f32[N, D]
              %e = exp %0 : f32[N, D]
              %s = reduce.sum %e axes=[1] keepdim=true : f32[N, 1]
              %y = div %e, %s : f32[N, D]
              return %y
              fuse @softmax_0 reduce [%m, %0, %e, %s, %y]
            }
            """;

    static TensorType t(DType d, Object... dims) {
        List<Dim> ds = new ArrayList<>();
        for (Object o : dims) {
            ds.add(o instanceof String s ? Dim.of(s) : Dim.of(((Number) o).longValue()));
        }
        return new TensorType(d, new Shape(ds));
    }

    /** A kernel with every op, every unary and binary op, and constants that are hard to print exactly. */
    static GraphModule everything() {
        Value x = new Value("x", t(DType.F32, "N", "D"));
        Value w = new Value("w", t(DType.F32, "D", 7));
        Value v = new Value("v", t(DType.F32, "D"));
        Value n = new Value("n", t(DType.I32, "N", 1));
        List<Instr> body = new ArrayList<>();
        Builder b = new Builder(body);
        for (UnaryOp op : UnaryOp.values()) {
            if (op == UnaryOp.NOT) {
                continue;
            }
            b.add(op.irName(), new Op.Unary(op, x), x.type());
        }
        for (UnaryOp op : List.of(UnaryOp.ABS, UnaryOp.NEG, UnaryOp.RELU)) {
            b.add("i" + op.irName(), new Op.Unary(op, n), n.type());
        }
        for (BinaryOp op : BinaryOp.values()) {
            if (op.isLogical()) {
                continue;
            }
            b.add(op.irName(), new Op.Binary(op, x, v), t(op.isComparison() ? DType.BOOL : DType.F32, "N", "D"));
        }
        Value lt = b.value("lt");
        Value gt = b.value("gt");
        b.add("and", new Op.Binary(BinaryOp.AND, lt, gt), lt.type());
        b.add("or", new Op.Binary(BinaryOp.OR, lt, gt), lt.type());
        Value not = b.add("not", new Op.Unary(UnaryOp.NOT, b.value("or")), lt.type());
        double[] consts = {0.5, -0.0, 0.0, 1e-5, 0.1, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 1e300, 3.4028234663852886E38, 100.0};
        for (int c = 0; c < consts.length; c++) {
            b.add("c" + c, new Op.Constant(consts[c]), t(DType.F32));
        }
        b.add("ci", new Op.Constant(-123456789), t(DType.I32));
        b.add("cb", new Op.Constant(1), t(DType.BOOL));
        b.add("cf", new Op.Constant(0), t(DType.BOOL));
        b.add("c64", new Op.Constant(Math.PI), t(DType.F64));
        b.add("sel", new Op.Select(not, x, b.value("c0")), x.type());
        b.add("h", new Op.Cast(DType.F16, x), t(DType.F16, "N", "D"));
        b.add("bf", new Op.Cast(DType.BF16, x), t(DType.BF16, "N", "D"));
        b.add("i", new Op.Cast(DType.I32, x), t(DType.I32, "N", "D"));
        b.add("r0", new Op.Reduce(ReduceOp.MEAN, x, List.of(0, 1), false), t(DType.F32));
        b.add("r1", new Op.Reduce(ReduceOp.MIN, x, List.of(0), true), t(DType.F32, 1, "D"));
        b.add("r2", new Op.Reduce(ReduceOp.SUM, n, List.of(), false), n.type());
        b.add("mm", new Op.MatMul(x, w), t(DType.F32, "N", 7));
        b.add("mv", new Op.MatMul(x, v), t(DType.F32, "N"));
        b.add("tr", new Op.Transpose(x, List.of(1, 0)), t(DType.F32, "D", "N"));
        b.add("rs", new Op.Reshape(x), t(DType.F32, "D", 1, "N"));
        Value bc = b.add("bc", new Op.BroadcastTo(v), t(DType.F32, 3, "N", "D"));
        GraphKernel k1 = new GraphKernel("every_op", List.of(x, w, v, n), body, List.of(bc, b.value("mm"), x),
                List.of(new FusionGroup("every_op_0", "pointwise", List.of("exp", "log")),
                        new FusionGroup("every_op_1", "matmul", List.of("mm"))),
                SourceSpan.UNKNOWN);
        GraphKernel k2 = new GraphKernel("empty", List.of(), List.of(), List.of(), SourceSpan.UNKNOWN);
        return new GraphModule(List.of(k1, k2));
    }

    @Test
    void everyOpRoundTrips() {
        GraphModule m = everything();
        assertTrue(GraphVerifier.verify(m).isEmpty(), () -> GraphVerifier.verify(m).toString());
        String text = GraphPrinter.print(m);
        GraphModule parsed = GraphParser.parse(text);
        assertEquals(text, GraphPrinter.print(parsed));
        // the parse is structurally the module printed: same ops, values and groups (spans aside)
        for (int k = 0; k < m.kernels().size(); k++) {
            GraphKernel a = m.kernels().get(k);
            GraphKernel p = parsed.kernels().get(k);
            assertEquals(a.params(), p.params());
            assertEquals(a.results(), p.results());
            assertEquals(a.fusions(), p.fusions());
            assertEquals(a.body().stream().map(Instr::result).toList(), p.body().stream().map(Instr::result).toList());
            assertEquals(a.body().stream().map(Instr::op).toList(), p.body().stream().map(Instr::op).toList());
        }
        assertTrue(GraphVerifier.verify(parsed).isEmpty());
    }

    @Test
    void printsTheDocumentedFormat() {
        String text = GraphPrinter.print(everything());
        assertTrue(text.startsWith("kernel @every_op(%x: f32[N, D], %w: f32[D, 7], %v: f32[D], %n: i32[N, 1])"
                + " -> (f32[3, N, D], f32[N, 7], f32[N, D]) {\n"), text);
        for (String line : List.of(
                "  %exp = exp %x : f32[N, D]",
                "  %lt = lt %x, %v : bool[N, D]",
                "  %c1 = const -0.0 : f32[]",
                "  %c3 = const 1.0E-5 : f32[]",
                "  %c5 = const nan : f32[]",
                "  %c6 = const inf : f32[]",
                "  %c7 = const -inf : f32[]",
                "  %ci = const -123456789 : i32[]",
                "  %cb = const true : bool[]",
                "  %sel = select %not, %x, %c0 : f32[N, D]",
                "  %h = cast %x : f16[N, D]",
                "  %r0 = reduce.mean %x axes=[0, 1] keepdim=false : f32[]",
                "  %r1 = reduce.min %x axes=[0] keepdim=true : f32[1, D]",
                "  %r2 = reduce.sum %n axes=[] keepdim=false : i32[N, 1]",
                "  %mm = matmul %x, %w : f32[N, 7]",
                "  %tr = transpose %x perm=[1, 0] : f32[D, N]",
                "  %rs = reshape %x : f32[D, 1, N]",
                "  %bc = broadcast_to %v : f32[3, N, D]",
                "  return %bc, %mm, %x",
                "  fuse @every_op_0 pointwise [%exp, %log]")) {
            assertTrue(text.contains(line + "\n"), line);
        }
        assertTrue(text.endsWith("}\n\nkernel @empty() -> () {\n  return\n}\n"), text);
    }

    @Test
    void softmaxTextRoundTripsAndCarriesSpans() {
        GraphModule m = GraphParser.parse(SOFTMAX, "softmax.gir");
        assertEquals(SOFTMAX, GraphPrinter.print(m));
        Instr sub = m.kernels().getFirst().body().get(1);
        assertEquals(new SourceSpan("softmax.gir", 3, 3, 3, 29), sub.span());
        assertEquals(new SourceSpan("softmax.gir", 1, 1, 1, 15), m.kernels().getFirst().span());
        assertTrue(GraphVerifier.verify(m).isEmpty());
    }

    @Test
    void parserAcceptsCommentsLooseSpacingAndDefaultKeepdim() {
        String text = """
                // a comment
                kernel @k(%x: f32[4,  N]) -> (f32[4]) {   // trailing
                  %s = reduce.sum %x axes=[1] : f32[4]
                  %c = const 2 : f32[]
                  %d = const 1e-3 : f32[]
                  return %s
                }
                """;
        GraphModule m = GraphParser.parse(text);
        String printed = GraphPrinter.print(m);
        assertTrue(printed.contains("%s = reduce.sum %x axes=[1] keepdim=false : f32[4]"), printed);
        assertTrue(printed.contains("%c = const 2.0 : f32[]"), printed);
        assertTrue(printed.contains("%d = const 0.001 : f32[]"), printed);
        assertEquals(printed, GraphPrinter.print(GraphParser.parse(printed)));
    }

    /** Names instructions and hands back their values. */
    private record Builder(List<Instr> body) {
        Value add(String name, Op op, TensorType type) {
            Value v = new Value(name, type);
            body.add(new Instr(v, op, SourceSpan.UNKNOWN));
            return v;
        }

        Value value(String name) {
            return body.stream().map(Instr::result).filter(v -> v.name().equals(name)).findFirst().orElseThrow();
        }
    }
}
