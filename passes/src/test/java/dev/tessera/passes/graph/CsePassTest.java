package dev.tessera.passes.graph;

import static dev.tessera.passes.graph.PassAssertions.assertPass;

import org.junit.jupiter.api.Test;

class CsePassTest {

    private final CsePass pass = new CsePass();

    @Test
    void reusesEqualInstructionsIncludingCommutedOperands() {
        assertPass(pass, """
                kernel @k(%x: f32[N], %y: f32[N]) -> (f32[N], f32[N], f32[N], f32[N]) {
                  %a = exp %x : f32[N]
                  %b = exp %x : f32[N]
                  %c = add %a, %y : f32[N]
                  %d = add %y, %b : f32[N]
                  %e = sub %a, %y : f32[N]
                  %f = sub %y, %b : f32[N]
                  %m = reduce.max %d axes=[0] keepdim=true : f32[1]
                  %n = reduce.max %c axes=[0] keepdim=true : f32[1]
                  %o = reduce.max %c axes=[0] keepdim=false : f32[]
                  %g = sub %e, %n : f32[N]
                  %h = sub %e, %m : f32[N]
                  return %d, %f, %g, %h
                }
                """, """
                kernel @k(%x: f32[N], %y: f32[N]) -> (f32[N], f32[N], f32[N], f32[N]) {
                  %a = exp %x : f32[N]
                  %c = add %a, %y : f32[N]
                  %e = sub %a, %y : f32[N]
                  %f = sub %y, %a : f32[N]
                  %m = reduce.max %c axes=[0] keepdim=true : f32[1]
                  %o = reduce.max %c axes=[0] keepdim=false : f32[]
                  %g = sub %e, %m : f32[N]
                  return %c, %f, %g, %g
                }
                """);
    }

    @Test
    void constantsCompareByBitsAndTypesMatter() {
        assertPass(pass, """
                kernel @k(%x: f32[N]) -> (f32[], f32[], f32[], f32[], f32[], f32[1, N], f32[N, 1], f16[]) {
                  %p = const 0.0 : f32[]
                  %n = const -0.0 : f32[]
                  %p2 = const 0.0 : f32[]
                  %q = const nan : f32[]
                  %q2 = const nan : f32[]
                  %r1 = reshape %x : f32[1, N]
                  %r2 = reshape %x : f32[N, 1]
                  %h = const 0.0 : f16[]
                  return %p, %n, %p2, %q, %q2, %r1, %r2, %h
                }
                """, """
                kernel @k(%x: f32[N]) -> (f32[], f32[], f32[], f32[], f32[], f32[1, N], f32[N, 1], f16[]) {
                  %p = const 0.0 : f32[]
                  %n = const -0.0 : f32[]
                  %q = const nan : f32[]
                  %r1 = reshape %x : f32[1, N]
                  %r2 = reshape %x : f32[N, 1]
                  %h = const 0.0 : f16[]
                  return %p, %n, %p, %q, %q, %r1, %r2, %h
                }
                """);
    }
}
