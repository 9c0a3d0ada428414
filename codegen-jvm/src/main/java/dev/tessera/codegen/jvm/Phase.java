package dev.tessera.codegen.jvm;

import dev.tessera.ir.loop.Stmt;
import java.util.List;

/**
 * A piece of a kernel body cut at its barriers. The work-group runs its phases in order; a region runs for
 * every work-item before the next phase starts, which is exactly what the barriers between them demand.
 */
sealed interface Phase {

    /**
     * Barrier-free statements, run for each work-item of the group in turn; {@code id} numbers regions in order.
     * A {@code strided} region is one loop {@code for (k = local_id(0); k < n; k += group size)}, which runs
     * interchanged: the group walks the loop in steps of its size, each step over its work-items (see
     * {@link StridedLoops}).
     */
    record Region(int id, List<Stmt> body, boolean strided) implements Phase {
        public Region {
            body = List.copyOf(body);
            if (strided && (body.size() != 1 || !(body.getFirst() instanceof Stmt.For))) {
                throw new IllegalArgumentException("a strided region is a single loop");
            }
        }

        Region(int id, List<Stmt> body) {
            this(id, body, false);
        }
    }

    /**
     * A loop with barriers in its body. Its bounds are the same for every work-item (the verifier checks that),
     * so the group runs it once, with the loop variable shared, and its body's phases inside.
     */
    record Loop(Stmt.For loop, List<Phase> body) implements Phase {
        public Loop {
            body = List.copyOf(body);
        }
    }
}
