package dev.tessera.codegen.ascendc;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.tile.IndexTerm;
import dev.tessera.ir.tile.KernelKind;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TOp;
import dev.tessera.ir.tile.TStore;
import dev.tessera.ir.tile.TileKernel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a {@link RowKernelWriter} kernel's domain splits into row axes (spread over cores), loop axes (reduce
 * kernels: sweep axes walked one by one) and vector axes (one tile spans them, flattened), and how each of its
 * loads and stores walks the vector axes.
 *
 * @param columns a reduce kernel vectorised along its parallel axes (its rows are not contiguous): reductions
 *     accumulate tile by tile along the sweep
 * @param loads by the name of the value loaded, in body order
 * @param vecStores the stores contiguous along the vector axes, one tile each ({@code vecStoreOps} in order)
 * @param rowStores the stores of one element per row (reduce kernels; {@code rowStoreOps} in order)
 */
record RowLayout(List<Integer> rowAxes, List<Integer> loopAxes, List<Integer> vecAxes, boolean columns,
        Map<String, Access> loads, List<Access> vecStores, List<TStore> vecStoreOps, List<Access> rowStores,
        List<TStore> rowStoreOps) {

    RowLayout {
        rowAxes = List.copyOf(rowAxes);
        loopAxes = List.copyOf(loopAxes);
        vecAxes = List.copyOf(vecAxes);
        loads = Collections.unmodifiableMap(new LinkedHashMap<>(loads));
        vecStores = List.copyOf(vecStores);
        vecStoreOps = List.copyOf(vecStoreOps);
        rowStores = List.copyOf(rowStores);
        rowStoreOps = List.copyOf(rowStoreOps);
    }

    /**
     * Picks the longest suffix of vector axes every access walks contiguously: of the parallel axes (pointwise),
     * else of the sweep axes (reduce); a reduce kernel whose rows are not contiguous tries the parallel axes
     * (column reductions, accumulated tile by tile); strided loads are the last resort.
     *
     * @throws CompileException when no choice lets the vector unit write every store tile by tile
     */
    static RowLayout choose(TileKernel k) {
        boolean pointwise = k.kind() == KernelKind.POINTWISE;
        int np = k.domain().parallel().size();
        List<Integer> cand = range(pointwise ? 0 : np, pointwise ? np : k.domain().rank());
        for (int len = cand.size(); len >= (cand.isEmpty() ? 0 : 1); len--) {
            Optional<RowLayout> l = tryAxes(k, cand.subList(cand.size() - len, cand.size()), false, false);
            if (l.isPresent()) {
                return l.get();
            }
        }
        if (!pointwise) {
            List<Integer> par = range(0, np);
            for (int len = par.size(); len >= 1; len--) {
                Optional<RowLayout> l = tryAxes(k, par.subList(par.size() - len, par.size()), false, true);
                if (l.isPresent()) {
                    return l.get();
                }
            }
        }
        if (!cand.isEmpty()) {
            Optional<RowLayout> l = tryAxes(k, cand.subList(cand.size() - 1, cand.size()), true, false);
            if (l.isPresent()) {
                return l.get();
            }
        }
        throw new CompileException(SourceSpan.UNKNOWN, "Ascend C kernel " + k.name() + ": no store layout the "
                + "vector unit can write tile by tile (a store must be contiguous along the last domain axis)");
    }

    private static Optional<RowLayout> tryAxes(TileKernel k, List<Integer> v, boolean allowStrided, boolean column) {
        boolean pointwise = k.kind() == KernelKind.POINTWISE;
        int np = k.domain().parallel().size();
        Map<String, Access> loads = new LinkedHashMap<>();
        List<Access> vecStores = new ArrayList<>();
        List<TStore> vecStoreOps = new ArrayList<>();
        List<Access> rowStores = new ArrayList<>();
        List<TStore> rowStoreOps = new ArrayList<>();
        for (TInstr in : k.body()) {
            if (in.op() instanceof TOp.Load l) {
                Optional<Access> a = Access.classify(l.buffer(), l.index(), v, allowStrided);
                if (a.isEmpty()) {
                    return Optional.empty();
                }
                loads.put(in.result().name(), a.get());
            }
        }
        List<Integer> loop = new ArrayList<>(pointwise ? List.of() : range(np, k.domain().rank()));
        loop.removeAll(v);
        for (TStore st : k.stores()) {
            Optional<Access> a = Access.classify(st.buffer(), st.index(), v, false);
            if (a.isEmpty()) {
                return Optional.empty();
            }
            boolean usesLoop = st.index().stream().anyMatch(t -> t instanceof IndexTerm.Axis x && loop.contains(x.axis()));
            if (a.get().mode() == Access.Mode.CONTIG || pointwise && v.isEmpty()) {
                if (usesLoop) {
                    return Optional.empty();
                }
                vecStores.add(a.get());
                vecStoreOps.add(st);
            } else if (!pointwise && !usesLoop && !column) {
                rowStores.add(a.get());
                rowStoreOps.add(st);
            } else {
                return Optional.empty();
            }
        }
        List<Integer> rows = new ArrayList<>(range(0, np));
        rows.removeAll(v);
        return Optional.of(new RowLayout(rows, loop, v, column, loads, vecStores, vecStoreOps, rowStores, rowStoreOps));
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }
}
