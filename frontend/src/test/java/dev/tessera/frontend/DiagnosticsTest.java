package dev.tessera.frontend;

import static dev.tessera.frontend.Compile.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.DiagnosticRenderer;
import dev.tessera.ir.SourceSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages, spans and rendering of diagnostics, and several errors reported in one run. */
class DiagnosticsTest {

    private static String only(String source) {
        List<Diagnostic> ds = errors(source);
        assertEquals(1, ds.size(), ds.toString());
        return ds.getFirst().message();
    }

    @Test
    void syntaxErrorsReadExpectedFound() {
        assertEquals("expected a type such as f32[N], found '{'", only("kernel g(x: {"));
        assertEquals("expected a type such as f32[N], found '{'", only("kernel g(x: f32[N]) -> { return x }"));
        assertEquals("expected ')', found 'let'",
                only("kernel k(a: f32[N]) -> f32[N] {\n  return (a + 1 let\n}"));
        assertEquals("cast<T>(x) needs a dtype: f32, f16, bf16, i32 or bool, not 'f64'",
                only("kernel k(a: f32[N]) -> f32[N] { return cast<f64>(a) }"));
        assertEquals("expected a dtype such as f16, found '>'",
                only("kernel k(a: f32[N]) -> f32[N] { return cast<>(a) }"));
        assertEquals("expected '>', found 'a'", only("kernel k(a: f32[N]) -> f32[N] { return cast<f16 a }"));
        assertEquals("expected '(', found 'a'", only("kernel k(a: f32[N]) -> f32[N] { return cast<f16>a }"));
        assertEquals("expected a name, found '('", only("kernel (a: f32[N]) -> f32[N] { return a }"));
        assertEquals("expected '{', found 'return'", only("kernel k(a: f32[N]) -> f32[N] return a }"));
        assertEquals("expected 'kernel', found '}'", only("kernel k(a: f32[N]) -> f32[N] { return a } }"));
        assertEquals("expected '(', found end of file", only("kernel k"));
    }

    @Test
    void renderedLikeACompiler() {
        String source = "kernel k(a: f32[N], b: f32[M]) -> f32[N] {\n  return a + b\n}\n";
        CompileException e = assertThrows(CompileException.class, () -> Frontend.compile("k.tsr", source));
        String rendered = new DiagnosticRenderer(source).renderAll(e.diagnostics());
        assertEquals("""
                k.tsr:2:10: error: cannot broadcast f32[N] and f32[M] in '+': dimension N does not match M
                  return a + b
                         ^~~~~
                """, rendered);
    }

    @Test
    void reportsErrorsOfEveryKernelInOneRun() {
        List<Diagnostic> ds = errors("""
                kernel a(x: f32[N]) -> f32[N] { return x + y }
                kernel b(x: f32[N] -> f32[N] { return x }
                kernel c(x: f32[N]) -> f32[N] {
                  let z = exp(x, x)
                  return x @ x @ x
                }
                """);
        assertEquals(List.of(1, 2, 4, 5), ds.stream().map(d -> d.span().line()).toList());
        assertTrue(ds.get(3).message().contains("rank 1 or more"), ds.get(3).message());
    }

    @Test
    void precisePointsOfArgumentErrors() {
        Diagnostic d = errors("kernel k(x: f32[N, D]) -> f32[N] {\n  return sum(x, axis=5)\n}").getFirst();
        assertEquals(new SourceSpan("test.tsr", 2, 22, 2, 22), d.span());
        Diagnostic neg = errors("kernel k(x: f32[N, D]) -> f32[N] {\n  return sum(x, axis=-5)\n}").getFirst();
        assertEquals(new SourceSpan("test.tsr", 2, 22, 2, 23), neg.span());
    }

    @Test
    void callsToKernelsWithSyntaxErrorsAreNotReportedAgain() {
        List<Diagnostic> ds = errors("""
                kernel user(x: f32[N]) -> f32[N] { return broken(x) }
                kernel broken(x: f32[N]) -> f32[N] { return x + }
                """);
        assertEquals(1, ds.size(), ds.toString());
        assertEquals(2, ds.getFirst().span().line());
    }

    @Test
    void emptyFilesAndCommentsAreEmptyModules() {
        assertTrue(Frontend.compile("e.tsr", "").kernels().isEmpty());
        assertTrue(Frontend.compile("e.tsr", "# nothing here\n\n# at all").kernels().isEmpty());
    }

    @Test
    void deepNestingIsADiagnosticNotACrash() {
        String deep = "(".repeat(20_000) + "x" + ")".repeat(20_000);
        assertThrows(CompileException.class,
                () -> Frontend.compile("d.tsr", "kernel k(x: f32[N]) -> f32[N] { return " + deep + " + 1 }"));
    }
}
