package dev.tessera.passes.graph;

import static dev.tessera.passes.graph.PassAssertions.assertPass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.graph.GraphParser;
import org.junit.jupiter.api.Test;

class ShapeInferPassTest {

    private final ShapeInferPass pass = new ShapeInferPass();

    @Test
    void wellTypedModuleIsReturnedUnchanged() {
        String text = """
                kernel @k(%a: f32[B, M, K], %b: f32[K, N]) -> (f32[B, M, N]) {
                  %c = matmul %a, %b : f32[B, M, N]
                  return %c
                }
                """;
        assertPass(pass, text, text);
    }

    @Test
    void mismatchFailsAtTheInstruction() {
        String text = """
                kernel @k(%a: f32[M, K], %b: f32[K, N]) -> () {
                  %c = matmul %a, %b : f32[M, K]
                  return
                }
                """;
        CompileException e = assertThrows(CompileException.class, () -> pass.run(GraphParser.parse(text, "m.gir")));
        Diagnostic d = e.diagnostics().getFirst();
        assertEquals("m.gir:2:3", d.span().toString());
        assertEquals("result %c is declared f32[M, K] but matmul gives f32[M, N]", d.message());
    }
}
