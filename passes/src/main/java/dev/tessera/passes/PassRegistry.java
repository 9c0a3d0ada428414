package dev.tessera.passes;

import dev.tessera.passes.fusion.FusePass;
import dev.tessera.passes.graph.GraphPasses;
import dev.tessera.passes.loop.LoopLowering;
import dev.tessera.passes.tile.TileLowering;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every pass by name, with its one-line description: the single list the CLI shows and parses. */
public final class PassRegistry {

    private PassRegistry() {}

    private static List<GraphPass> graphPasses() {
        List<GraphPass> all = new ArrayList<>(GraphPasses.all());
        all.add(new FusePass());
        return all;
    }

    public static Optional<GraphPass> graphPass(String name) {
        return graphPasses().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Name to description, in pipeline order. */
    public static Map<String, String> descriptions() {
        Map<String, String> m = new LinkedHashMap<>();
        graphPasses().forEach(p -> m.put(p.name(), p.description()));
        m.put(TileLowering.name(), TileLowering.description());
        m.put(LoopLowering.name(), LoopLowering.description());
        return m;
    }

    public static List<String> names() {
        return List.copyOf(descriptions().keySet());
    }
}
