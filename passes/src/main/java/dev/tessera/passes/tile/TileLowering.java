package dev.tessera.passes.tile;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.tile.KernelKind;
import dev.tessera.ir.tile.TileKernel;
import dev.tessera.ir.tile.TileModule;
import dev.tessera.ir.tile.TileProgram;
import dev.tessera.passes.fusion.GroupBuilder;
import dev.tessera.passes.fusion.Partition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers graph IR to tile IR: each fusion group (or, where the fuse pass did not run, each op) becomes one
 * tile kernel with a schedule. Decides the program's buffers: parameters keep their names; results are
 * {@code result.I}, intermediates {@code tmp.V}, reshapes {@code view.V} (dots cannot occur in DSL names, so
 * these never collide with a parameter).
 */
public final class TileLowering {

    private final Map<String, Integer> overrides;
    private final Schedules.Profile profile;

    /**
     * @param overrides schedule parameters set by the user, applied to every kernel that has them
     * @param profile which defaults the other parameters take
     */
    public TileLowering(Map<String, Integer> overrides, Schedules.Profile profile) {
        Schedules.checkKeys(overrides);
        this.overrides = Map.copyOf(overrides);
        this.profile = profile;
    }

    public static String name() {
        return "tile";
    }

    public static String description() {
        return "turn each fusion group into a tile kernel with a schedule (graph -> tile)";
    }

    public TileModule run(GraphModule module) {
        List<TileProgram> programs = new ArrayList<>();
        for (GraphKernel k : module.kernels()) {
            programs.add(lower(k));
        }
        return new TileModule(programs);
    }

    private TileProgram lower(GraphKernel k) {
        GroupBuilder defs = new GroupBuilder(k);
        List<GroupBuilder.Group> groups = Partition.following(k);

        Map<String, String> storage = new HashMap<>();
        List<Buffer> inputs = new ArrayList<>();
        for (Value p : k.params()) {
            inputs.add(new Buffer(p.name(), p.type()));
            storage.put(p.name(), p.name());
        }
        List<Buffer> outputs = new ArrayList<>();
        for (int i = 0; i < k.results().size(); i++) {
            Value r = k.results().get(i);
            outputs.add(new Buffer("result." + i, r.type()));
            storage.putIfAbsent(r.name(), "result." + i);
        }
        List<Buffer> temps = new ArrayList<>();
        List<BufferPlan.View> views = new ArrayList<>();
        // Every group root that is not a result or a reshape gets a temp ...
        for (GroupBuilder.Group g : groups) {
            String r = g.root().name();
            if (!storage.containsKey(r) && !(defs.def(g.root()).op() instanceof Op.Reshape)) {
                temps.add(new Buffer("tmp." + r, g.root().type()));
                storage.put(r, "tmp." + r);
            }
        }
        // ... and every reshape that is read (or copied out) is a view of its operand's storage.
        Map<String, String> viewNames = new HashMap<>();
        for (GroupBuilder.Group g : groups) {
            g.loads().forEach(u -> declareView(u.value(), defs, storage, viewNames, views));
            declareView(g.root(), defs, storage, viewNames, views);
        }
        BufferPlan plan = new BufferPlan(inputs, outputs, temps, views);

        List<TileKernel> kernels = new ArrayList<>();
        for (GroupBuilder.Group g : groups) {
            String name = k.name() + "_" + kernels.size();
            List<String> dests = new ArrayList<>();
            for (int i = 0; i < k.results().size(); i++) {
                if (k.results().get(i).name().equals(g.root().name())) {
                    dests.add("result." + i);
                }
            }
            String own = storage.get(g.root().name());
            if (own != null && own.startsWith("tmp.")) {
                dests.add(own);
            }
            KernelKind kind = KernelKind.valueOf(g.kind().toUpperCase(java.util.Locale.ROOT));
            kernels.add(new GroupEmitter(defs, g, storage, viewNames)
                    .emit(name, kind, Schedules.resolve(kind, overrides, profile), dests));
        }
        // A result that is a parameter (or the same storage twice) still gets its own copy.
        for (int i = 0; i < k.results().size(); i++) {
            Value r = k.results().get(i);
            if (defs.def(r) == null) {
                kernels.add(GroupEmitter.copy(k.name() + "_" + kernels.size(), r, r.name(), "result." + i,
                        Schedules.resolve(KernelKind.POINTWISE, overrides, profile)));
            }
        }
        return new TileProgram(k.name(), plan, kernels);
    }

    /** Reshapes are views of their operand's storage; declares them (and views of views) once. */
    private static String declareView(Value v, GroupBuilder defs, Map<String, String> storage,
            Map<String, String> viewNames, List<BufferPlan.View> views) {
        Instr def = defs.def(v);
        if (def == null || !(def.op() instanceof Op.Reshape r)) {
            return storage.get(v.name());
        }
        String existing = viewNames.get(v.name());
        if (existing != null) {
            return existing;
        }
        String of = declareView(r.x(), defs, storage, viewNames, views);
        String name = "view." + v.name();
        views.add(new BufferPlan.View(new Buffer(name, v.type()), of));
        viewNames.put(v.name(), name);
        return name;
    }
}
