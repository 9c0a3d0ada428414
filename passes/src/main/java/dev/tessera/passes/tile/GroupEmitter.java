package dev.tessera.passes.tile;

import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.tile.Domain;
import dev.tessera.ir.tile.IndexTerm;
import dev.tessera.ir.tile.KernelKind;
import dev.tessera.ir.tile.Schedule;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TOp;
import dev.tessera.ir.tile.TStore;
import dev.tessera.ir.tile.TValue;
import dev.tessera.ir.tile.TileKernel;
import dev.tessera.passes.fusion.Anchor;
import dev.tessera.passes.fusion.GroupBuilder;
import dev.tessera.passes.fusion.IndexMaps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Emits the tile kernel of one fused group: members are computed at the index map they are needed at
 * (once per distinct map), everything else is loaded from its storage.
 */
final class GroupEmitter {

    private final GroupBuilder defs;
    private final GroupBuilder.Group group;
    private final Map<String, String> storage;
    private final Map<String, String> viewNames;
    private final Map<GroupBuilder.Use, TValue> memo = new HashMap<>();
    private final List<TInstr> body = new ArrayList<>();
    private final Set<String> reads = new LinkedHashSet<>();

    GroupEmitter(GroupBuilder defs, GroupBuilder.Group group, Map<String, String> storage,
            Map<String, String> viewNames) {
        this.defs = defs;
        this.group = group;
        this.storage = storage;
        this.viewNames = viewNames;
    }

    TileKernel emit(String name, KernelKind kind, Schedule schedule, List<String> destinations) {
        TValue root = value(group.root(), group.rootMap());
        List<TStore> stores = new ArrayList<>();
        for (String d : destinations) {
            stores.add(new TStore(d, group.rootMap(), root));
        }
        return new TileKernel(name, kind, List.copyOf(reads), destinations, group.domain(), schedule, body, stores);
    }

    /** A kernel copying {@code source} (a buffer of {@code v}'s type) into {@code dest}. */
    static TileKernel copy(String name, Value v, String source, String dest, Schedule schedule) {
        List<IndexTerm> map = new ArrayList<>();
        for (int i = 0; i < v.type().rank(); i++) {
            map.add(new IndexTerm.Axis(i));
        }
        TValue x = new TValue("0", v.type().dtype());
        return new TileKernel(name, KernelKind.POINTWISE, List.of(source), List.of(dest),
                new Domain(v.type().shape().dims(), List.of()), schedule,
                List.of(new TInstr(x, new TOp.Load(source, map))), List.of(new TStore(dest, map, x)));
    }

    private TValue value(Value v, List<IndexTerm> map) {
        GroupBuilder.Use use = new GroupBuilder.Use(v, map);
        TValue done = memo.get(use);
        if (done != null) {
            return done;
        }
        TValue t = compute(v, map);
        memo.put(use, t);
        return t;
    }

    private TValue compute(Value v, List<IndexTerm> map) {
        Instr def = defs.def(v);
        boolean member = def != null && group.members().contains(v.name());
        if (!member || def.op() instanceof Op.Reshape) {
            String buffer = viewNames.getOrDefault(v.name(), storage.get(v.name()));
            if (buffer == null) {
                throw new IllegalStateException("no storage for %" + v.name() + " loaded by " + group.root());
            }
            reads.add(buffer);
            return add(v, new TOp.Load(buffer, map));
        }
        Value result = def.result();
        return switch (def.op()) {
            case Op.Constant c -> add(v, new TOp.Const(c.value()));
            case Op.Unary u -> add(v, new TOp.Unary(u.op(), value(u.x(), map)));
            case Op.Cast c -> add(v, new TOp.Cast(c.to(), value(c.x(), map)));
            case Op.Binary b -> add(v, new TOp.Binary(b.op(), operand(b.a(), result, map), operand(b.b(), result, map)));
            case Op.Select s -> add(v, new TOp.Select(operand(s.cond(), result, map), operand(s.a(), result, map),
                    operand(s.b(), result, map)));
            case Op.BroadcastTo b -> operand(b.x(), result, map);
            case Op.Transpose t -> value(t.x(), IndexMaps.transposeOperand(t.perm(), map));
            case Op.Reduce r -> add(v, new TOp.Reduce(r.op(), value(r.x(), ((Anchor.Reduce) group.anchor()).fullMap())));
            case Op.MatMul mm -> {
                Anchor.Matmul a = (Anchor.Matmul) group.anchor();
                yield add(v, new TOp.Dot(value(mm.a(), a.aMap()), value(mm.b(), a.bMap())));
            }
            case Op.Reshape r -> throw new AssertionError("handled above");
        };
    }

    /** An operand broadcast into {@code result}'s shape, read where the result is read. */
    private TValue operand(Value o, Value result, List<IndexTerm> map) {
        return value(o, IndexMaps.broadcastOperand(o.type().shape(), result.type().shape(), map));
    }

    private TValue add(Value v, TOp op) {
        TValue t = new TValue(Integer.toString(body.size()), v.type().dtype());
        body.add(new TInstr(t, op));
        return t;
    }
}
