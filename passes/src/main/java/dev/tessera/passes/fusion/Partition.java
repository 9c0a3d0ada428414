package dev.tessera.passes.fusion;

import dev.tessera.ir.graph.FusionGroup;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Splits a graph kernel into groups, each one device kernel, in an order that respects their data
 * dependencies. Starting from the kernel's results, every value a group loads that is not a parameter gets
 * a group of its own; reshapes are views of their (materialised) operand and need no kernel.
 */
public final class Partition {

    private final GraphKernel kernel;
    private final GroupBuilder builder;
    private final Map<String, GroupBuilder.Group> groups = new LinkedHashMap<>();

    private Partition(GraphKernel kernel) {
        this.kernel = kernel;
        this.builder = new GroupBuilder(kernel);
    }

    /** Groups chosen freely: every producer that may fuse does. */
    public static List<GroupBuilder.Group> fused(GraphKernel kernel) {
        return new Partition(kernel).run(root -> v -> true);
    }

    /**
     * Groups following the kernel's fusion groups (from the fuse pass or IR text); a value needed but in no
     * group is computed by a kernel of its own, with only constants inlined.
     */
    public static List<GroupBuilder.Group> following(GraphKernel kernel) {
        Map<String, Set<String>> byRoot = new HashMap<>();
        for (FusionGroup g : kernel.fusions()) {
            if (!g.members().isEmpty()) {
                byRoot.put(g.members().getLast(), Set.copyOf(g.members()));
            }
        }
        Partition p = new Partition(kernel);
        return p.run(root -> {
            Set<String> members = byRoot.getOrDefault(root.name(), Set.of(root.name()));
            return v -> members.contains(v.name()) || p.builder.def(v).op() instanceof Op.Constant;
        });
    }

    private List<GroupBuilder.Group> run(java.util.function.Function<Value, Predicate<Value>> allowedFor) {
        ArrayDeque<Value> needed = new ArrayDeque<>(kernel.results());
        Set<String> results = new HashSet<>();
        kernel.results().forEach(v -> results.add(v.name()));
        Set<String> done = new HashSet<>();
        while (!needed.isEmpty()) {
            Value v = needed.poll();
            Instr def = builder.def(v);
            if (def == null || !done.add(v.name())) {
                continue;
            }
            if (def.op() instanceof Op.Reshape r) {
                needed.add(r.x());
                if (!results.contains(v.name())) {
                    continue;
                }
            }
            GroupBuilder.Group g = builder.build(v, allowedFor.apply(v));
            groups.put(v.name(), g);
            g.loads().forEach(u -> needed.add(u.value()));
        }
        return topologicalOrder();
    }

    /** The value whose storage a load of {@code v} reads: through reshapes to what they view. */
    private String storageRoot(Value v) {
        Instr def = builder.def(v);
        return def != null && def.op() instanceof Op.Reshape r ? storageRoot(r.x()) : v.name();
    }

    private List<GroupBuilder.Group> topologicalOrder() {
        List<GroupBuilder.Group> order = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (String root : groups.keySet()) {
            place(root, placed, new HashSet<>(), order);
        }
        return order;
    }

    private void place(String root, Set<String> placed, Set<String> onPath, List<GroupBuilder.Group> order) {
        if (placed.contains(root)) {
            return;
        }
        if (!onPath.add(root)) {
            throw new IllegalStateException("cyclic dependency between fused groups at %" + root);
        }
        GroupBuilder.Group g = groups.get(root);
        List<Value> deps = new ArrayList<>();
        g.loads().forEach(u -> deps.add(u.value()));
        if (builder.def(g.root()).op() instanceof Op.Reshape r) {
            deps.add(r.x());
        }
        for (Value d : deps) {
            String s = storageRoot(d);
            if (groups.containsKey(s) && !s.equals(root)) {
                place(s, placed, onPath, order);
            }
        }
        onPath.remove(root);
        placed.add(root);
        order.add(g);
    }
}
