package dev.tessera.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.GraphParser;
import dev.tessera.ir.graph.GraphPrinter;
import dev.tessera.ir.graph.GraphVerifier;
import dev.tessera.ir.loop.LoopModule;
import dev.tessera.ir.loop.LoopParser;
import dev.tessera.ir.loop.LoopPrinter;
import dev.tessera.ir.loop.LoopVerifier;
import dev.tessera.ir.tile.TileModule;
import dev.tessera.ir.tile.TileParser;
import dev.tessera.ir.tile.TilePrinter;
import dev.tessera.ir.tile.TileVerifier;
import dev.tessera.passes.Pipeline;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every level of IR of every example and test kernel prints, parses back to an equal module, prints the
 * same text again, and still verifies: the textual IR is a faithful way to reproduce any compilation.
 */
class RoundTripTest {

    @TestFactory
    Stream<DynamicTest> everyLevelOfEveryKernelRoundTrips() {
        return Examples.allFiles().stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path file) {
        GraphModule source = Examples.parse(file);
        Pipeline.Result r = Pipeline.defaults().run(source, new Pipeline.Options(Map.of(), true, Set.of(), false, (p, t) -> { }));

        for (GraphModule g : new GraphModule[] {source, r.graph()}) {
            String text = GraphPrinter.print(g);
            GraphModule back = GraphParser.parse(text);
            assertEquals(text, GraphPrinter.print(back), file + ": graph text");
            assertTrue(GraphVerifier.verify(back).isEmpty(), file + ": " + GraphVerifier.verify(back));
        }

        String tile = TilePrinter.print(r.tile());
        TileModule tileBack = TileParser.parseModule(tile);
        assertEquals(tile, TilePrinter.print(tileBack), file + ": tile text");
        assertEquals(r.tile(), tileBack, file + ": tile records");
        assertTrue(TileVerifier.verify(tileBack).isEmpty(), file + ": " + TileVerifier.verify(tileBack));

        String loop = LoopPrinter.print(r.loop());
        LoopModule loopBack = LoopParser.parseModule(loop);
        assertEquals(loop, LoopPrinter.print(loopBack), file + ": loop text");
        assertEquals(r.loop(), loopBack, file + ": loop records");
        assertTrue(LoopVerifier.verify(loopBack).isEmpty(), file + ": " + LoopVerifier.verify(loopBack));
    }
}
