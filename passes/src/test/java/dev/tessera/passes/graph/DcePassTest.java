package dev.tessera.passes.graph;

import static dev.tessera.passes.graph.PassAssertions.assertPass;

import org.junit.jupiter.api.Test;

class DcePassTest {

    private final DcePass pass = new DcePass();

    @Test
    void dropsWhatNoResultNeeds() {
        assertPass(pass, """
                kernel @k(%x: f32[N], %y: f32[N]) -> (f32[N]) {
                  %a = exp %x : f32[N]
                  %b = log %y : f32[N]
                  %c = add %a, %x : f32[N]
                  %d = mul %b, %c : f32[N]
                  return %c
                  fuse @k_0 pointwise [%a, %c]
                }

                kernel @only_params(%x: f32[N]) -> (f32[N]) {
                  %a = exp %x : f32[N]
                  return %x
                }
                """, """
                kernel @k(%x: f32[N], %y: f32[N]) -> (f32[N]) {
                  %a = exp %x : f32[N]
                  %c = add %a, %x : f32[N]
                  return %c
                }

                kernel @only_params(%x: f32[N]) -> (f32[N]) {
                  return %x
                }
                """);
    }

    @Test
    void keepsEverythingLiveIncludingFusionGroups() {
        String text = """
                kernel @k(%x: f32[N]) -> (f32[N], f32[]) {
                  %a = exp %x : f32[N]
                  %s = reduce.sum %a axes=[0] keepdim=false : f32[]
                  return %a, %s
                  fuse @k_0 reduce [%a, %s]
                }
                """;
        assertPass(pass, text, text);
    }
}
