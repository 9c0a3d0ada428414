package dev.tessera.ir.tile;

import java.util.List;

/** Writes {@code value} to {@code buffer} at the index given per tensor axis, for every domain point it covers. */
public record TStore(String buffer, List<IndexTerm> index, TValue value) {
    public TStore {
        index = List.copyOf(index);
    }
}
