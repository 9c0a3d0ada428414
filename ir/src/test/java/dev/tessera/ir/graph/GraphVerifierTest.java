package dev.tessera.ir.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.DType;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Verifier negative tests. Text cases carry MLIR-style {@code // expected-error {{...}}} annotations: each
 * must be matched by a diagnostic on its line containing the text, and no other diagnostic may appear.
 * Cases the parser already refuses (undefined or redefined values) are built by hand.
 */
class GraphVerifierTest {

    private static final Pattern EXPECTED = Pattern.compile("// expected-error \\{\\{(.*?)}}");

    static void assertDiagnostics(String text) {
        List<Diagnostic> ds = new ArrayList<>(GraphVerifier.verify(GraphParser.parse(text)));
        String[] lines = text.split("\n", -1);
        for (int l = 0; l < lines.length; l++) {
            Matcher m = EXPECTED.matcher(lines[l]);
            while (m.find()) {
                int line = l + 1;
                String msg = m.group(1);
                Diagnostic hit = ds.stream().filter(d -> d.span().line() == line && d.message().contains(msg))
                        .findFirst().orElseThrow(() -> new AssertionError(
                                "no diagnostic on line " + line + " containing '" + msg + "'; got " + ds));
                ds.remove(hit);
            }
        }
        assertTrue(ds.isEmpty(), () -> "unexpected diagnostics: " + ds);
    }

    @Test
    void validKernelHasNoDiagnostics() {
        assertTrue(GraphVerifier.verify(GraphParser.parse(GraphRoundTripTest.SOFTMAX)).isEmpty());
    }

    @Test
    void resultTypesMustBeWhatTheOpGives() {
        assertDiagnostics("""
                kernel @k(%x: f32[N, D], %y: f32[D], %i: i32[N, D], %b: bool[N, D]) -> () {
                  %a = add %x, %y : f32[N]  // expected-error {{%a is declared f32[N] but add gives f32[N, D]}}
                  %c = lt %x, %y : f32[N, D]  // expected-error {{lt gives bool[N, D]}}
                  %d = add %x, %i : f32[N, D]  // expected-error {{different dtypes: f32 and i32}}
                  %e = exp %i : i32[N, D]  // expected-error {{exp needs a floating-point operand}}
                  %f = add %b, %b : bool[N, D]  // expected-error {{add is not defined on bool}}
                  %g = and %x, %x : bool[N, D]  // expected-error {{and needs bool operands}}
                  %h = select %x, %x, %x : f32[N, D]  // expected-error {{condition must be bool}}
                  %m = matmul %x, %x : f32[N, D]  // expected-error {{contraction dims differ}}
                  %t = transpose %x perm=[0, 0] : f32[N, N]  // expected-error {{not a permutation}}
                  %r = reduce.sum %x axes=[2] keepdim=false : f32[N, D]  // expected-error {{must be sorted}}
                  %s = reshape %x : f32[N]  // expected-error {{changes the element count}}
                  %u = broadcast_to %y : f32[N]  // expected-error {{cannot broadcast [D] to [N]}}
                  %c1 = const 1.5 : i32[]  // expected-error {{not a value of i32}}
                  %c2 = const 1.0 : f32[N]  // expected-error {{const must be a scalar}}
                  %v = cast %x : f16[N]  // expected-error {{cast gives f16[N, D]}}
                  %w = reduce.mean %i axes=[0] keepdim=false : i32[D]  // expected-error {{needs a floating-point}}
                  %z = broadcast_to %y : f32[M, D]  // expected-error {{uses dim M, which no parameter binds}}
                  return
                }
                """);
    }

    @Test
    void kernelNamesAreUniqueAndFusionGroupsWellFormed() {
        assertDiagnostics("""
                kernel @k(%x: f32[N]) -> (f32[N]) {
                  return %x
                }

                kernel @k(%x: f32[N]) -> (f32[N]) {  // expected-error {{kernel @k is defined twice}}
                  %a = exp %x : f32[N]
                  %b = neg %a : f32[N]
                  return %b
                  fuse @g0 pointwise [%x, %q]
                  fuse @g1 pointwise [%b, %a]
                  fuse @g1 pointwise [%a]
                }
                """.replace("kernel @k(%x: f32[N]) -> (f32[N]) {  //",
                "kernel @k(%x: f32[N]) -> (f32[N]) {  // expected-error {{%x, which is not an instruction result}}"
                        + " // expected-error {{%q, which is not an instruction result}}"
                        + " // expected-error {{out of definition order}}"
                        + " // expected-error {{@g1 is declared twice}}"
                        + " // expected-error {{stores %a, which @g1 already stores}} //"));
    }

    @Test
    void ssaViolationsBuiltByHand() {
        TensorType f = TensorType.scalar(DType.F32);
        Value x = new Value("x", f);
        Value a = new Value("a", f);
        Value b = new Value("b", f);
        SourceSpan s1 = new SourceSpan("h", 1, 1, 1, 1);
        SourceSpan s2 = new SourceSpan("h", 2, 1, 2, 1);
        SourceSpan s3 = new SourceSpan("h", 3, 1, 3, 1);
        GraphKernel k = new GraphKernel("k", List.of(x, x), List.of(
                new Instr(a, new Op.Unary(UnaryOp.EXP, b), s1),
                new Instr(b, new Op.Unary(UnaryOp.EXP, new Value("x", TensorType.scalar(DType.F16))), s2),
                new Instr(b, new Op.Unary(UnaryOp.NEG, a), s3)),
                List.of(new Value("zz", f)), SourceSpan.UNKNOWN);
        List<String> messages = GraphVerifier.verify(new GraphModule(List.of(k))).stream()
                .map(Diagnostic::message).toList();
        assertEquals(List.of(
                "@k: parameter %x is declared twice",
                "operand %b is not defined before this use",
                "operand %x is used as f16[] but defined as f32[]",
                "result %b is declared f32[] but exp gives f16[]",
                "redefinition of %b",
                "@k: returned value %zz is not defined before this use"), messages);
        CompileException e = assertThrows(CompileException.class,
                () -> GraphVerifier.check(new GraphModule(List.of(k))));
        assertEquals(6, e.diagnostics().size());
    }
}
