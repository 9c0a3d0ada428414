package dev.tessera.passes.graph;

import static dev.tessera.passes.graph.PassAssertions.assertPass;

import org.junit.jupiter.api.Test;

class CanonicalizePassTest {

    private final CanonicalizePass pass = new CanonicalizePass();

    @Test
    void movesConstantsRightAndMirrorsComparisons() {
        assertPass(pass, """
                kernel @k(%x: f32[N]) -> (f32[N], bool[N], f32[N], bool[N]) {
                  %c = const 2.0 : f32[]
                  %a = add %c, %x : f32[N]
                  %l = lt %c, %x : bool[N]
                  %s = sub %c, %x : f32[N]
                  %e = eq %c, %c : bool[]
                  %g = ge %c, %x : bool[N]
                  return %a, %l, %s, %g
                }
                """, """
                kernel @k(%x: f32[N]) -> (f32[N], bool[N], f32[N], bool[N]) {
                  %c = const 2.0 : f32[]
                  %a = add %x, %c : f32[N]
                  %l = gt %x, %c : bool[N]
                  %s = sub %c, %x : f32[N]
                  %e = eq %c, %c : bool[]
                  %g = le %x, %c : bool[N]
                  return %a, %l, %s, %g
                }
                """);
    }

    @Test
    void removesOnlyExactFloatIdentities() {
        assertPass(pass, """
                kernel @k(%x: f32[N]) -> (f32[N], f32[N], f32[N], f32[N], f32[N], f32[N], f32[N]) {
                  %one = const 1.0 : f32[]
                  %pz = const 0.0 : f32[]
                  %nz = const -0.0 : f32[]
                  %a = mul %one, %x : f32[N]
                  %b = add %a, %pz : f32[N]
                  %c = add %x, %nz : f32[N]
                  %d = sub %c, %pz : f32[N]
                  %e = sub %x, %nz : f32[N]
                  %f = div %d, %one : f32[N]
                  %g = mul %x, %pz : f32[N]
                  return %a, %b, %c, %d, %e, %f, %g
                }
                """, """
                kernel @k(%x: f32[N]) -> (f32[N], f32[N], f32[N], f32[N], f32[N], f32[N], f32[N]) {
                  %one = const 1.0 : f32[]
                  %pz = const 0.0 : f32[]
                  %nz = const -0.0 : f32[]
                  %b = add %x, %pz : f32[N]
                  %e = sub %x, %nz : f32[N]
                  %g = mul %x, %pz : f32[N]
                  return %x, %b, %x, %x, %e, %x, %g
                }
                """);
    }

    @Test
    void integerAndBoolIdentities() {
        assertPass(pass, """
                kernel @k(%i: i32[N], %p: bool[N]) -> (i32[N], i32[N], bool[N], bool[N]) {
                  %z = const 0 : i32[]
                  %t = const true : bool[]
                  %f = const false : bool[]
                  %a = add %z, %i : i32[N]
                  %s = sub %a, %z : i32[N]
                  %b = and %p, %t : bool[N]
                  %o = or %f, %b : bool[N]
                  %n = not %o : bool[N]
                  %nn = not %n : bool[N]
                  return %s, %a, %o, %nn
                }
                """, """
                kernel @k(%i: i32[N], %p: bool[N]) -> (i32[N], i32[N], bool[N], bool[N]) {
                  %z = const 0 : i32[]
                  %t = const true : bool[]
                  %f = const false : bool[]
                  %n = not %p : bool[N]
                  return %i, %i, %p, %p
                }
                """);
    }

    @Test
    void removesNoOpShapeAndTypeOps() {
        assertPass(pass, """
                kernel @k(%x: f32[N, D]) -> (f32[N, D], f32[2, N, D], f32[D, N]) {
                  %n1 = neg %x : f32[N, D]
                  %n2 = neg %n1 : f32[N, D]
                  %c = cast %n2 : f32[N, D]
                  %t = transpose %c perm=[0, 1] : f32[N, D]
                  %r = reshape %t : f32[N, D]
                  %b = broadcast_to %r : f32[N, D]
                  %b2 = broadcast_to %b : f32[2, N, D]
                  %t2 = transpose %b perm=[1, 0] : f32[D, N]
                  %h = cast %t2 : f16[D, N]
                  return %b, %b2, %t2
                }
                """, """
                kernel @k(%x: f32[N, D]) -> (f32[N, D], f32[2, N, D], f32[D, N]) {
                  %n1 = neg %x : f32[N, D]
                  %b2 = broadcast_to %x : f32[2, N, D]
                  %t2 = transpose %x perm=[1, 0] : f32[D, N]
                  %h = cast %t2 : f16[D, N]
                  return %x, %b2, %t2
                }
                """);
    }

    @Test
    void leavesCanonicalIrAlone() {
        String text = """
                kernel @k(%x: f32[N]) -> (f32[N]) {
                  %c = const 1.0 : f32[]
                  %a = add %x, %c : f32[N]
                  return %a
                }
                """;
        assertPass(pass, text, text);
    }
}
