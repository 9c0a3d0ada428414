package dev.tessera.passes.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.GraphParser;
import dev.tessera.ir.graph.GraphPrinter;
import dev.tessera.ir.graph.GraphVerifier;
import dev.tessera.passes.GraphPass;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphPassesTest {

    @Test
    void registryListsEveryPassOnceInOrder() {
        assertEquals(List.of("canonicalize", "constant-fold", "cse", "dce", "shape-infer"),
                GraphPasses.all().stream().map(GraphPass::name).toList());
        GraphPasses.all().forEach(p -> assertFalse(p.description().isBlank()));
        assertEquals("cse", GraphPasses.byName("cse").orElseThrow().name());
        assertTrue(GraphPasses.byName("fuse-everything").isEmpty());
    }

    @Test
    void pipelineToAFixedPointCleansUpAndPreservesMeaning() {
        String before = """
                kernel @k(%x: f32[N, D], %w: f32[D]) -> (f32[N, D], f32[N, 1]) {
                  %one = const 1.0 : f32[]
                  %two = const 2.0 : f32[]
                  %half = div %one, %two : f32[]
                  %a = mul %one, %x : f32[N, D]
                  %b = mul %half, %a : f32[N, D]
                  %c = mul %x, %half : f32[N, D]
                  %d = add %b, %w : f32[N, D]
                  %e = add %w, %c : f32[N, D]
                  %m = reduce.max %d axes=[1] keepdim=true : f32[N, 1]
                  %dead = exp %e : f32[N, D]
                  %f = sub %e, %m : f32[N, D]
                  return %f, %m
                }
                """;
        GraphModule m = GraphParser.parse(before);
        // folding %half makes `mul %half, %a` non-canonical again, so one round is not enough; passes return
        // the same instance when they change nothing, which makes the fixed point cheap to detect
        GraphModule out = m;
        int rounds = 0;
        for (GraphModule previous = null; previous != out; rounds++) {
            previous = out;
            for (GraphPass p : GraphPasses.all()) {
                out = p.run(out);
                assertTrue(GraphVerifier.verify(out).isEmpty(), p.name());
            }
        }
        assertEquals(3, rounds);
        assertEquals("""
                kernel @k(%x: f32[N, D], %w: f32[D]) -> (f32[N, D], f32[N, 1]) {
                  %half = const 0.5 : f32[]
                  %b = mul %x, %half : f32[N, D]
                  %d = add %b, %w : f32[N, D]
                  %m = reduce.max %d axes=[1] keepdim=true : f32[N, 1]
                  %f = sub %d, %m : f32[N, D]
                  return %f, %m
                }
                """, GraphPrinter.print(out));
        PassAssertions.assertSameResults(m.kernels().getFirst(), out.kernels().getFirst());
    }
}
