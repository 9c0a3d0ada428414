package dev.tessera.passes.graph;

import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Value;
import dev.tessera.passes.GraphPass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Dead-code elimination: drops instructions no kernel result depends on (every graph op is pure). */
public final class DcePass implements GraphPass {

    @Override
    public String name() {
        return "dce";
    }

    @Override
    public String description() {
        return "drop instructions that no kernel result depends on";
    }

    @Override
    public GraphModule run(GraphModule module) {
        return Rewrites.eachKernel(module, DcePass::run);
    }

    private static GraphKernel run(GraphKernel k) {
        Set<String> live = new HashSet<>();
        k.results().forEach(r -> live.add(r.name()));
        List<Instr> kept = new ArrayList<>();
        for (Instr i : k.body().reversed()) {
            if (live.contains(i.result().name())) {
                kept.add(i);
                i.op().operands().forEach(v -> live.add(v.name()));
            }
        }
        if (kept.size() == k.body().size()) {
            return k;
        }
        return k.withBody(kept.reversed(), k.results());
    }
}
