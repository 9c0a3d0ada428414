package dev.tessera.ir.loop;

import java.util.List;

/** All programs of one source file at loop level. */
public record LoopModule(List<LoopProgram> programs) {
    public LoopModule {
        programs = List.copyOf(programs);
    }
}
