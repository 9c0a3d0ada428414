package dev.tessera.codegen.ascendc;

import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.GeneratedNames;
import java.util.List;
import java.util.Map;

/**
 * The Ascend C of one DSL kernel: its device kernels in launch order, the buffer plan they run on (the
 * program's, plus any workspace a cube matmul hands to its vector epilogue), the program's symbolic dims in
 * tiling order, and the files (name relative to the output directory to contents).
 */
public record AscendProgram(String name, List<KernelCode> kernels, BufferPlan buffers, List<String> dims,
        Map<String, String> files) {
    public AscendProgram {
        kernels = List.copyOf(kernels);
        dims = List.copyOf(dims);
        files = Map.copyOf(files);
    }

    /**
     * The program's name as the generated C++ spells it: in the names of the files it includes and in the
     * launcher's identifiers ({@code tessera_<cName>_launch}, {@code tessera_<cName>_buffers}, ...).
     */
    public String cName() {
        return cName(name);
    }

    static String cName(String program) {
        return GeneratedNames.sanitise(program);
    }
}
