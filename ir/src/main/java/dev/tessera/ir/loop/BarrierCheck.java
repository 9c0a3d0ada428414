package dev.tessera.ir.loop;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds barriers that not every thread of a work-group may reach: those under an {@code if} or {@code for}
 * whose condition or bounds depend on {@code local_id}/{@code global_id}, directly or through variables
 * (assignments under such control count too). On a device that deadlocks or is undefined behaviour.
 * Memory is not tracked: a load is thread-dependent only when its index is.
 */
final class BarrierCheck {

    private final List<String> errors = new ArrayList<>();
    /** Per declaration (numbered in walk order, the same every walk): may it differ between threads? */
    private final BitSet tainted = new BitSet();
    private final Deque<Map<String, Integer>> scopes = new ArrayDeque<>();
    private int nextId;
    private boolean changed;
    private boolean report;

    private final LoopKernel kernel;

    private BarrierCheck(LoopKernel kernel) {
        this.kernel = kernel;
    }

    static List<String> run(LoopKernel k) {
        BarrierCheck c = new BarrierCheck(k);
        // Taint can flow backwards through loops (a variable assigned late, read in the next iteration's
        // bounds), so walk until nothing changes, then once more to report.
        do {
            c.changed = false;
            c.walk(k);
        } while (c.changed);
        c.report = true;
        c.walk(k);
        return c.errors;
    }

    private void walk(LoopKernel k) {
        nextId = 0;
        scopes.clear();
        block(k.body(), null, Map.of());
    }

    /** @param divergence the innermost thread-dependent construct around, or null where control is uniform */
    private void block(List<Stmt> body, String divergence, Map<String, Integer> predeclared) {
        scopes.push(new HashMap<>(predeclared));
        for (Stmt s : body) {
            stmt(s, divergence);
        }
        scopes.pop();
    }

    private void stmt(Stmt s, String divergence) {
        switch (s) {
            case Stmt.Decl d -> {
                boolean t = divergence != null || varies(d.init());
                int id = nextId++;
                scopes.peek().put(d.var().name(), id);
                taintIf(id, t);
            }
            case Stmt.Assign a -> {
                Integer id = lookup(a.var().name());
                if (id != null) {
                    taintIf(id, divergence != null || varies(a.value()));
                }
            }
            case Stmt.Store st -> { }
            case Stmt.For f -> {
                String inner = divergence;
                if (inner == null && (varies(f.lo()) || varies(f.hi()) || varies(f.step()))) {
                    inner = "loop " + f.var().name() + " with thread-dependent bounds";
                }
                int id = nextId++;
                taintIf(id, inner != null);
                block(f.body(), inner, Map.of(f.var().name(), id));
            }
            case Stmt.If i -> {
                String inner = divergence;
                if (inner == null && varies(i.cond())) {
                    inner = "if (" + LoopVerifier.show(i.cond(), kernel) + ")";
                }
                block(i.then(), inner, Map.of());
                block(i.otherwise(), inner, Map.of());
            }
            case Stmt.Barrier b -> {
                if (report && divergence != null) {
                    errors.add("barrier inside " + divergence + ", which depends on the thread id: threads that"
                            + " skip it would deadlock the work-group");
                }
            }
        }
    }

    private void taintIf(int id, boolean t) {
        if (t && !tainted.get(id)) {
            tainted.set(id);
            changed = true;
        }
    }

    private Integer lookup(String name) {
        for (Map<String, Integer> scope : scopes) {
            Integer id = scope.get(name);
            if (id != null) {
                return id;
            }
        }
        return null; // a dimension parameter (uniform) or an undeclared name (the verifier reports it)
    }

    /** Whether {@code e} may differ between threads of one work-group. */
    private boolean varies(Expr e) {
        return switch (e) {
            case Expr.Var v -> {
                Integer id = lookup(v.name());
                yield id != null && tainted.get(id);
            }
            case Expr.IntLit i -> false;
            case Expr.FloatLit f -> false;
            case Expr.BoolLit b -> false;
            case Expr.Bin b -> varies(b.a()) || varies(b.b());
            case Expr.Un u -> varies(u.x());
            case Expr.Select s -> varies(s.cond()) || varies(s.a()) || varies(s.b());
            case Expr.Conv c -> varies(c.x());
            case Expr.Load l -> varies(l.index());
            case Expr.Special s -> s.reg() == SpecialReg.GLOBAL_ID || s.reg() == SpecialReg.LOCAL_ID;
        };
    }
}
