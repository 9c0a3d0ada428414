package dev.tessera.passes.fusion;

import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.tile.IndexTerm;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Grows the fused group that computes one value (the root) of a graph kernel: which producers are computed
 * inline, over which domain, and at which index map each value is needed. The fuse pass uses it to choose
 * groups and the tile lowering to rebuild them, so both agree by construction.
 *
 * <p>Rules. The root's anchor is the nearest reduction or matrix product, through elementwise ops, whose
 * input or result has the root's shape; otherwise the group is pointwise. A reduction joins when it has the
 * anchor's signature and is read at its natural map; the matrix product joins only as the anchor. Elementwise
 * producers join and are recomputed in every group that reads them, except in a matmul prologue (read along
 * K) where only producers free of reductions and products may join, so that a matmul never recomputes one.
 * Anything else is loaded, and so must be materialised by a group of its own.
 */
public final class GroupBuilder {

    /** A value needed at an index map. */
    public record Use(Value value, List<IndexTerm> map) {}

    /** The outcome: the anchor fixing the domain, members computed inline, values loaded from memory. */
    public record Group(Value root, Anchor anchor, List<IndexTerm> rootMap, Set<String> members, List<Use> loads) {

        public String kind() {
            return anchor.kind();
        }

        public dev.tessera.ir.tile.Domain domain() {
            return anchor.domain();
        }
    }

    private final Map<String, Instr> defs = new HashMap<>();
    private final Set<String> dependsOnAnchor = new HashSet<>();
    private final Map<String, Integer> definitionIndex = new HashMap<>();

    public GroupBuilder(GraphKernel kernel) {
        for (Instr i : kernel.body()) {
            defs.put(i.result().name(), i);
            definitionIndex.put(i.result().name(), definitionIndex.size());
            boolean anchored = i.op() instanceof Op.Reduce || i.op() instanceof Op.MatMul
                    || i.op().operands().stream().anyMatch(v -> dependsOnAnchor.contains(v.name()));
            if (anchored) {
                dependsOnAnchor.add(i.result().name());
            }
        }
    }

    public Instr def(Value v) {
        return defs.get(v.name());
    }

    /** Builds the group of {@code root}, computing inline only values that {@code allowed} accepts. */
    public Group build(Value root, Predicate<Value> allowed) {
        Anchor anchor = anchorOf(root);
        List<IndexTerm> rootMap = rootMap(root, anchor);
        Set<String> forced = new HashSet<>();
        while (true) {
            Growth g = new Growth(anchor, allowed, forced);
            String conflict = g.grow(root, rootMap);
            if (conflict == null) {
                return new Group(root, anchor, rootMap, g.membersInOrder(), List.copyOf(g.loads));
            }
            forced.add(conflict);
        }
    }

    private Anchor anchorOf(Value root) {
        ArrayDeque<Value> queue = new ArrayDeque<>(List.of(root));
        Set<String> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            Value v = queue.poll();
            Instr i = defs.get(v.name());
            if (i == null || !seen.add(v.name())) {
                continue;
            }
            switch (i.op()) {
                case Op.Reduce r -> {
                    if (root.type().shape().equals(r.x().type().shape()) || root.type().shape().equals(v.type().shape())) {
                        return new Anchor.Reduce(r.x().type().shape(), r.axes());
                    }
                }
                case Op.MatMul mm -> {
                    if (root.type().shape().equals(v.type().shape())) {
                        return new Anchor.Matmul(v, mm.a(), mm.b());
                    }
                }
                case Op.Unary u -> queue.add(u.x());
                case Op.Binary b -> queue.addAll(b.operands());
                case Op.Select s -> queue.addAll(s.operands());
                case Op.Cast c -> queue.add(c.x());
                case Op.BroadcastTo bt -> queue.add(bt.x());
                case Op.Transpose t -> queue.add(t.x());
                case Op.Constant c -> { }
                case Op.Reshape r -> { }
            }
        }
        return new Anchor.Pointwise(root.type().shape());
    }

    private static List<IndexTerm> rootMap(Value root, Anchor anchor) {
        return switch (anchor) {
            case Anchor.Pointwise p -> IndexMaps.identity(root.type().rank());
            case Anchor.Matmul m -> m.resultMap();
            case Anchor.Reduce r -> {
                if (root.type().shape().equals(r.input())) {
                    yield r.fullMap();
                }
                List<IndexTerm> kept = r.resultMap(true);
                yield kept.size() == root.type().rank() ? kept : r.resultMap(false);
            }
        };
    }

    /** One attempt at growing a group; reports the first value that must be forced out. */
    private final class Growth {
        final Anchor anchor;
        final Predicate<Value> allowed;
        final Set<String> forced;
        final Set<String> members = new HashSet<>();
        final Set<Use> visited = new HashSet<>();
        final Set<Use> loadSet = new LinkedHashSet<>();
        final List<Use> loads = new ArrayList<>();
        /** Values read at a map the group cannot compute them at: they must be loaded everywhere. */
        String conflict;

        Growth(Anchor anchor, Predicate<Value> allowed, Set<String> forced) {
            this.anchor = anchor;
            this.allowed = allowed;
            this.forced = forced;
        }

        String grow(Value root, List<IndexTerm> rootMap) {
            Instr i = defs.get(root.name());
            if (i == null) {
                throw new IllegalArgumentException("group root %" + root.name() + " is a parameter");
            }
            members.add(root.name());
            visitOperands(i, rootMap, false);
            return conflict;
        }

        Set<String> membersInOrder() {
            Set<String> ordered = new LinkedHashSet<>();
            defs.values().stream()
                    .map(Instr::result)
                    .filter(v -> members.contains(v.name()))
                    .sorted((x, y) -> Integer.compare(order(x), order(y)))
                    .forEach(v -> ordered.add(v.name()));
            return ordered;
        }

        private void visit(Value v, List<IndexTerm> map, boolean prologue) {
            if (conflict != null || !visited.add(new Use(v, map))) {
                return;
            }
            Instr i = defs.get(v.name());
            if (i == null || forced.contains(v.name()) || !allowed.test(v) || i.op() instanceof Op.Reshape) {
                load(v, map);
                return;
            }
            boolean joins = switch (i.op()) {
                case Op.Reduce r -> !prologue && anchor instanceof Anchor.Reduce a && a.matches(r)
                        && map.equals(a.resultMap(r.keepdim()));
                case Op.MatMul mm -> !prologue && anchor instanceof Anchor.Matmul a
                        && a.result().name().equals(v.name()) && map.equals(a.resultMap());
                default -> !prologue || !dependsOnAnchor.contains(v.name());
            };
            if (!joins) {
                if (members.contains(v.name())) {
                    conflict = v.name();
                } else {
                    load(v, map);
                }
                return;
            }
            if (loadSet.stream().anyMatch(u -> u.value().name().equals(v.name()))) {
                conflict = v.name();
                return;
            }
            members.add(v.name());
            visitOperands(i, map, prologue);
        }

        private void load(Value v, List<IndexTerm> map) {
            if (members.contains(v.name())) {
                conflict = v.name();
                return;
            }
            Use u = new Use(v, map);
            if (loadSet.add(u)) {
                loads.add(u);
            }
        }

        private void visitOperands(Instr i, List<IndexTerm> map, boolean prologue) {
            Value result = i.result();
            switch (i.op()) {
                case Op.Unary u -> visit(u.x(), map, prologue);
                case Op.Cast c -> visit(c.x(), map, prologue);
                case Op.Binary b -> {
                    for (Value o : b.operands()) {
                        visit(o, IndexMaps.broadcastOperand(o.type().shape(), result.type().shape(), map), prologue);
                    }
                }
                case Op.Select s -> {
                    for (Value o : s.operands()) {
                        visit(o, IndexMaps.broadcastOperand(o.type().shape(), result.type().shape(), map), prologue);
                    }
                }
                case Op.BroadcastTo b ->
                        visit(b.x(), IndexMaps.broadcastOperand(b.x().type().shape(), result.type().shape(), map), prologue);
                case Op.Transpose t -> visit(t.x(), IndexMaps.transposeOperand(t.perm(), map), prologue);
                case Op.Reduce r -> visit(r.x(), ((Anchor.Reduce) anchor).fullMap(), false);
                case Op.MatMul mm -> {
                    Anchor.Matmul a = (Anchor.Matmul) anchor;
                    visit(mm.a(), a.aMap(), true);
                    visit(mm.b(), a.bMap(), true);
                }
                case Op.Constant c -> { }
                case Op.Reshape r -> { }
            }
        }
    }

    private int order(Value v) {
        return definitionIndex.getOrDefault(v.name(), Integer.MAX_VALUE);
    }
}
