package dev.tessera.codegen.ascendc;

import dev.tessera.ir.tile.IndexTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a load or store walks its buffer along a kernel's vector axes (the domain axes one tile spans, flattened):
 * contiguously (one DataCopy per tile), not at all (a scalar per row), or with a constant element stride
 * (gathered element by element: transposed operands).
 *
 * @param stridedPos for STRIDED, the tensor axis the single vector axis indexes
 */
record Access(String buffer, List<IndexTerm> index, Mode mode, int stridedPos) {

    enum Mode { CONTIG, INVARIANT, STRIDED }

    Access {
        index = List.copyOf(index);
    }

    /**
     * Classifies an access; empty when it is strided but {@code allowStrided} is false, or when it walks the
     * vector axes in a way no mode describes (two tensor axes on one domain axis, or a permutation of several).
     */
    static Optional<Access> classify(String buffer, List<IndexTerm> index, List<Integer> vecAxes,
            boolean allowStrided) {
        List<Integer> uses = new ArrayList<>();
        for (int pos = 0; pos < index.size(); pos++) {
            if (index.get(pos) instanceof IndexTerm.Axis a && vecAxes.contains(a.axis())) {
                uses.add(pos);
            }
        }
        if (uses.isEmpty()) {
            return Optional.of(new Access(buffer, index, Mode.INVARIANT, -1));
        }
        // Contiguous: dropping extent-1 (Zero) axes, the tensor's trailing axes are the vector axes in order.
        List<Integer> nonZero = new ArrayList<>();
        for (int pos = 0; pos < index.size(); pos++) {
            if (index.get(pos) instanceof IndexTerm.Axis) {
                nonZero.add(pos);
            }
        }
        if (nonZero.size() >= vecAxes.size()) {
            List<Integer> tail = nonZero.subList(nonZero.size() - vecAxes.size(), nonZero.size());
            boolean contig = uses.size() == vecAxes.size();
            for (int i = 0; contig && i < tail.size(); i++) {
                contig = ((IndexTerm.Axis) index.get(tail.get(i))).axis() == vecAxes.get(i);
            }
            if (contig) {
                return Optional.of(new Access(buffer, index, Mode.CONTIG, -1));
            }
        }
        if (allowStrided && vecAxes.size() == 1 && uses.size() == 1) {
            return Optional.of(new Access(buffer, index, Mode.STRIDED, uses.get(0)));
        }
        return Optional.empty();
    }

    /**
     * The element offset of the tile's first element, as C++: every tensor axis not on a vector axis
     * contributes its domain axis value (member {@code ax[i]}) times its stride.
     */
    String base(ProgramEnv env, List<Integer> vecAxes, String t) {
        List<String> terms = new ArrayList<>();
        for (int pos = 0; pos < index.size(); pos++) {
            if (index.get(pos) instanceof IndexTerm.Axis a && !vecAxes.contains(a.axis())) {
                String stride = env.stride(buffer, pos, t);
                terms.add(stride.equals("1LL") ? "ax[" + a.axis() + "]" : "ax[" + a.axis() + "] * " + stride);
            }
        }
        return terms.isEmpty() ? "0LL" : "(" + String.join(" + ", terms) + ")";
    }

    /** For STRIDED: the element distance between consecutive tile elements. */
    String step(ProgramEnv env, String t) {
        return env.stride(buffer, stridedPos, t);
    }
}
