package dev.tessera.codegen.ascendc;

import java.util.ArrayList;
import java.util.List;

/**
 * Temporary unified-buffer buffers of one size class (a TBuf each), handed out and back while one Compute
 * function is written; the high-water mark over all functions of a kernel is how many TBufs it declares.
 */
final class SlotPool {

    final String prefix;
    private final List<Integer> refs = new ArrayList<>();
    private int max;

    SlotPool(String prefix) {
        this.prefix = prefix;
    }

    int take() {
        for (int i = 0; i < refs.size(); i++) {
            if (refs.get(i) == 0) {
                refs.set(i, 1);
                return i;
            }
        }
        refs.add(1);
        max = Math.max(max, refs.size());
        return refs.size() - 1;
    }

    /** Another value now lives in slot {@code i} (a cast that changes nothing aliases its operand). */
    void share(int i) {
        refs.set(i, refs.get(i) + 1);
    }

    void give(int i) {
        if (refs.get(i) <= 0) {
            throw new IllegalStateException("slot " + prefix + i + " released twice");
        }
        refs.set(i, refs.get(i) - 1);
    }

    /** Starts a new function: every slot is free again; the high-water mark is kept. */
    void reset() {
        for (int i = 0; i < refs.size(); i++) {
            refs.set(i, 0);
        }
    }

    int max() {
        return max;
    }

    String name(int i) {
        return prefix + i;
    }
}
