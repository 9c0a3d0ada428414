package dev.tessera.codegen.ptx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Assembles emitted PTX where ptxas is installed; elsewhere the check is skipped with the reason. */
final class PtxasCheck {

    private PtxasCheck() {}

    static void requirePtxas() {
        assumeTrue(Ptxas.unavailable().isEmpty(), () -> Ptxas.unavailable().orElse(""));
    }

    static void assembles(String ptx, PtxArch arch) {
        requirePtxas();
        Ptxas.Result r = Ptxas.assemble(ptx, arch, false);
        assertTrue(r.ok(), () -> "ptxas -arch=" + arch + " rejected:\n" + Ptxas.explain(ptx, r.log()) + "\n" + ptx);
    }
}
