package dev.tessera.codegen.ascendc;

/**
 * Where vector instructions of one Compute function are written and their temporaries come from: either
 * full tiles ({@code n} = the tile length) or 64-element "scalar tiles" used to run transcendental functions
 * of a row scalar on the vector unit (the scalar unit has no exp or sqrt).
 */
final class Scratch {

    final StringBuilder out;
    final SlotPool pool;
    final SlotPool masks;
    /** The element count every vector instruction of this context processes (C++). */
    final String n;
    private final int[] counter;

    Scratch(StringBuilder out, SlotPool pool, SlotPool masks, String n, int[] counter) {
        this.out = out;
        this.pool = pool;
        this.masks = masks;
        this.n = n;
        this.counter = counter;
    }

    /** A slot viewed as {@code type}, declared as a fresh local; returns {name, slot index}. */
    Temp take(String type) {
        int slot = pool.take();
        return view(slot, type);
    }

    Temp view(int slot, String type) {
        String name = "t" + counter[0]++;
        line("AscendC::LocalTensor<" + type + "> " + name + " = " + pool.name(slot) + ".Get<" + type + ">();");
        return new Temp(name, slot);
    }

    void give(Temp t) {
        pool.give(t.slot());
    }

    Temp mask() {
        int slot = masks.take();
        String name = "m" + counter[0]++;
        line("AscendC::LocalTensor<uint8_t> " + name + " = " + masks.name(slot) + ".Get<uint8_t>();");
        return new Temp(name, slot);
    }

    void giveMask(Temp t) {
        masks.give(t.slot());
    }

    String fresh(String hint) {
        return hint + counter[0]++;
    }

    void line(String s) {
        out.append("        ").append(s).append('\n');
    }

    /** A temporary tensor: its local name and pool slot. */
    record Temp(String name, int slot) {}
}
