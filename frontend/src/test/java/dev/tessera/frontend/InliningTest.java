package dev.tessera.frontend;

import static dev.tessera.frontend.Compile.instr;
import static dev.tessera.frontend.Compile.kernel;
import static dev.tessera.frontend.Compile.resultInstr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calls of kernels of the same file: inlined, with the callee's dims bound to the caller's. */
class InliningTest {

    private static final String SOFTMAX = """
            kernel softmax(x: f32[N, D]) -> f32[N, D] {
              let m = max(x, axis=-1, keepdim=true)
              let e = exp(x - m)
              return e / sum(e, axis=-1, keepdim=true)
            }
            """;

    @Test
    void calleeDefinedAfterTheCallerWithDimsUnified() {
        GraphKernel k = kernel("""
                kernel twice(a: f32[S, T], b: f32[S, T]) -> f32[S, T] {
                  let s = softmax(a)
                  return s + softmax(b)
                }
                """ + SOFTMAX, "twice");
        assertEquals("f32[S, T]", instr(k, "s").result().type().toString());
        assertEquals("f32[S, 1]", instr(k, "softmax.m").result().type().toString());
        assertEquals("f32[S, 1]", instr(k, "softmax.2.m").result().type().toString());
        assertTrue(instr(k, "s").op() instanceof Op.Binary);
        ExamplesTest.assertWellFormed(k, "test.tsr");
    }

    @Test
    void literalDimsAndSymbolsBoundToLiterals() {
        GraphKernel k = kernel("""
                kernel caller(x: f32[8, 16]) -> f32[8, 16] {
                  return softmax(x)
                }
                """ + SOFTMAX, "caller");
        assertEquals("f32[8, 1]", instr(k, "softmax.m").result().type().toString());
        assertEquals("f32[8, 16]", k.results().getFirst().type().toString());
    }

    @Test
    void shapeListsInTheCalleeUseTheCallersDims() {
        GraphKernel k = kernel("""
                kernel flat(x: f32[N, D]) -> f32[D, N] {
                  return reshape(transpose(x), shape=[D, N])
                }
                kernel use(y: f32[A, B]) -> f32[B, A] {
                  return flat(y)
                }
                """, "use");
        assertEquals("f32[B, A]", resultInstr(k).result().type().toString());
    }

    @Test
    void nestedCallsNamedArgumentsAndLiteralArguments() {
        GraphKernel k = kernel("""
                kernel scale(x: f32[N], s: f32[]) -> f32[N] {
                  let y = x * s
                  return y
                }
                kernel inner(x: f32[N]) -> f32[N] {
                  return scale(s=2.0, x=x)
                }
                kernel outer(v: f32[K]) -> f32[K] {
                  let r = inner(v)
                  return r
                }
                """, "outer");
        // the result of 'scale' already has a name, so the caller's 'r' is an alias of it
        assertEquals(List.of("0", "inner.scale.y"), k.body().stream().map(i -> i.result().name()).toList());
        assertEquals(new Op.Constant(2.0), k.body().getFirst().op());
    }

    @Test
    void inlinedLetsAreNamedUnderThePrefix() {
        GraphKernel k = kernel("""
                kernel sq(x: f32[N]) -> f32[N] {
                  let y = x * x
                  return exp(y)
                }
                kernel user(x: f32[N]) -> f32[N] {
                  return sq(x) + sq(x)
                }
                """, "user");
        assertEquals(List.of("sq.y", "0", "sq.2.y", "1", "2"),
                k.body().stream().map(i -> i.result().name()).toList());
    }

    @Test
    void exponentialInliningIsRefusedNotRunForever() {
        StringBuilder src = new StringBuilder("kernel k0(x: f32[N]) -> f32[N] { return exp(x) }\n");
        for (int i = 1; i <= 40; i++) {
            src.append("kernel k").append(i).append("(x: f32[N]) -> f32[N] { return k").append(i - 1)
                    .append("(x) + k").append(i - 1).append("(x) }\n");
        }
        var errors = Compile.errors(src.toString());
        assertTrue(errors.getFirst().message().contains("larger than"), errors.getFirst().message());
    }

    @Test
    void errorsThatOnlyTheCallersShapesCauseAreReportedAtTheCall() {
        var errors = Compile.errors("""
                kernel flip(x: f32[N, M]) -> f32[M, N] {
                  return reshape(x, shape=[M, N])
                }
                kernel huge(x: f32[4611686018427387904, 4]) -> f32[4, 4611686018427387904] {
                  return flip(x)
                }
                """);
        assertEquals(1, errors.size(), errors.toString());
        var d = errors.getFirst();
        assertEquals(5, d.span().line());
        assertTrue(d.message().startsWith("in call to 'flip': cannot reshape"), d.message());
        assertTrue(d.notes().getFirst().contains("test.tsr:2:10"), d.notes().toString());
    }
}
