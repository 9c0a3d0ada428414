package dev.tessera.passes.graph;

import dev.tessera.passes.GraphPass;
import java.util.List;
import java.util.Optional;

/** The registry of graph-level passes, by their command-line names. */
public final class GraphPasses {

    private GraphPasses() {}

    /**
     * Every graph pass, in the order a default cleanup runs them: canonical forms first so that folding and
     * CSE see one spelling, DCE after both have orphaned instructions, shape inference last as a check.
     */
    public static List<GraphPass> all() {
        return List.of(new CanonicalizePass(), new ConstantFoldPass(), new CsePass(), new DcePass(),
                new ShapeInferPass());
    }

    public static Optional<GraphPass> byName(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
