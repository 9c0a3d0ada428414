package dev.tessera.passes.graph;

import static dev.tessera.passes.graph.PassAssertions.assertPass;

import org.junit.jupiter.api.Test;

class ConstantFoldPassTest {

    private final ConstantFoldPass pass = new ConstantFoldPass();

    @Test
    void foldsChainsAndRoundsToTheResultDtype() {
        assertPass(pass, """
                kernel @k(%x: f32[N]) -> (f32[N], f16[], f32[]) {
                  %a = const 1.5 : f32[]
                  %b = const 2.25 : f32[]
                  %c = mul %a, %b : f32[]
                  %d = exp %c : f32[]
                  %e = add %x, %d : f32[N]
                  %t = const 0.1 : f32[]
                  %h = cast %t : f16[]
                  %l = lt %a, %b : bool[]
                  %s = select %l, %a, %b : f32[]
                  %r = reduce.sum %s axes=[] keepdim=false : f32[]
                  return %e, %h, %r
                }
                """, """
                kernel @k(%x: f32[N]) -> (f32[N], f16[], f32[]) {
                  %a = const 1.5 : f32[]
                  %b = const 2.25 : f32[]
                  %c = const 3.375 : f32[]
                  %d = const 29.22428321838379 : f32[]
                  %e = add %x, %d : f32[N]
                  %t = const 0.1 : f32[]
                  %h = const 0.0999755859375 : f16[]
                  %l = const true : bool[]
                  %s = const 1.5 : f32[]
                  %r = const 1.5 : f32[]
                  return %e, %h, %r
                }
                """);
    }

    @Test
    void integerSemanticsWrapAndDivideByZeroAsZero() {
        assertPass(pass, """
                kernel @k() -> (i32[], i32[], i32[], f32[]) {
                  %max = const 2147483647 : i32[]
                  %one = const 1 : i32[]
                  %zero = const 0 : i32[]
                  %w = add %max, %one : i32[]
                  %q = div %one, %zero : i32[]
                  %m = mod %w, %max : i32[]
                  %f = cast %w : f32[]
                  return %w, %q, %m, %f
                }
                """, """
                kernel @k() -> (i32[], i32[], i32[], f32[]) {
                  %max = const 2147483647 : i32[]
                  %one = const 1 : i32[]
                  %zero = const 0 : i32[]
                  %w = const -2147483648 : i32[]
                  %q = const 0 : i32[]
                  %m = const -1 : i32[]
                  %f = const -2.147483648E9 : f32[]
                  return %w, %q, %m, %f
                }
                """);
    }

    @Test
    void leavesTensorsAndNonConstantsAlone() {
        String text = """
                kernel @k(%x: f32[], %v: f32[N]) -> (f32[], f32[N]) {
                  %a = const 2.0 : f32[]
                  %b = mul %x, %a : f32[]
                  %c = broadcast_to %a : f32[N]
                  %d = add %v, %c : f32[N]
                  %z = const 0.0 : f32[]
                  %n = div %z, %z : f32[]
                  return %b, %d
                }
                """;
        assertPass(pass, text, text.replace("%n = div %z, %z : f32[]", "%n = const nan : f32[]"));
    }
}
