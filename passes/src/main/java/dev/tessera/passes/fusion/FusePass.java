package dev.tessera.passes.fusion;

import dev.tessera.ir.graph.FusionGroup;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.passes.GraphPass;
import java.util.ArrayList;
import java.util.List;

/** Groups operations into device kernels; the rules are {@link GroupBuilder}'s. */
public final class FusePass implements GraphPass {

    @Override
    public String name() {
        return "fuse";
    }

    @Override
    public String description() {
        return "group ops into kernels: elementwise chains, reductions with their producers and consumers, "
                + "matmul with its epilogue";
    }

    @Override
    public GraphModule run(GraphModule module) {
        List<GraphKernel> out = new ArrayList<>();
        for (GraphKernel k : module.kernels()) {
            List<FusionGroup> groups = new ArrayList<>();
            for (GroupBuilder.Group g : Partition.fused(k)) {
                groups.add(new FusionGroup(k.name() + "_" + groups.size(), g.kind(), List.copyOf(g.members())));
            }
            out.add(groups.equals(k.fusions()) ? k : k.withFusions(groups));
        }
        return out.equals(module.kernels()) ? module : new GraphModule(out);
    }
}
