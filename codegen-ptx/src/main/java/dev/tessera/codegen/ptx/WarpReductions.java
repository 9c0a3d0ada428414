package dev.tessera.codegen.ptx;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the work-group tree reductions of loop IR that the PTX emitter can finish with warp shuffles. The
 * loop IR (see the passes' ReduceLowering) combines partials through shared memory with a barrier per step:
 *
 * <pre>
 *   store red[lid] = v; barrier
 *   if (lid < wg/2) { store red[lid] = c(red[lid], red[lid + wg/2]) }; barrier
 *   ...
 *   if (lid < 1) { store red[lid] = c(red[lid], red[lid + 1]) }; barrier
 * </pre>
 *
 * The steps with s below 32 happen inside warp 0, where {@code shfl.sync.bfly} exchanges registers without
 * shared memory or barriers. Lane 0 of a butterfly combines exactly the operands, in exactly the order, that
 * thread 0 of the tree combines, so red[0] ends up bit for bit the same. Only red[0] is kept; so a match
 * requires that the kernel reads the array nowhere else than in such patterns and at index 0, that {@code lid}
 * is {@code local_id(0)} of a 1-D block (so that lid < 32 is warp 0) never reassigned, and that the block is a
 * power of two of at least 32 threads.
 */
final class WarpReductions {

    static final int WARP = 32;

    /** One reduction: the array, the thread index variable, and the combine expression of each step s. */
    record Match(String array, LType type, Expr.Var lid, Map<Integer, Expr> combine, int length) {}

    private final int wg;
    private final Set<String> lidVars = new HashSet<>();
    private final Map<String, LocalArray> arrays = new HashMap<>();
    private final Set<String> qualified = new HashSet<>();

    private WarpReductions(LoopKernel k) {
        this.wg = k.localSize().size() == 1 ? k.localSize().getFirst() : 0;
        k.locals().forEach(a -> arrays.put(a.name(), a));
    }

    /** What of {@code k} can be rewritten; nothing when its block is not 1-D of a power of two >= 32. */
    static WarpReductions analyse(LoopKernel k) {
        WarpReductions w = new WarpReductions(k);
        if (w.wg < WARP || Integer.bitCount(w.wg) != 1) {
            return w;
        }
        Map<String, Integer> decls = new HashMap<>();
        Set<String> assigned = new HashSet<>();
        w.scanVars(k.body(), decls, assigned);
        decls.forEach((name, n) -> {
            if (n == 1 && !assigned.contains(name)) {
                w.lidVars.add(name);
            }
        });
        w.lidVars.removeIf(name -> !w.declaredAsLocalId(k.body(), name));
        // Arrays read only in patterns or at index 0 qualify; everything else keeps the shared-memory tree.
        Set<String> spoiled = new HashSet<>();
        Set<String> used = new HashSet<>();
        w.scanReads(k.body(), spoiled, used);
        for (String a : used) {
            LType t = w.arrays.get(a).elem();
            if (!spoiled.contains(a) && t != LType.BOOL) {
                w.qualified.add(a);
            }
        }
        return w;
    }

    /** The pattern starting at {@code body[i]}, if there is one on a qualified array. */
    Optional<Match> at(List<Stmt> body, int i) {
        return raw(body, i).filter(m -> qualified.contains(m.array()));
    }

    private Optional<Match> raw(List<Stmt> body, int i) {
        if (wg < WARP || i + 1 >= body.size()) {
            return Optional.empty();
        }
        if (!(body.get(i) instanceof Stmt.Store first) || !(first.index() instanceof Expr.Var lid)
                || !lidVars.contains(lid.name()) || !arrays.containsKey(first.array())
                || !(body.get(i + 1) instanceof Stmt.Barrier)) {
            return Optional.empty();
        }
        String red = first.array();
        Map<Integer, Expr> combine = new HashMap<>();
        int j = i + 2;
        for (int s = wg / 2; s >= 1; s /= 2, j += 2) {
            if (j + 1 >= body.size() || !(body.get(j + 1) instanceof Stmt.Barrier)
                    || !(body.get(j) instanceof Stmt.If step) || !step.otherwise().isEmpty()
                    || !step.cond().equals(new Expr.Bin(LBinOp.LT, lid, lit(s))) || step.then().size() != 1
                    || !(step.then().getFirst() instanceof Stmt.Store st) || !st.array().equals(red)
                    || !st.index().equals(lid) || !readsOnly(st.value(), red, lid, s)) {
                return Optional.empty();
            }
            combine.put(s, st.value());
        }
        return Optional.of(new Match(red, arrays.get(red).elem(), lid, combine, j - i));
    }

    static Expr.Load mine(Match m) {
        return new Expr.Load(m.array(), m.lid(), m.type());
    }

    static Expr.Load other(Match m, int s) {
        return new Expr.Load(m.array(), new Expr.Bin(LBinOp.ADD, m.lid(), lit(s)), m.type());
    }

    private static Expr.IntLit lit(int v) {
        return new Expr.IntLit(v, LType.I32);
    }

    /** The step's value reads the array only as red[lid] and red[lid + s]. */
    private static boolean readsOnly(Expr e, String red, Expr.Var lid, int s) {
        return switch (e) {
            case Expr.Load l -> !l.array().equals(red) || l.index().equals(lid)
                    || l.index().equals(new Expr.Bin(LBinOp.ADD, lid, lit(s)));
            case Expr.Bin b -> readsOnly(b.a(), red, lid, s) && readsOnly(b.b(), red, lid, s);
            case Expr.Un u -> readsOnly(u.x(), red, lid, s);
            case Expr.Select x -> readsOnly(x.cond(), red, lid, s) && readsOnly(x.a(), red, lid, s)
                    && readsOnly(x.b(), red, lid, s);
            case Expr.Conv c -> readsOnly(c.x(), red, lid, s);
            case Expr.Var v -> true;
            case Expr.IntLit l -> true;
            case Expr.FloatLit f -> true;
            case Expr.BoolLit b -> true;
            case Expr.Special sp -> true;
        };
    }

    private void scanVars(List<Stmt> body, Map<String, Integer> decls, Set<String> assigned) {
        for (Stmt s : body) {
            switch (s) {
                case Stmt.Decl d -> decls.merge(d.var().name(), 1, Integer::sum);
                case Stmt.Assign a -> assigned.add(a.var().name());
                case Stmt.For f -> {
                    decls.merge(f.var().name(), 2, Integer::sum); // a loop variable is never local_id
                    scanVars(f.body(), decls, assigned);
                }
                case Stmt.If f -> {
                    scanVars(f.then(), decls, assigned);
                    scanVars(f.otherwise(), decls, assigned);
                }
                case Stmt.Store st -> { }
                case Stmt.Barrier b -> { }
            }
        }
    }

    private boolean declaredAsLocalId(List<Stmt> body, String name) {
        for (Stmt s : body) {
            boolean found = switch (s) {
                case Stmt.Decl d -> d.var().name().equals(name) && d.var().type() == LType.I32
                        && d.init().equals(new Expr.Special(SpecialReg.LOCAL_ID, 0));
                case Stmt.For f -> declaredAsLocalId(f.body(), name);
                case Stmt.If f -> declaredAsLocalId(f.then(), name) || declaredAsLocalId(f.otherwise(), name);
                default -> false;
            };
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** Every read of a local array outside a pattern, other than at constant index 0, spoils the array. */
    private void scanReads(List<Stmt> body, Set<String> spoiled, Set<String> used) {
        for (int i = 0; i < body.size(); i++) {
            Optional<Match> m = raw(body, i);
            if (m.isPresent()) {
                used.add(m.get().array());
                // The first store's value is not part of the tree: it may read anything.
                reads(((Stmt.Store) body.get(i)).value(), spoiled);
                i += m.get().length() - 1;
                continue;
            }
            switch (body.get(i)) {
                case Stmt.Decl d -> reads(d.init(), spoiled);
                case Stmt.Assign a -> reads(a.value(), spoiled);
                case Stmt.Store st -> {
                    reads(st.index(), spoiled);
                    reads(st.value(), spoiled);
                }
                case Stmt.For f -> {
                    reads(f.lo(), spoiled);
                    reads(f.hi(), spoiled);
                    reads(f.step(), spoiled);
                    scanReads(f.body(), spoiled, used);
                }
                case Stmt.If f -> {
                    reads(f.cond(), spoiled);
                    scanReads(f.then(), spoiled, used);
                    scanReads(f.otherwise(), spoiled, used);
                }
                case Stmt.Barrier b -> { }
            }
        }
    }

    private void reads(Expr e, Set<String> spoiled) {
        List<Expr> work = new ArrayList<>(List.of(e));
        while (!work.isEmpty()) {
            switch (work.removeLast()) {
                case Expr.Load l -> {
                    if (arrays.containsKey(l.array()) && !l.index().equals(lit(0))) {
                        spoiled.add(l.array());
                    }
                    work.add(l.index());
                }
                case Expr.Bin b -> {
                    work.add(b.a());
                    work.add(b.b());
                }
                case Expr.Un u -> work.add(u.x());
                case Expr.Select s -> {
                    work.add(s.cond());
                    work.add(s.a());
                    work.add(s.b());
                }
                case Expr.Conv c -> work.add(c.x());
                default -> { }
            }
        }
    }
}
