package dev.tessera.frontend;

import static dev.tessera.frontend.Compile.first;
import static dev.tessera.frontend.Compile.instr;
import static dev.tessera.frontend.Compile.resultInstr;
import static dev.tessera.frontend.Compile.resultType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.UnaryOp;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Elementwise operators: broadcasting, literal dtypes, precedence, naming and spans. */
class ElementwiseTest {

    @Test
    void broadcastingFollowsNumpy() {
        assertEquals("f32[N, D]", resultType("kernel k(a: f32[N, 1], b: f32[D]) -> f32[N, D] { return a + b }"));
        assertEquals("f32[B, N, D]",
                resultType("kernel k(a: f32[B, 1, D], b: f32[N, 1]) -> f32[B, N, D] { return a * b }"));
        assertEquals("f32[N]", resultType("kernel k(s: f32[], x: f32[N]) -> f32[N] { return s - x }"));
        assertEquals("f32[4, N]", resultType("kernel k(a: f32[4, 1], b: f32[1, N]) -> f32[4, N] { return a / b }"));
    }

    @Test
    void comparisonsGiveBoolAndModIsMod() {
        GraphKernel k = first("""
                kernel k(a: f32[N], b: f32[N]) -> (bool[N], f32[N], bool[N]) {
                  return a < b, a % b, (a >= b) == (a != b)
                }""");
        assertEquals(List.of("bool[N]", "f32[N]", "bool[N]"),
                k.results().stream().map(v -> v.type().toString()).toList());
        assertEquals(BinaryOp.MOD, ((Op.Binary) instr(k, k.results().get(1).name()).op()).op());
    }

    @Test
    void literalsTakeTheDtypeOfTheOtherOperand() {
        GraphKernel k = first("kernel k(x: i32[N]) -> i32[N] { return x * 2 }");
        Instr c = k.body().getFirst();
        assertEquals(new Op.Constant(2), c.op());
        assertEquals(TensorType.scalar(DType.I32), c.result().type());

        GraphKernel h = first("kernel k(x: f16[N]) -> f16[N] { return 0.5 * x + 1 }");
        h.body().stream().filter(i -> i.op() instanceof Op.Constant)
                .forEach(i -> assertEquals(DType.F16, i.result().type().dtype()));
        assertEquals(2, h.body().stream().filter(i -> i.op() instanceof Op.Constant).count());
    }

    @Test
    void literalOnlyExpressionsDefaultToF32() {
        GraphKernel k = first("kernel k() -> f32[] { return 1 + 2.5 }");
        assertEquals(List.of(DType.F32, DType.F32, DType.F32),
                k.body().stream().map(i -> i.result().type().dtype()).toList());
        assertEquals("bool[]", resultType("kernel k() -> bool[] { return true == false }"));
    }

    @Test
    void negativeLiteralsAndNumberForms() {
        GraphKernel k = first("kernel k(x: i32[N]) -> i32[N] { return x * -3 }");
        assertEquals(new Op.Constant(-3), k.body().getFirst().op());
        GraphKernel f = first("kernel k(x: f32[N]) -> f32[N] { return x * 1. + .5 - 2e3 * 1E-5 }");
        List<Double> values = f.body().stream().filter(i -> i.op() instanceof Op.Constant)
                .map(i -> ((Op.Constant) i.op()).value()).toList();
        assertEquals(List.of(1.0, 0.5, 2000.0, 1e-5), values);
    }

    @Test
    void returnedLiteralTakesTheDeclaredDtype() {
        GraphKernel k = first("kernel k(x: f16[N]) -> f16[] { return 0.25 }");
        assertEquals(TensorType.scalar(DType.F16), k.results().getFirst().type());
    }

    @Test
    void namedLiteralsAreConstantsOfTheUsingDtype() {
        GraphKernel k = first("""
                kernel k(x: f16[N]) -> f16[N] {
                  let eps = 1e-3
                  return x + eps
                }""");
        Instr eps = instr(k, "eps");
        assertEquals(TensorType.scalar(DType.F16), eps.result().type());
        assertEquals(3, eps.span().line());
    }

    @Test
    void precedenceAndAssociativity() {
        GraphKernel k = first("kernel k(a: f32[N], b: f32[N], c: f32[N]) -> f32[N] { return a + b * c }");
        Op.Binary add = (Op.Binary) resultInstr(k).op();
        assertEquals(BinaryOp.ADD, add.op());
        assertSame(k.params().getFirst(), add.a());

        GraphKernel s = first("kernel k(a: f32[N], b: f32[N], c: f32[N]) -> f32[N] { return a - b - c }");
        Op.Binary outer = (Op.Binary) resultInstr(s).op();
        assertEquals(s.params().get(2), outer.b());
        assertEquals(BinaryOp.SUB, ((Op.Binary) instr(s, outer.a().name()).op()).op());

        GraphKernel m = first("kernel k(a: f32[M, K], b: f32[K, N]) -> f32[M, N] { return -a @ b * 2.0 }");
        Op.Binary mul = (Op.Binary) resultInstr(m).op();
        Op.MatMul mm = (Op.MatMul) instr(m, mul.a().name()).op();
        assertInstanceOf(Op.Unary.class, instr(m, mm.a().name()).op());

        GraphKernel c = first("kernel k(a: f32[N], b: f32[N]) -> bool[N] { return a + 1 < b * 2 }");
        assertEquals(BinaryOp.LT, ((Op.Binary) resultInstr(c).op()).op());
    }

    @Test
    void statementsNeedNoSeparatorAndMinusContinuesAnExpression() {
        GraphKernel k = first("""
                kernel k(x: f32[N], y: f32[N]) -> f32[N] {
                  let a = x
                  -y let b = a return b
                }""");
        assertEquals(BinaryOp.SUB, ((Op.Binary) resultInstr(k).op()).op());
        assertEquals("a", resultInstr(k).result().name());
    }

    @Test
    void castAndComparisonDoNotConflict() {
        GraphKernel k = first("""
                kernel k(a: f32[N], b: f32[N]) -> f16[N] {
                  let lt = a < b
                  return cast<f16>(where(lt, a, b))
                }""");
        assertEquals(new Op.Cast(DType.F16, instr(k, "0").result()), resultInstr(k).op());
        assertInstanceOf(Op.Select.class, instr(k, "0").op());
        assertEquals(DType.BOOL, instr(k, "lt").result().type().dtype());
    }

    @Test
    void unaryBuiltinsAndMaximum() {
        for (String f : List.of("exp", "log", "sqrt", "rsqrt", "tanh", "sigmoid", "relu", "gelu", "erf", "abs", "neg")) {
            GraphKernel k = first("kernel k(x: f32[N]) -> f32[N] { return " + f + "(x) }");
            assertEquals(new Op.Unary(UnaryOp.parse(f).orElseThrow(), k.params().getFirst()), resultInstr(k).op());
        }
        assertEquals("i32[N]", resultType("kernel k(x: i32[N]) -> i32[N] { return relu(abs(neg(x))) }"));
        assertEquals("i32[N]", resultType("kernel k(x: i32[N]) -> i32[N] { return -x }"));
        GraphKernel k = first("kernel k(x: f32[N, D], y: f32[D]) -> f32[N, D] { return minimum(maximum(x, y), 6) }");
        assertEquals(BinaryOp.MIN, ((Op.Binary) resultInstr(k).op()).op());
    }

    @Test
    void whereBroadcastsAllThree() {
        GraphKernel k = first("kernel k(c: bool[N, 1], a: f32[D], b: f32[]) -> f32[N, D] { return where(c, a, b) }");
        assertEquals("f32[N, D]", k.results().getFirst().type().toString());
        GraphKernel lit = first("kernel k(x: f32[N]) -> f32[N] { return where(x > 0, x, 0) }");
        assertEquals(DType.F32, lit.body().stream().filter(i -> i.op() instanceof Op.Constant)
                .map(i -> i.result().type().dtype()).distinct().findFirst().orElseThrow());
    }

    @Test
    void valueNamesAndSpans() {
        GraphKernel k = first("""
                kernel axpy(a: f32[], x: f32[N], y: f32[N]) -> f32[N] {
                  let ax = a * x  # a comment
                  let same = ax
                  return same + y
                }""");
        Instr ax = instr(k, "ax");
        assertEquals(new SourceSpan("test.tsr", 2, 12, 2, 16), ax.span());
        Instr result = resultInstr(k);
        assertEquals("0", result.result().name());
        assertEquals(new SourceSpan("test.tsr", 4, 10, 4, 17), result.span());
        assertSame(ax.result(), ((Op.Binary) result.op()).a());
        assertTrue(k.body().size() == 2);
    }

    @Test
    void paramReturnedDirectlyAndNoParams() {
        GraphKernel k = first("kernel id(x: bf16[N]) -> bf16[N] { return x }");
        assertSame(k.params().getFirst(), k.results().getFirst());
        assertTrue(k.body().isEmpty());
    }
}
