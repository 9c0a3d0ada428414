package dev.tessera.ir.tile;

import dev.tessera.ir.Dim;
import java.util.ArrayList;
import java.util.List;

/**
 * The iteration space of a tile kernel. Parallel axes are spread over program instances; sweep axes are
 * walked by each instance (reductions and dots run along all of them). Domain axis i is parallel axis i
 * for i < parallel.size(), else sweep axis i - parallel.size().
 */
public record Domain(List<Dim> parallel, List<Dim> sweep) {

    public Domain {
        parallel = List.copyOf(parallel);
        sweep = List.copyOf(sweep);
    }

    public List<Dim> axes() {
        List<Dim> all = new ArrayList<>(parallel);
        all.addAll(sweep);
        return all;
    }

    public int rank() {
        return parallel.size() + sweep.size();
    }

    public boolean isSweep(int axis) {
        return axis >= parallel.size();
    }
}
