package dev.tessera.codegen.jvm;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopWalk;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each variable of a split kernel lives. A variable used in one region only is a JVM local of that
 * region's method. One that crosses a barrier must survive it: if it is assigned once from a value every
 * work-item of the group agrees on, one field holds it for the group; otherwise each work-item needs its
 * own copy, an array indexed by the work-item's number in the group, unless it is cheaper to compute again.
 * Names are unique ({@link UniqueNames}).
 */
final class VarPlan {

    enum Storage {
        /** A JVM local of one region's method. */
        LOCAL,
        /** A field of the task: one value for the whole work-group. */
        UNIFORM,
        /** An array field with one element per work-item of the group. */
        PER_ITEM,
        /** The variable of a loop with barriers, run once per group: a field, like a uniform. */
        LOOP,
        /**
         * Never assigned, and cheap to compute again from launch coordinates, dimensions and group-wide
         * values (a local id, or {@code ty * 16 + tx}): recomputed where it is used rather than stored.
         */
        REMAT
    }

    record Var(String name, LType type, Storage storage) {}

    /** The variables that cross a region's boundaries, as its method must load and store them. */
    record RegionVars(Set<String> crossRefs, Set<String> crossWrites, Set<String> declared) {}

    /** The region number of uses in a loop header, which the group driver evaluates. */
    private static final int HEADER = -1;

    private final int[] localSize;
    private final Map<String, LType> types = new LinkedHashMap<>();
    private final Map<String, Integer> declRegion = new HashMap<>();
    private final Map<String, Set<Integer>> usedIn = new HashMap<>();
    private final Set<String> assigned = new HashSet<>();
    private final Set<String> loopVars = new HashSet<>();
    private final List<Stmt.Decl> topDecls = new ArrayList<>();
    private final Map<Integer, Set<String>> regionUses = new HashMap<>();
    private final Map<Integer, Set<String>> regionWrites = new HashMap<>();
    private final Map<Integer, Set<String>> regionDecls = new HashMap<>();

    private final Map<String, Var> vars = new LinkedHashMap<>();
    private final Map<Integer, RegionVars> regions = new HashMap<>();
    /** Top-level declarations whose value is the same for every work-item of a group. */
    private final Set<String> uniform = new HashSet<>();
    private final Map<String, Expr> rematInit = new HashMap<>();
    private final Map<String, Expr> singleInits = new HashMap<>();
    /** Rematerialised variables take at most this many expression nodes to compute. */
    private static final int REMAT_NODES = 8;

    private VarPlan(int[] localSize) {
        this.localSize = localSize;
    }

    /** @param localSize the work-group size along dimensions 0, 1, 2 (1 past the launch's rank) */
    static VarPlan of(LoopKernel k, List<Phase> phases, int[] localSize) {
        VarPlan p = new VarPlan(localSize);
        p.phases(phases);
        p.classify();
        return p;
    }

    Var var(String name) {
        return vars.get(name);
    }

    /** Whether {@code name} is a declared variable rather than a dimension parameter. */
    boolean isDeclared(String name) {
        return vars.containsKey(name);
    }

    RegionVars region(int id) {
        return regions.get(id);
    }

    /** Whether a variable holds one value for the whole group (a uniform, a barrier loop's variable). */
    boolean isUniformValue(String name) {
        return uniform.contains(name);
    }

    /** The initial value of a variable declared at a region's top level and never assigned, or null. */
    Expr singleInit(String name) {
        return singleInits.get(name);
    }

    /** What a {@link Storage#REMAT} variable is computed from. */
    Expr rematInit(String name) {
        return rematInit.get(name);
    }

    /** Whether {@code e} is the same for every work-item and reads no memory, so it can be computed up front. */
    boolean isUniformWithoutLoads(Expr e) {
        return isUniform(e, uniform) && !hasLoad(e);
    }

    List<Var> all() {
        return List.copyOf(vars.values());
    }

    List<Var> withStorage(Storage s) {
        return vars.values().stream().filter(v -> v.storage() == s).toList();
    }

    private void phases(List<Phase> phases) {
        for (Phase ph : phases) {
            switch (ph) {
                case Phase.Region r -> {
                    regionUses.put(r.id(), new LinkedHashSet<>());
                    regionWrites.put(r.id(), new LinkedHashSet<>());
                    regionDecls.put(r.id(), new LinkedHashSet<>());
                    for (Stmt s : r.body()) {
                        stmt(s, r.id(), true);
                    }
                }
                case Phase.Loop l -> {
                    uses(l.loop().lo(), HEADER);
                    uses(l.loop().hi(), HEADER);
                    uses(l.loop().step(), HEADER);
                    declare(l.loop().var(), HEADER);
                    loopVars.add(l.loop().var().name());
                    phases(l.body());
                }
            }
        }
    }

    private void stmt(Stmt s, int region, boolean top) {
        switch (s) {
            case Stmt.Decl d -> {
                uses(d.init(), region);
                declare(d.var(), region);
                regionWrites.get(region).add(d.var().name());
                if (top) {
                    topDecls.add(d);
                }
            }
            case Stmt.Assign a -> {
                uses(a.value(), region);
                use(a.var().name(), region);
                assigned.add(a.var().name());
                regionWrites.get(region).add(a.var().name());
            }
            case Stmt.Store st -> {
                uses(st.index(), region);
                uses(st.value(), region);
            }
            case Stmt.For f -> {
                uses(f.lo(), region);
                uses(f.hi(), region);
                uses(f.step(), region);
                declare(f.var(), region);
                f.body().forEach(b -> stmt(b, region, false));
            }
            case Stmt.If i -> {
                uses(i.cond(), region);
                i.then().forEach(b -> stmt(b, region, false));
                i.otherwise().forEach(b -> stmt(b, region, false));
            }
            case Stmt.Barrier b -> throw new IllegalStateException("barrier left inside region " + region);
        }
    }

    private void declare(Expr.Var v, int region) {
        types.put(v.name(), v.type());
        declRegion.put(v.name(), region);
        usedIn.put(v.name(), new HashSet<>(Set.of(region)));
        if (region != HEADER) {
            regionDecls.get(region).add(v.name());
            regionUses.get(region).add(v.name());
        }
    }

    private void use(String name, int region) {
        Set<Integer> where = usedIn.get(name);
        if (where == null) {
            return; // a dimension parameter
        }
        where.add(region);
        if (region != HEADER) {
            regionUses.get(region).add(name);
        }
    }

    private void uses(Expr e, int region) {
        switch (e) {
            case Expr.Var v -> use(v.name(), region);
            case Expr.IntLit i -> { }
            case Expr.FloatLit f -> { }
            case Expr.BoolLit b -> { }
            case Expr.Bin b -> {
                uses(b.a(), region);
                uses(b.b(), region);
            }
            case Expr.Un u -> uses(u.x(), region);
            case Expr.Select s -> {
                uses(s.cond(), region);
                uses(s.a(), region);
                uses(s.b(), region);
            }
            case Expr.Conv c -> uses(c.x(), region);
            case Expr.Load l -> uses(l.index(), region);
            case Expr.Special s -> { }
        }
    }

    private void classify() {
        // A declaration sees only earlier ones, so one pass in order settles which are uniform.
        uniform.addAll(loopVars);
        for (Stmt.Decl d : topDecls) {
            if (!assigned.contains(d.var().name()) && isUniform(d.init(), uniform)) {
                uniform.add(d.var().name());
            }
        }
        for (Stmt.Decl d : topDecls) {
            if (!assigned.contains(d.var().name())) {
                singleInits.put(d.var().name(), d.init());
            }
        }
        Set<String> remat = new HashSet<>();
        for (Stmt.Decl d : topDecls) {
            String name = d.var().name();
            // A uniform value earns a field only when it comes from memory or from other stored values. From
            // launch coordinates and dims alone it is cheaper, and clearer to the JIT, to compute it again: a
            // one-item group's local id becomes the constant 0, and loops starting there vectorise.
            boolean candidate = uniform.contains(name) ? launchConstant(d.init(), remat) : cheap(d.init(), remat);
            if (!assigned.contains(name) && candidate) {
                remat.add(name);
                rematInit.put(name, d.init());
            }
        }
        // Recomputing a variable in a region uses what it is computed from there too.
        for (Map.Entry<Integer, Set<String>> r : regionUses.entrySet()) {
            Set<String> closure = new HashSet<>();
            r.getValue().forEach(n -> need(n, closure));
            for (String n : closure) {
                if (r.getValue().add(n)) {
                    usedIn.get(n).add(r.getKey());
                }
            }
        }
        // A barrier loop's header may use one too (it is read at work-item 0).
        Set<String> header = new HashSet<>();
        for (Map.Entry<String, Set<Integer>> e : usedIn.entrySet()) {
            if (e.getValue().contains(HEADER)) {
                need(e.getKey(), header);
            }
        }
        header.forEach(n -> usedIn.get(n).add(HEADER));
        for (Map.Entry<String, LType> e : types.entrySet()) {
            String name = e.getKey();
            Storage s;
            if (loopVars.contains(name)) {
                s = Storage.LOOP;
            } else if (usedIn.get(name).equals(Set.of(declRegion.get(name)))) {
                s = Storage.LOCAL;
            } else if (remat.contains(name)) {
                s = Storage.REMAT;
            } else {
                s = uniform.contains(name) ? Storage.UNIFORM : Storage.PER_ITEM;
            }
            vars.put(name, new Var(name, e.getValue(), s));
        }
        for (int r : regionUses.keySet()) {
            Set<String> refs = new LinkedHashSet<>();
            for (String n : types.keySet()) { // declaration order: a recomputation sees what it depends on
                if (regionUses.get(r).contains(n) && vars.get(n).storage() != Storage.LOCAL) {
                    refs.add(n);
                }
            }
            Set<String> writes = new LinkedHashSet<>();
            for (String n : regionWrites.get(r)) {
                Storage s = vars.get(n).storage();
                if (s == Storage.UNIFORM || s == Storage.PER_ITEM) {
                    writes.add(n);
                }
            }
            regions.put(r, new RegionVars(refs, writes, regionDecls.get(r)));
        }
    }

    /** Adds {@code name} and, for a candidate for recomputation, what it is computed from. */
    private void need(String name, Set<String> needed) {
        if (!needed.add(name)) {
            return;
        }
        Expr init = rematInit.get(name);
        if (init != null) {
            Set<String> deps = new HashSet<>();
            names(init, deps);
            deps.forEach(d -> need(d, needed));
        }
    }

    private void names(Expr e, Set<String> out) {
        LoopWalk.expressions(e, x -> {
            if (x instanceof Expr.Var v && types.containsKey(v.name())) {
                out.add(v.name());
            }
        });
    }

    /** Small, without loads, from launch coordinates, dims, literals, group-wide and rematerialised values. */
    private boolean cheap(Expr e, Set<String> remat) {
        return nodes(e) <= REMAT_NODES && !hasLoad(e) && onlyFrom(e, remat);
    }

    /** Small, without loads, from launch coordinates, dims, literals and rematerialised values only. */
    private boolean launchConstant(Expr e, Set<String> remat) {
        return nodes(e) <= REMAT_NODES && !hasLoad(e) && onlyFrom(e, remat, false);
    }

    private boolean onlyFrom(Expr e, Set<String> remat) {
        return onlyFrom(e, remat, true);
    }

    private boolean onlyFrom(Expr e, Set<String> remat, boolean uniformToo) {
        return switch (e) {
            case Expr.Var v -> !types.containsKey(v.name()) || uniformToo && uniform.contains(v.name())
                    || remat.contains(v.name());
            case Expr.Bin b -> onlyFrom(b.a(), remat, uniformToo) && onlyFrom(b.b(), remat, uniformToo);
            case Expr.Un u -> onlyFrom(u.x(), remat, uniformToo);
            case Expr.Select s -> onlyFrom(s.cond(), remat, uniformToo) && onlyFrom(s.a(), remat, uniformToo)
                    && onlyFrom(s.b(), remat, uniformToo);
            case Expr.Conv c -> onlyFrom(c.x(), remat, uniformToo);
            case Expr.Load l -> false;
            case Expr.IntLit i -> true;
            case Expr.FloatLit f -> true;
            case Expr.BoolLit b -> true;
            case Expr.Special sp -> true;
        };
    }

    private static int nodes(Expr e) {
        return 1 + e.operands().stream().mapToInt(VarPlan::nodes).sum();
    }

    private static boolean hasLoad(Expr e) {
        return LoopWalk.anyMatch(e, x -> x instanceof Expr.Load);
    }

    /**
     * Whether every work-item of a group computes the same value. A load at a uniform index counts: between
     * barriers, a location one work-item writes and another reads is a data race, undefined on any device.
     */
    private boolean isUniform(Expr e, Set<String> uniform) {
        return switch (e) {
            case Expr.Var v -> uniform.contains(v.name()) || !types.containsKey(v.name());
            case Expr.IntLit i -> true;
            case Expr.FloatLit f -> true;
            case Expr.BoolLit b -> true;
            case Expr.Bin b -> isUniform(b.a(), uniform) && isUniform(b.b(), uniform);
            case Expr.Un u -> isUniform(u.x(), uniform);
            case Expr.Select s -> isUniform(s.cond(), uniform) && isUniform(s.a(), uniform)
                    && isUniform(s.b(), uniform);
            case Expr.Conv c -> isUniform(c.x(), uniform);
            case Expr.Load l -> isUniform(l.index(), uniform);
            case Expr.Special s -> switch (s.reg()) {
                case GROUP_ID, LOCAL_SIZE, NUM_GROUPS -> true;
                case LOCAL_ID, GLOBAL_ID -> localSize[s.dim()] == 1;
            };
        };
    }
}
