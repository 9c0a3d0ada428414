package dev.tessera.passes;

import dev.tessera.ir.graph.GraphModule;

/**
 * A graph-IR to graph-IR transformation. One small class per pass; {@link #name()} is its spelling in
 * {@code --passes} and {@code --print-ir-after}. A pass returns the same instance when nothing changed.
 */
public interface GraphPass {

    /** Kebab-case name used on the command line. */
    String name();

    /** One line saying what the pass does. */
    String description();

    GraphModule run(GraphModule module);
}
