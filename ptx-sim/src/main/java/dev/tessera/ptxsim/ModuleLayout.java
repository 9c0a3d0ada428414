package dev.tessera.ptxsim;

import dev.tessera.ptxsim.Ast.Space;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a module's own variables live: the .const bank (laid out once), the module-scope .global
 * variables (allocated per DeviceMemory at launch) and the module-scope .shared ones (laid out per CTA).
 */
record ModuleLayout(byte[] constBank, Map<String, Integer> constOffsets, List<Ast.Var> globals,
                    Map<String, Integer> globalSlots, List<Ast.Var> shared) {

    static ModuleLayout of(Ast.Module m) {
        List<Ast.Var> consts = new ArrayList<>();
        List<Ast.Var> globals = new ArrayList<>();
        List<Ast.Var> shared = new ArrayList<>();
        for (Ast.Var v : m.globals()) {
            switch (v.space()) {
                case CONST -> consts.add(v);
                case GLOBAL -> globals.add(v);
                case SHARED -> shared.add(v);
                default -> throw new PtxException(v.line(), "unsupported module-scope ." + v.space().name().toLowerCase());
            }
        }
        Map<String, Integer> constOffsets = new HashMap<>();
        int size = 0;
        for (Ast.Var v : consts) {
            size = align(size, v.align());
            constOffsets.put(v.name(), size);
            size += (int) v.bytes();
        }
        byte[] bank = new byte[size];
        for (Ast.Var v : consts) {
            if (v.init() != null) {
                System.arraycopy(v.init(), 0, bank, constOffsets.get(v.name()), v.init().length);
            }
        }
        Map<String, Integer> slots = new HashMap<>();
        for (int i = 0; i < globals.size(); i++) {
            slots.put(globals.get(i).name(), i);
        }
        return new ModuleLayout(bank, Map.copyOf(constOffsets), List.copyOf(globals), Map.copyOf(slots),
                List.copyOf(shared));
    }

    static int align(int offset, int align) {
        int a = Math.max(1, align);
        return (offset + a - 1) / a * a;
    }

    /** Whether a variable is declared in {@code space} at module scope. */
    boolean declares(Space space, String name) {
        return switch (space) {
            case CONST -> constOffsets.containsKey(name);
            case GLOBAL -> globalSlots.containsKey(name);
            default -> false;
        };
    }
}
