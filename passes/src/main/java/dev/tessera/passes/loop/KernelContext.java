package dev.tessera.passes.loop;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.Dim;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.Stmt;
import dev.tessera.ir.tile.IndexTerm;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TOp;
import dev.tessera.ir.tile.TileKernel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every kernel lowering shares: the parameter list (buffers, then the symbolic dims they use, each a
 * variable named as the dim), dim expressions, row-major index arithmetic, and fresh variable names that
 * never collide with a dim's name.
 */
final class KernelContext {

    final TileKernel kernel;
    final BufferPlan plan;
    private final Set<String> dims = new LinkedHashSet<>();
    private int fresh;
    /** Linear indices split by {@link #delinearize}, so that {@link #offset} can give them back whole. */
    private final List<Split> splits = new ArrayList<>();

    private record Split(Expr linear, List<Dim> extents, List<Expr> parts) {}

    KernelContext(TileKernel kernel, BufferPlan plan) {
        this.kernel = kernel;
        this.plan = plan;
        kernel.domain().axes().forEach(this::noteDim);
        for (String b : kernel.reads()) {
            buffer(b).type().shape().dims().forEach(this::noteDim);
        }
        for (String b : kernel.writes()) {
            buffer(b).type().shape().dims().forEach(this::noteDim);
        }
    }

    private void noteDim(Dim d) {
        if (d instanceof Dim.Sym s) {
            dims.add(s.name());
        }
    }

    Buffer buffer(String name) {
        return plan.find(name).orElseThrow(() -> new IllegalStateException("kernel " + kernel.name()
                + " names buffer %" + name + " that the program does not declare"));
    }

    List<LoopParam> params() {
        List<LoopParam> ps = new ArrayList<>();
        for (String b : kernel.reads()) {
            if (!kernel.writes().contains(b)) {
                ps.add(new LoopParam.BufferParam(b, buffer(b).type().dtype(), false));
            }
        }
        for (String b : kernel.writes()) {
            ps.add(new LoopParam.BufferParam(b, buffer(b).type().dtype(), true));
        }
        for (String d : dims) {
            ps.add(new LoopParam.DimParam(dimVar(d)));
        }
        return ps;
    }

    static String dimVar(String dim) {
        return dim;
    }

    static Expr dim(Dim d) {
        return switch (d) {
            case Dim.Lit l -> Ex.i32(l.value());
            case Dim.Sym s -> Ex.var(dimVar(s.name()), LType.I32);
        };
    }

    static Expr product(List<Dim> ds) {
        Expr p = Ex.i32(1);
        for (Dim d : ds) {
            p = Ex.mul(p, dim(d));
        }
        return p;
    }

    /** A local-memory array name that no buffer of the kernel has (buffers may be named anything). */
    String localArray(String hint) {
        String name = hint;
        for (int i = 2; kernel.reads().contains(name) || kernel.writes().contains(name); i++) {
            name = hint + i;
        }
        return name;
    }

    /** A new variable name, unique in this kernel. */
    String fresh(String hint) {
        String name;
        do {
            name = hint + "_" + fresh++;
        } while (dims.contains(name));
        return name;
    }

    Expr.Var declare(List<Stmt> out, String hint, Expr init) {
        Expr.Var v = new Expr.Var(fresh(hint), init.type());
        out.add(new Stmt.Decl(v, init));
        return v;
    }

    /**
     * Splits a linear index over {@code extents} (row-major) into one variable per axis, declared in
     * {@code out}.
     */
    List<Expr> delinearize(List<Stmt> out, Expr linear, List<Dim> extents, String hint) {
        Expr[] idx = new Expr[extents.size()];
        Expr rest = linear;
        for (int a = extents.size() - 1; a >= 0; a--) {
            Expr e = dim(extents.get(a));
            if (a == 0) {
                idx[a] = rest instanceof Expr.Var || rest instanceof Expr.IntLit ? rest : declare(out, hint, rest);
            } else {
                idx[a] = declare(out, hint, Ex.rem(rest, e));
                rest = declare(out, hint + "q", Ex.div(rest, e));
            }
        }
        if (extents.size() > 1) {
            splits.add(new Split(linear, List.copyOf(extents), List.of(idx)));
        }
        return List.of(idx);
    }

    /**
     * The values that differ along domain axes {@code first} and later: loads indexed by one of them, and what
     * is computed from those. Reductions and dots are computed by the kernel lowerings, not here.
     */
    Set<String> varyingAlong(Map<String, TInstr> defs, int first) {
        Set<String> v = new HashSet<>();
        for (TInstr in : kernel.body()) {
            boolean varies = switch (in.op()) {
                case TOp.Load l -> l.index().stream().anyMatch(i -> i instanceof IndexTerm.Axis a && a.axis() >= first);
                case TOp.Reduce r -> false;
                case TOp.Dot d -> false;
                default -> in.op().operands().stream().anyMatch(o -> v.contains(o.name()));
            };
            if (varies) {
                v.add(in.result().name());
            }
        }
        return v;
    }

    /**
     * Row-major offset of {@code buffer} at the index map, with domain axis values from {@code axes}. Where the
     * buffer is indexed exactly by the parts of a split linear index over its own shape, the offset is that
     * linear index: a contiguous walk costs no division.
     */
    Expr offset(String bufferName, List<IndexTerm> map, List<Expr> axes) {
        List<Dim> shape = buffer(bufferName).type().shape().dims();
        List<Expr> terms = new ArrayList<>();
        for (int j = 0; j < shape.size(); j++) {
            terms.add(switch (map.get(j)) {
                case IndexTerm.Zero z -> Ex.i32(0);
                case IndexTerm.Axis a -> {
                    Expr e = axes.get(a.axis());
                    if (e == null) {
                        throw new IllegalStateException("axis d" + a.axis() + " is not in scope where %"
                                + bufferName + " is read in kernel " + kernel.name());
                    }
                    yield e;
                }
            });
        }
        for (Split s : splits) {
            if (s.parts().equals(terms) && s.extents().equals(shape)) {
                return s.linear();
            }
        }
        Expr off = Ex.i32(0);
        for (int j = 0; j < shape.size(); j++) {
            off = Ex.add(Ex.mul(off, dim(shape.get(j))), terms.get(j));
        }
        return off;
    }
}
