package dev.tessera.passes.fusion;

import dev.tessera.ir.Dim;
import dev.tessera.ir.Shape;
import dev.tessera.ir.tile.IndexTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * Index maps: for each axis of a value, how it is indexed from a kernel's domain. Elementwise ops pass their
 * map to operands by NumPy broadcasting (right-aligned, extent-1 axes pinned to zero); transposes permute it.
 * This is what lets a fused kernel load a broadcast or transposed operand without copying it.
 */
public final class IndexMaps {

    private IndexMaps() {}

    static final IndexTerm ZERO = new IndexTerm.Zero();

    static IndexTerm axis(int i) {
        return new IndexTerm.Axis(i);
    }

    /** The identity map of a rank-r value over the first r domain axes. */
    public static List<IndexTerm> identity(int rank) {
        List<IndexTerm> m = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            m.add(axis(i));
        }
        return m;
    }

    /**
     * The map of an operand of shape {@code operand} broadcast into a result of shape {@code result} read at
     * {@code resultMap}: right-aligned, and an operand axis of literal extent 1 is read at 0.
     */
    public static List<IndexTerm> broadcastOperand(Shape operand, Shape result, List<IndexTerm> resultMap) {
        int offset = result.rank() - operand.rank();
        List<IndexTerm> m = new ArrayList<>(operand.rank());
        for (int j = 0; j < operand.rank(); j++) {
            Dim d = operand.dim(j);
            m.add(d.isOne() ? ZERO : resultMap.get(j + offset));
        }
        return m;
    }

    /** Result axis i is operand axis perm[i], so operand axis perm[i] is read where result axis i is. */
    public static List<IndexTerm> transposeOperand(List<Integer> perm, List<IndexTerm> resultMap) {
        IndexTerm[] m = new IndexTerm[perm.size()];
        for (int i = 0; i < perm.size(); i++) {
            m[perm.get(i)] = resultMap.get(i);
        }
        return List.of(m);
    }
}
