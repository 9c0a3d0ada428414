package dev.tessera.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A tensor shape: an ordered list of dims, row-major in memory; rank 0 is a scalar. */
public record Shape(List<Dim> dims) {

    public static final Shape SCALAR = new Shape(List.of());

    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(Dim... dims) {
        return new Shape(List.of(dims));
    }

    public int rank() {
        return dims.size();
    }

    public Dim dim(int i) {
        return dims.get(i);
    }

    /**
     * NumPy broadcasting of two shapes, aligned at the right: equal dims unify, a literal 1 stretches;
     * empty when they are incompatible (for example N against M, or 3 against 4).
     */
    public static Optional<Shape> broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            int ia = a.rank() - rank + i;
            int ib = b.rank() - rank + i;
            Dim da = ia >= 0 ? a.dim(ia) : null;
            Dim db = ib >= 0 ? b.dim(ib) : null;
            if (da == null) {
                out.add(db);
            } else if (db == null) {
                out.add(da);
            } else if (da.equals(db)) {
                out.add(da);
            } else if (da.isOne()) {
                out.add(db);
            } else if (db.isOne()) {
                out.add(da);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(new Shape(out));
    }

    /** Number of elements once every symbolic dim is bound; throws if one is unbound. */
    public long elementCount(Map<String, Long> bindings) {
        long n = 1;
        for (Dim d : dims) {
            n = Math.multiplyExact(n, extent(d, bindings));
        }
        return n;
    }

    /** The concrete extents under the given bindings. */
    public long[] extents(Map<String, Long> bindings) {
        long[] e = new long[dims.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = extent(dims.get(i), bindings);
        }
        return e;
    }

    public static long extent(Dim d, Map<String, Long> bindings) {
        return switch (d) {
            case Dim.Lit l -> l.value();
            case Dim.Sym s -> {
                Long v = bindings.get(s.name());
                if (v == null) {
                    throw new IllegalArgumentException("symbolic dimension " + s.name() + " is not bound");
                }
                yield v;
            }
        };
    }

    /** The symbolic names used, in order of first appearance. */
    public List<String> symbols() {
        return dims.stream().filter(d -> d instanceof Dim.Sym).map(Dim::toString).distinct().toList();
    }

    @Override
    public String toString() {
        return dims.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
