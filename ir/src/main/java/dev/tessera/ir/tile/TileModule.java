package dev.tessera.ir.tile;

import java.util.List;

/** All programs of one source file at tile level. */
public record TileModule(List<TileProgram> programs) {
    public TileModule {
        programs = List.copyOf(programs);
    }
}
