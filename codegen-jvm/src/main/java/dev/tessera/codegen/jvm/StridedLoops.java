package dev.tessera.codegen.jvm;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the loops by which the work-items of a one-dimensional group share a range, {@code for (k =
 * local_id(0); k < n; k += group size)} with {@code n} the same for the whole group (the reductions' sweeps
 * along a row), and gives each a region of its own, marked strided. Run work-item after work-item, such a loop
 * is a few iterations per work-item, each striding through memory; interchanged, the group walks the range
 * once, in order, in steps of its size. Cutting a region into three is like adding two barriers, which changes
 * nothing for a kernel without data races; each work-item still runs its own iterations in their order.
 */
final class StridedLoops {

    private int nextRegion;

    private StridedLoops() {}

    /** The phases with strided loops in regions of their own, regions renumbered; {@code phases} when there are none. */
    static List<Phase> split(List<Phase> phases, VarPlan vars, int[] localSize) {
        if (localSize[0] < 2 || localSize[1] != 1 || localSize[2] != 1) {
            return phases;
        }
        StridedLoops s = new StridedLoops();
        List<Phase> out = s.phases(phases, vars, localSize[0]);
        return s.found ? out : phases;
    }

    private boolean found;

    private List<Phase> phases(List<Phase> phases, VarPlan vars, int groupSize) {
        List<Phase> out = new ArrayList<>();
        for (Phase p : phases) {
            switch (p) {
                case Phase.Loop l -> out.add(new Phase.Loop(l.loop(), phases(l.body(), vars, groupSize)));
                case Phase.Region r -> {
                    List<Stmt> pending = new ArrayList<>();
                    for (Stmt s : r.body()) {
                        if (s instanceof Stmt.For f && isStrided(f, vars, groupSize)) {
                            flush(pending, out);
                            out.add(new Phase.Region(nextRegion++, List.of(f), true));
                            found = true;
                        } else {
                            pending.add(s);
                        }
                    }
                    flush(pending, out);
                }
            }
        }
        return out;
    }

    private void flush(List<Stmt> pending, List<Phase> out) {
        if (!pending.isEmpty()) {
            out.add(new Phase.Region(nextRegion++, pending));
            pending.clear();
        }
    }

    private static boolean isStrided(Stmt.For f, VarPlan vars, int groupSize) {
        return f.var().type() == dev.tessera.ir.loop.LType.I32 && isLocalId(f.lo(), vars)
                && f.step() instanceof Expr.IntLit step && step.value() == groupSize
                && vars.isUniformWithoutLoads(f.hi());
    }

    static boolean isLocalId(Expr e, VarPlan vars) {
        Expr local = new Expr.Special(SpecialReg.LOCAL_ID, 0);
        return e.equals(local) || e instanceof Expr.Var v && local.equals(vars.singleInit(v.name()));
    }
}
