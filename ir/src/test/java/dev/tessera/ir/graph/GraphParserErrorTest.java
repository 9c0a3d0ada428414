package dev.tessera.ir.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.DiagnosticRenderer;
import org.junit.jupiter.api.Test;

/** Malformed IR text fails with one diagnostic at the offending token, never with a stack trace. */
class GraphParserErrorTest {

    private static Diagnostic error(String text) {
        CompileException e = assertThrows(CompileException.class, () -> GraphParser.parse(text, "t.gir"));
        assertEquals(1, e.diagnostics().size());
        return e.diagnostics().getFirst();
    }

    private static void assertError(String text, int line, int column, String message) {
        Diagnostic d = error(text);
        assertEquals("t.gir", d.span().file());
        assertEquals(line, d.span().line(), d::toString);
        assertEquals(column, d.span().column(), d::toString);
        assertTrue(d.message().contains(message), () -> d.message() + " does not contain " + message);
    }

    @Test
    void undefinedOperand() {
        assertError("""
                kernel @k(%x: f32[N]) -> (f32[N]) {
                  %y = exp %z : f32[N]
                  return %y
                }
                """, 2, 12, "use of undefined value %z");
    }

    @Test
    void unknownOp() {
        assertError("""
                kernel @k(%x: f32[N]) -> (f32[N]) {
                  %y = expp %x : f32[N]
                  return %y
                }
                """, 2, 8, "unknown op 'expp'");
    }

    @Test
    void unknownReductionAndDtype() {
        assertError("kernel @k(%x: f32[N]) -> (f32[]) {\n  %y = reduce.prod %x axes=[0] : f32[]\n  return %y\n}\n",
                2, 8, "unknown reduction 'reduce.prod'");
        assertError("kernel @k(%x: f31[N]) -> () {\n  return\n}\n", 1, 15,
                "expected an element type (f32, f16, bf16, i32, bool, f64) but found 'f31'");
    }

    @Test
    void missingColonBeforeType() {
        assertError("kernel @k(%x: f32[N]) -> (f32[N]) {\n  %y = exp %x f32[N]\n  return %y\n}\n",
                2, 15, "expected ':' but found 'f32'");
    }

    @Test
    void redefinitionPointsAtTheSecondDefinition() {
        Diagnostic d = error("kernel @k(%x: f32[N]) -> (f32[N]) {\n  %x = exp %x : f32[N]\n  return %x\n}\n");
        assertEquals(2, d.span().line());
        assertEquals(3, d.span().column());
        assertEquals("redefinition of %x", d.message());
        assertEquals("first defined at t.gir:1:11", d.notes().getFirst());
    }

    @Test
    void returnMustMatchTheSignature() {
        assertError("kernel @k(%x: f32[N]) -> (f16[N]) {\n  return %x\n}\n", 2, 10,
                "returned %x has type f32[N] but the signature declares f16[N]");
        assertError("kernel @k(%x: f32[N]) -> (f32[N], f32[N]) {\n  return %x\n}\n", 2, 3,
                "return has 1 value(s) but the signature declares 2");
    }

    @Test
    void badLiteralsAndAttributes() {
        assertError("kernel @k() -> () {\n  %c = const 0x10 : f32[]\n  return\n}\n", 2, 14, "expected a literal");
        assertError("kernel @k() -> () {\n  %c = const Infinity : f32[]\n  return\n}\n", 2, 14, "expected a literal");
        assertError("kernel @k(%x: f32[N, D]) -> () {\n  %t = transpose %x : f32[D, N]\n  return\n}\n", 2, 21,
                "expected 'perm=[...]'");
        assertError("kernel @k(%x: f32[N]) -> () {\n  %t = reduce.sum %x axes=[-1] : f32[]\n  return\n}\n", 2, 28,
                "expected a non-negative integer");
        assertError("kernel @k(%x: f32[N]) -> () {\n  %t = reduce.sum %x axes=[0] keepdim=yes : f32[]\n  return\n}\n",
                2, 39, "expected true or false");
    }

    @Test
    void badFusionKindAndCharacters() {
        assertError("kernel @k(%x: f32[N]) -> () {\n  return\n  fuse @g elementwise [%x]\n}\n", 3, 11,
                "unknown fusion kind 'elementwise'");
        assertError("kernel @k(%x: f32[N]) -> () {\n  return $\n}\n", 2, 10, "unexpected character '$'");
        // the graph lexer of old looped forever on a letter outside ASCII
        assertError("kernel @k(%x: f32[N]) -> () {\n  return \u00e9\n}\n", 2, 10, "unexpected character '\u00e9'");
        assertError("kernel @k(%x: f32[N]) -> () {\n  return\n", 3, 1, "expected '}' but found end of input");
        assertError("kernel k() -> () {}", 1, 8, "expected a kernel name");
        assertError("kernel @k(%x: f32[N.1]) -> () {\n  return\n}\n", 1, 19, "expected a dimension");
    }

    @Test
    void rendersLikeACompiler() {
        String text = "kernel @k(%x: f32[N]) -> (f32[N]) {\n  %y = exp %q : f32[N]\n  return %y\n}\n";
        CompileException e = assertThrows(CompileException.class, () -> GraphParser.parse(text));
        assertEquals("""
                <ir>:2:12: error: use of undefined value %q
                  %y = exp %q : f32[N]
                           ^~
                """, new DiagnosticRenderer(text).renderAll(e.diagnostics()));
    }
}
