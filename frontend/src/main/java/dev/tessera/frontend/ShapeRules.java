package dev.tessera.frontend;

import dev.tessera.ir.Dim;
import dev.tessera.ir.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Result shapes of the shape-changing operations, or a message saying why there is none. */
final class ShapeRules {

    /** A computed shape, or why the operation is not defined on its operands. */
    sealed interface Result {
        record Ok(Shape shape) implements Result {}

        record Err(String message) implements Result {}
    }

    private ShapeRules() {}

    /** Why NumPy broadcasting of the two fails: the first pair of dims, from the right, that do not unify. */
    static String broadcastMismatch(Shape a, Shape b) {
        for (int i = 1; i <= Math.min(a.rank(), b.rank()); i++) {
            Dim da = a.dim(a.rank() - i);
            Dim db = b.dim(b.rank() - i);
            if (!da.equals(db) && !da.isOne() && !db.isOne()) {
                return "dimension " + da + " does not match " + db;
            }
        }
        return "shapes do not broadcast";
    }

    /** NumPy matmul: rank-1 operands gain and then lose a unit axis; batch axes broadcast; inner dims must be equal. */
    static Result matmul(Shape a, Shape b) {
        List<Dim> ad = new ArrayList<>(a.dims());
        List<Dim> bd = new ArrayList<>(b.dims());
        boolean vectorA = ad.size() == 1;
        boolean vectorB = bd.size() == 1;
        if (vectorA) {
            ad.addFirst(Dim.of(1));
        }
        if (vectorB) {
            bd.add(Dim.of(1));
        }
        Dim k1 = ad.getLast();
        Dim k2 = bd.get(bd.size() - 2);
        if (!k1.equals(k2)) {
            return new Result.Err("inner dimensions of matmul do not match: " + k1 + " vs " + k2 + " (" + a + " @ " + b
                    + ")");
        }
        Shape batchA = new Shape(ad.subList(0, ad.size() - 2));
        Shape batchB = new Shape(bd.subList(0, bd.size() - 2));
        var batch = Shape.broadcast(batchA, batchB);
        if (batch.isEmpty()) {
            return new Result.Err("batch dimensions of matmul do not broadcast: " + batchA + " and " + batchB + ", "
                    + broadcastMismatch(batchA, batchB));
        }
        List<Dim> out = new ArrayList<>(batch.get().dims());
        if (!vectorA) {
            out.add(ad.get(ad.size() - 2));
        }
        if (!vectorB) {
            out.add(bd.getLast());
        }
        return new Result.Ok(new Shape(out));
    }

    /** The shape after reducing {@code axes} (valid, normalised): dropped, or kept as 1. */
    static Shape reduce(Shape x, List<Integer> axes, boolean keepdim) {
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!axes.contains(i)) {
                out.add(x.dim(i));
            } else if (keepdim) {
                out.add(Dim.of(1));
            }
        }
        return new Shape(out);
    }

    /** Result axis i is input axis perm[i]. */
    static Shape transpose(Shape x, List<Integer> perm) {
        return new Shape(perm.stream().map(x::dim).toList());
    }

    /** The default transpose: the last two axes swapped. */
    static List<Integer> swapLastTwo(int rank) {
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            perm.add(i);
        }
        perm.set(rank - 1, rank - 2);
        perm.set(rank - 2, rank - 1);
        return perm;
    }

    /**
     * Whether two shapes hold the same number of elements for every binding of their symbols: equal products of the
     * literal dims, and the same symbols as many times each.
     */
    static boolean sameElementCount(Shape a, Shape b) {
        Count ca = count(a);
        Count cb = count(b);
        return !ca.overflow() && !cb.overflow() && ca.equals(cb);
    }

    /** How {@link #sameElementCount} sees a shape, written like {@code 12*N*D}. */
    static String elementCount(Shape s) {
        Count c = count(s);
        if (c.overflow()) {
            return "too many";
        }
        List<String> factors = new ArrayList<>();
        if (c.literal() != 1 || c.symbols().isEmpty()) {
            factors.add(Long.toString(c.literal()));
        }
        c.symbols().forEach((name, times) -> {
            for (int i = 0; i < times; i++) {
                factors.add(name);
            }
        });
        return String.join("*", factors);
    }

    private record Count(long literal, Map<String, Integer> symbols, boolean overflow) {}

    private static Count count(Shape s) {
        long literal = 1;
        boolean overflow = false;
        Map<String, Integer> symbols = new java.util.TreeMap<>();
        for (Dim d : s.dims()) {
            switch (d) {
                case Dim.Lit l -> {
                    try {
                        literal = Math.multiplyExact(literal, l.value());
                    } catch (ArithmeticException e) {
                        overflow = true;
                    }
                }
                case Dim.Sym sym -> symbols.merge(sym.name(), 1, Integer::sum);
            }
        }
        // a zero-sized tensor has no elements whatever its symbols are bound to
        return literal == 0 ? new Count(0, new HashMap<>(), overflow) : new Count(literal, symbols, overflow);
    }

    /** NumPy's broadcast_to: aligned at the right, each input dim equals the target's or is 1. */
    static boolean broadcastsTo(Shape x, Shape target) {
        if (x.rank() > target.rank()) {
            return false;
        }
        for (int i = 1; i <= x.rank(); i++) {
            Dim d = x.dim(x.rank() - i);
            if (!d.isOne() && !d.equals(target.dim(target.rank() - i))) {
                return false;
            }
        }
        return true;
    }
}
