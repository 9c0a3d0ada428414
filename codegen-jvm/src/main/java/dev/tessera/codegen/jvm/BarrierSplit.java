package dev.tessera.codegen.jvm;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a kernel body into {@link Phase}s at its barriers: the classic work-item-loop transformation (as PoCL
 * does it). A barrier may sit at the top level of the body or at the top level of a loop that itself sits
 * where a barrier may; that is what the lowerings produce. A barrier anywhere else (under an {@code if}, or in
 * a loop nested in barrier-free code) is refused, loudly, rather than run wrongly.
 */
final class BarrierSplit {

    private final String where;
    private int nextRegion;

    private BarrierSplit(String where) {
        this.where = where;
    }

    /** @param where names the kernel in messages, e.g. {@code @softmax/@softmax_0} */
    static List<Phase> split(LoopKernel k, String where) {
        return new BarrierSplit(where).phases(k.body(), "the kernel's top level");
    }

    static boolean hasBarrier(List<Stmt> body) {
        for (Stmt s : body) {
            boolean found = switch (s) {
                case Stmt.Barrier b -> true;
                case Stmt.For f -> hasBarrier(f.body());
                case Stmt.If i -> hasBarrier(i.then()) || hasBarrier(i.otherwise());
                case Stmt.Decl d -> false;
                case Stmt.Assign a -> false;
                case Stmt.Store st -> false;
            };
            if (found) {
                return true;
            }
        }
        return false;
    }

    private List<Phase> phases(List<Stmt> body, String level) {
        List<Phase> out = new ArrayList<>();
        List<Stmt> pending = new ArrayList<>();
        for (Stmt s : body) {
            switch (s) {
                case Stmt.Barrier b -> flush(pending, out);
                case Stmt.For f when hasBarrier(f.body()) -> {
                    flush(pending, out);
                    out.add(new Phase.Loop(f, phases(f.body(), "the top level of loop " + f.var().name())));
                }
                case Stmt.If i when hasBarrier(i.then()) || hasBarrier(i.otherwise()) -> throw unsupported(
                        "a barrier under an if (in " + level + ")");
                default -> pending.add(s);
            }
        }
        flush(pending, out);
        return out;
    }

    private void flush(List<Stmt> pending, List<Phase> out) {
        if (!pending.isEmpty()) {
            out.add(new Phase.Region(nextRegion++, pending));
            pending.clear();
        }
    }

    private CompileException unsupported(String what) {
        return new CompileException(SourceSpan.UNKNOWN, where + ": the JVM backend cannot run " + what
                + "; it runs barriers only at the kernel's top level or at the top level of a loop with uniform"
                + " bounds");
    }
}
