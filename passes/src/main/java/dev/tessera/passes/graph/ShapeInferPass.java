package dev.tessera.passes.graph;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.TypeRules;
import dev.tessera.passes.GraphPass;

/**
 * Re-derives every result type with {@link TypeRules} and stops compilation at the first instruction whose
 * declared type disagrees; a guard between passes that rewrite types, it never changes the module.
 */
public final class ShapeInferPass implements GraphPass {

    @Override
    public String name() {
        return "shape-infer";
    }

    @Override
    public String description() {
        return "check every result type against the typing rules (fails with the instruction's span)";
    }

    @Override
    public GraphModule run(GraphModule module) {
        for (GraphKernel k : module.kernels()) {
            for (Instr i : k.body()) {
                TypeRules.check(i).ifPresent(msg -> {
                    throw new CompileException(i.span(), msg);
                });
            }
        }
        return module;
    }
}
