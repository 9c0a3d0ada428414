package dev.tessera.cli;

import dev.tessera.codegen.ptx.PtxArch;
import dev.tessera.codegen.ptx.Ptxas;
import java.io.PrintWriter;
import java.util.Map;

/** {@code tessera compile --target ptx --stats}: what ptxas makes of each generated kernel. */
final class PtxStats {

    private PtxStats() {}

    /**
     * Assembles each generated file with {@code ptxas -v} and prints one line per kernel. Without ptxas a note
     * says so and the compile still succeeds: the statistics are advice, the PTX is the product.
     *
     * @throws IllegalStateException when ptxas rejects the PTX, which is a bug in Tessera, not in the input
     */
    static void print(Map<String, String> files, PtxArch arch, PrintWriter err) {
        if (Ptxas.unavailable().isPresent()) {
            err.println("tessera: note: --stats needs ptxas: " + Ptxas.unavailable().get() + "; no statistics printed");
            err.flush();
            return;
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            Ptxas.Result r = Ptxas.assemble(f.getValue(), arch, true);
            if (!r.ok()) {
                throw new IllegalStateException("ptxas -arch=" + arch + " rejected the generated " + f.getKey() + ":\n"
                        + Ptxas.explain(f.getValue(), r.log()).strip());
            }
            for (Ptxas.KernelStats s : Ptxas.stats(r.log())) {
                err.printf("stats: %s %s (%s): %d registers, %d bytes shared, %d bytes stack, %s%n", f.getKey(), s.symbol(),
                        arch, s.registers(), s.sharedBytes(), s.stackBytes(), s.spills()
                                ? "SPILLS " + s.spillStoreBytes() + " bytes stored, " + s.spillLoadBytes() + " bytes loaded"
                                : "no spills");
            }
        }
        err.flush();
    }
}
