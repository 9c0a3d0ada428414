package dev.tessera.frontend;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.Instr;
import java.util.List;

/** Shorthands for tests: compile a snippet, get one kernel, its result types, or its diagnostics. */
final class Compile {

    private Compile() {}

    static GraphKernel kernel(String source, String name) {
        return Frontend.compile("test.tsr", source).kernel(name).orElseThrow();
    }

    /** The only (or first) kernel of the source. */
    static GraphKernel first(String source) {
        return Frontend.compile("test.tsr", source).kernels().getFirst();
    }

    /** The printed type of the single result of the first kernel. */
    static String resultType(String source) {
        return first(source).results().getFirst().type().toString();
    }

    static List<Diagnostic> errors(String source) {
        return assertThrows(CompileException.class, () -> Frontend.compile("test.tsr", source)).diagnostics();
    }

    static Instr instr(GraphKernel k, String name) {
        return k.body().stream().filter(i -> i.result().name().equals(name)).findFirst().orElseThrow();
    }

    /** The instruction that defines the kernel's first result. */
    static Instr resultInstr(GraphKernel k) {
        return instr(k, k.results().getFirst().name());
    }
}
