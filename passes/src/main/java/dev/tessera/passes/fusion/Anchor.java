package dev.tessera.passes.fusion;

import dev.tessera.ir.Dim;
import dev.tessera.ir.Shape;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.tile.Domain;
import dev.tessera.ir.tile.IndexTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * What fixes a fused group's domain: the output shape (pointwise), one reduction signature (every reduction
 * of the group reads the same shape along the same axes), or one matrix product.
 */
public sealed interface Anchor {

    String kind();

    Domain domain();

    /** A pointwise group over every element of {@code shape}. */
    record Pointwise(Shape shape) implements Anchor {
        public String kind() {
            return "pointwise";
        }

        public Domain domain() {
            return new Domain(shape.dims(), List.of());
        }
    }

    /**
     * Reductions of an operand of shape {@code input} along {@code axes} (sorted). Domain: the kept axes in
     * order (parallel), then the reduced axes (sweep).
     */
    record Reduce(Shape input, List<Integer> axes) implements Anchor {
        public String kind() {
            return "reduce";
        }

        public Domain domain() {
            List<Dim> parallel = new ArrayList<>();
            List<Dim> sweep = new ArrayList<>();
            for (int j = 0; j < input.rank(); j++) {
                (axes.contains(j) ? sweep : parallel).add(input.dim(j));
            }
            return new Domain(parallel, sweep);
        }

        /** Domain axis of input axis j. */
        public int position(int j) {
            int kept = input.rank() - axes.size();
            int before = 0;
            for (int a : axes) {
                if (a < j) {
                    before++;
                }
            }
            return axes.contains(j) ? kept + axes.indexOf(j) : j - before;
        }

        /** The map of a value of the input's shape. */
        public List<IndexTerm> fullMap() {
            List<IndexTerm> m = new ArrayList<>();
            for (int j = 0; j < input.rank(); j++) {
                m.add(IndexMaps.axis(position(j)));
            }
            return m;
        }

        /** The map of a reduction's result, with or without the reduced axes kept as extent 1. */
        public List<IndexTerm> resultMap(boolean keepdim) {
            List<IndexTerm> m = new ArrayList<>();
            for (int j = 0; j < input.rank(); j++) {
                if (!axes.contains(j)) {
                    m.add(IndexMaps.axis(position(j)));
                } else if (keepdim) {
                    m.add(IndexMaps.ZERO);
                }
            }
            return m;
        }

        public boolean matches(Op.Reduce r) {
            return r.x().type().shape().equals(input) && r.axes().equals(axes);
        }
    }

    /**
     * One matrix product {@code a @ b}. Domain: the result's batch axes, then M and N (extent 1 for a rank-1
     * operand), then K as the one sweep axis.
     */
    record Matmul(Value result, Value a, Value b) implements Anchor {
        public String kind() {
            return "matmul";
        }

        public int batchRank() {
            return result.type().rank() - (a.type().rank() > 1 ? 1 : 0) - (b.type().rank() > 1 ? 1 : 0);
        }

        public Domain domain() {
            Shape r = result.type().shape();
            int nb = batchRank();
            List<Dim> parallel = new ArrayList<>(r.dims().subList(0, nb));
            Shape as = a.type().shape();
            Shape bs = b.type().shape();
            parallel.add(as.rank() > 1 ? as.dim(as.rank() - 2) : Dim.of(1));
            parallel.add(bs.rank() > 1 ? bs.dim(bs.rank() - 1) : Dim.of(1));
            return new Domain(parallel, List.of(as.dim(as.rank() - 1)));
        }

        public List<IndexTerm> resultMap() {
            int nb = batchRank();
            List<IndexTerm> m = new ArrayList<>(IndexMaps.identity(nb));
            if (a.type().rank() > 1) {
                m.add(IndexMaps.axis(nb));
            }
            if (b.type().rank() > 1) {
                m.add(IndexMaps.axis(nb + 1));
            }
            return m;
        }

        /** Batch axes of an operand are broadcast against the result's, right-aligned. */
        private List<IndexTerm> batchMap(Shape operand) {
            int nb = batchRank();
            int ob = operand.rank() - 2;
            List<IndexTerm> m = new ArrayList<>();
            for (int j = 0; j < ob; j++) {
                m.add(operand.dim(j).isOne() ? IndexMaps.ZERO : IndexMaps.axis(nb - ob + j));
            }
            return m;
        }

        public List<IndexTerm> aMap() {
            int k = batchRank() + 2;
            if (a.type().rank() == 1) {
                return List.of(IndexMaps.axis(k));
            }
            List<IndexTerm> m = new ArrayList<>(batchMap(a.type().shape()));
            m.add(IndexMaps.axis(batchRank()));
            m.add(IndexMaps.axis(k));
            return m;
        }

        public List<IndexTerm> bMap() {
            int k = batchRank() + 2;
            if (b.type().rank() == 1) {
                return List.of(IndexMaps.axis(k));
            }
            List<IndexTerm> m = new ArrayList<>(batchMap(b.type().shape()));
            m.add(IndexMaps.axis(k));
            m.add(IndexMaps.axis(batchRank() + 1));
            return m;
        }
    }
}
