package dev.tessera.ir.interp;

import dev.tessera.ir.Dim;
import dev.tessera.ir.TensorType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a kernel's symbolic dims (N, D, ...) from the shapes of the tensors it is launched with, and says
 * exactly which parameter and dim disagree when they are inconsistent.
 */
public final class DimBinder {

    private DimBinder() {}

    /** Binds with parameters named only by position in messages. */
    public static Map<String, Long> bind(List<TensorType> declared, List<long[]> actualShapes) {
        return bind(null, declared, actualShapes);
    }

    /**
     * @param names parameter names for messages ({@code parameter 2 (b): ...}), or null
     * @return each symbol's extent, in order of first appearance
     * @throws IllegalArgumentException on a count, rank or extent mismatch
     */
    public static Map<String, Long> bind(List<String> names, List<TensorType> declared, List<long[]> actualShapes) {
        if (declared.size() != actualShapes.size()) {
            throw new IllegalArgumentException(
                    "expected " + declared.size() + " input(s) but got " + actualShapes.size());
        }
        Map<String, Long> bound = new LinkedHashMap<>();
        Map<String, Integer> boundBy = new LinkedHashMap<>();
        for (int p = 0; p < declared.size(); p++) {
            TensorType t = declared.get(p);
            long[] shape = actualShapes.get(p);
            String who = label(names, p);
            if (shape.length != t.rank()) {
                throw new IllegalArgumentException(who + ": expected rank " + t.rank() + " (" + t + ") but got shape "
                        + Arrays.toString(shape));
            }
            for (int i = 0; i < shape.length; i++) {
                long actual = shape[i];
                switch (t.shape().dim(i)) {
                    case Dim.Lit l -> {
                        if (l.value() != actual) {
                            throw new IllegalArgumentException(who + ": dim " + i + " must be " + l.value()
                                    + " (" + t + ") but is " + actual);
                        }
                    }
                    case Dim.Sym s -> {
                        Long prev = bound.putIfAbsent(s.name(), actual);
                        if (prev == null) {
                            boundBy.put(s.name(), p);
                        } else if (prev != actual) {
                            int q = boundBy.get(s.name());
                            String from = q == p ? "from an earlier dim of the same parameter"
                                    : "from " + label(names, q);
                            throw new IllegalArgumentException(who + ": dim " + s.name() + " is " + actual
                                    + " here but " + prev + " " + from);
                        }
                    }
                }
            }
        }
        return bound;
    }

    /** {@code parameter 2 (b)}: 1-based, as people count. */
    static String label(List<String> names, int index) {
        return "parameter " + (index + 1) + (names == null ? "" : " (" + names.get(index) + ")");
    }
}
