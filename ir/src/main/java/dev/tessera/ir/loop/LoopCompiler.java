package dev.tessera.ir.loop;

import dev.tessera.ir.DType;
import dev.tessera.ir.interp.Rounding;
import dev.tessera.ir.loop.Lane.DNode;
import dev.tessera.ir.loop.Lane.LNode;
import dev.tessera.ir.loop.Lane.SNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one verified loop kernel, for one launch, into a tree of closures the {@link LoopInterpreter} runs per
 * thread: variables resolved to fixed slots, dimensions and launch sizes folded to constants, buffers bound
 * to their storage. Integer and bool values evaluate as {@code long}, floats as {@code double}.
 */
final class LoopCompiler {

    /** A buffer parameter's storage: shared by views, with per-element written flags for the poison check. */
    record Storage(String name, DType dtype, double[] data, boolean[] written) {}

    /** A compiled kernel body with the slots a lane needs and whether it contains a barrier. */
    record Compiled(SNode body, int intSlots, int floatSlots, boolean hasBarrier) {}

    private record Slot(boolean isFloat, int index) {}

    private final LoopKernel kernel;
    private final String where;
    private final Map<String, Long> dims;
    private final Map<String, Storage> buffers;
    private final boolean trapUnwritten;
    private final Map<String, Integer> localIndex = new HashMap<>();
    private final Deque<Map<String, Slot>> scopes = new ArrayDeque<>();
    private int[] localSize = {1, 1, 1};
    private int[] numGroups = {1, 1, 1};
    private int intSlots;
    private int floatSlots;
    private boolean hasBarrier;

    LoopCompiler(LoopKernel kernel, String where, Map<String, Long> dims, Map<String, Storage> buffers,
            boolean trapUnwritten) {
        this.kernel = kernel;
        this.where = where;
        this.dims = dims;
        this.buffers = buffers;
        this.trapUnwritten = trapUnwritten;
        for (int i = 0; i < kernel.locals().size(); i++) {
            localIndex.put(kernel.locals().get(i).name(), i);
        }
    }

    /** The launch's global size per dimension; grid expressions use only dimensions and literals. */
    long[] gridSizes() {
        Lane none = new Lane(0, 0);
        return kernel.globalSize().stream().mapToLong(g -> l(g).eval(none)).toArray();
    }

    Compiled compile(int[] localSize, int[] numGroups) {
        this.localSize = localSize.clone();
        this.numGroups = numGroups.clone();
        SNode body = block(kernel.body());
        return new Compiled(body, intSlots, floatSlots, hasBarrier);
    }

    private SNode block(List<Stmt> body) {
        scopes.push(new HashMap<>());
        SNode[] nodes = body.stream().map(this::stmt).toArray(SNode[]::new);
        scopes.pop();
        return switch (nodes.length) {
            case 0 -> t -> { };
            case 1 -> nodes[0];
            default -> t -> {
                for (SNode n : nodes) {
                    n.exec(t);
                }
            };
        };
    }

    private Slot declare(Expr.Var v) {
        Slot s = v.type().isFloat() ? new Slot(true, floatSlots++) : new Slot(false, intSlots++);
        scopes.peek().put(v.name(), s);
        return s;
    }

    private SNode stmt(Stmt s) {
        return switch (s) {
            case Stmt.Decl d -> {
                Object init = expr(d.init()); // before declaring: the initialiser sees the outer scope
                yield write(init, declare(d.var()));
            }
            case Stmt.Assign a -> write(expr(a.value()), lookup(a.var().name()));
            case Stmt.Store st -> store(st);
            case Stmt.For f -> loop(f);
            case Stmt.If i -> {
                LNode cond = l(i.cond());
                SNode then = block(i.then());
                SNode otherwise = block(i.otherwise());
                yield t -> {
                    if (cond.eval(t) != 0) {
                        then.exec(t);
                    } else {
                        otherwise.exec(t);
                    }
                };
            }
            case Stmt.Barrier b -> {
                hasBarrier = true;
                Object site = new Object();
                yield t -> t.group.barrier.await(site);
            }
        };
    }

    private static SNode write(Object value, Slot slot) {
        int i = slot.index();
        if (slot.isFloat()) {
            DNode v = (DNode) value;
            return t -> t.floats[i] = v.eval(t);
        }
        LNode v = (LNode) value;
        return t -> t.ints[i] = v.eval(t);
    }

    private SNode loop(Stmt.For f) {
        LNode lo = l(f.lo());
        LNode hi = l(f.hi());
        LNode step = l(f.step());
        boolean i32 = f.var().type() == LType.I32;
        scopes.push(new HashMap<>()); // the loop variable's own scope, around the body's
        int slot = declare(f.var()).index();
        SNode body = block(f.body());
        scopes.pop();
        String name = f.var().name();
        return t -> {
            long v = lo.eval(t);
            while (true) {
                t.ints[slot] = v;
                if (v >= hi.eval(t)) {
                    return;
                }
                body.exec(t);
                long s = step.eval(t);
                if (s <= 0) {
                    throw new IllegalStateException("loop " + name + " has step " + s + " in " + where + " at " + t.where());
                }
                v = i32 ? (int) (v + s) : v + s;
            }
        };
    }

    private Slot lookup(String name) {
        for (Map<String, Slot> scope : scopes) {
            Slot s = scope.get(name);
            if (s != null) {
                return s;
            }
        }
        throw new IllegalArgumentException("variable " + name + " is not declared in " + where);
    }

    // Expressions.

    LNode l(Expr e) {
        Object n = expr(e);
        if (n instanceof LNode ln) {
            return ln;
        }
        throw new IllegalArgumentException("expected an integer or bool expression: " + LoopPrinter.print(e));
    }

    DNode d(Expr e) {
        Object n = expr(e);
        if (n instanceof DNode dn) {
            return dn;
        }
        throw new IllegalArgumentException("expected a float expression: " + LoopPrinter.print(e));
    }

    /** An {@link LNode} or a {@link DNode} according to the expression's type. */
    private Object expr(Expr e) {
        return switch (e) {
            case Expr.Var v -> var(v);
            case Expr.IntLit i -> {
                long c = i.type() == LType.I32 ? (int) i.value() : i.value();
                yield (LNode) t -> c;
            }
            case Expr.FloatLit f -> {
                double c = f.type() == LType.F32 ? (float) f.value() : f.value();
                yield (DNode) t -> c;
            }
            case Expr.BoolLit b -> {
                long c = b.value() ? 1 : 0;
                yield (LNode) t -> c;
            }
            case Expr.Bin b -> LoopOps.binary(b.op(), b.a().type(), expr(b.a()), expr(b.b()));
            case Expr.Un u -> LoopOps.unary(u.op(), u.x().type(), expr(u.x()));
            case Expr.Select s -> {
                LNode c = l(s.cond());
                if (s.a().type().isFloat()) {
                    DNode a = d(s.a());
                    DNode b = d(s.b());
                    yield (DNode) t -> c.eval(t) != 0 ? a.eval(t) : b.eval(t);
                }
                LNode a = l(s.a());
                LNode b = l(s.b());
                yield (LNode) t -> c.eval(t) != 0 ? a.eval(t) : b.eval(t);
            }
            case Expr.Conv c -> LoopOps.convert(c.x().type(), c.to(), expr(c.x()));
            case Expr.Load ld -> load(ld);
            case Expr.Special s -> special(s);
        };
    }

    private Object var(Expr.Var v) {
        for (Map<String, Slot> scope : scopes) {
            Slot s = scope.get(v.name());
            if (s != null) {
                int i = s.index();
                return s.isFloat() ? (DNode) t -> t.floats[i] : (LNode) t -> t.ints[i];
            }
        }
        Long dim = dims.get(v.name());
        if (dim == null) {
            throw new IllegalArgumentException("variable " + v.name() + " is not declared in " + where);
        }
        long c = (int) (long) dim;
        return (LNode) t -> c;
    }

    private Object special(Expr.Special s) {
        int d = s.dim();
        return switch (s.reg()) {
            case GLOBAL_ID -> (LNode) t -> t.globalId[d];
            case LOCAL_ID -> (LNode) t -> t.localId[d];
            case GROUP_ID -> (LNode) t -> t.groupId[d];
            case LOCAL_SIZE -> {
                long c = localSize[d];
                yield (LNode) t -> c;
            }
            case NUM_GROUPS -> {
                long c = numGroups[d];
                yield (LNode) t -> c;
            }
        };
    }

    private Object load(Expr.Load ld) {
        LNode index = l(ld.index());
        Storage st = buffers.get(ld.array());
        if (st != null) {
            double[] data = st.data();
            boolean[] written = st.written();
            String name = "%" + ld.array();
            boolean trap = trapUnwritten;
            LNode at = t -> {
                long i = index.eval(t);
                if (i < 0 || i >= data.length) {
                    throw outOfBounds("load", name, i, data.length, t);
                }
                if (trap && !written[(int) i]) {
                    throw unwritten(name, i, t);
                }
                return i;
            };
            return switch (LType.computeTypeOf(st.dtype())) {
                case F32, F64 -> (DNode) t -> data[(int) at.eval(t)];
                case BOOL -> (LNode) t -> data[(int) at.eval(t)] != 0 ? 1 : 0;
                default -> (LNode) t -> (long) data[(int) at.eval(t)];
            };
        }
        int a = localIndex(ld.array());
        int length = kernel.locals().get(a).length();
        String name = ld.array();
        boolean trap = trapUnwritten;
        LNode at = t -> {
            long i = index.eval(t);
            if (i < 0 || i >= length) {
                throw outOfBounds("load", name, i, length, t);
            }
            if (trap && !t.group.written[a][(int) i]) {
                throw unwritten(name, i, t);
            }
            return i;
        };
        if (kernel.locals().get(a).elem().isFloat()) {
            return (DNode) t -> ((double[]) t.group.arrays[a])[(int) at.eval(t)];
        }
        return (LNode) t -> ((long[]) t.group.arrays[a])[(int) at.eval(t)];
    }

    private SNode store(Stmt.Store st) {
        LNode index = l(st.index());
        Storage s = buffers.get(st.array());
        if (s != null) {
            double[] data = s.data();
            boolean[] written = s.written();
            String name = "%" + st.array();
            DType dtype = s.dtype();
            LNode at = t -> {
                long i = index.eval(t);
                if (i < 0 || i >= data.length) {
                    throw outOfBounds("store", name, i, data.length, t);
                }
                return i;
            };
            if (st.value().type().isFloat()) {
                DNode v = d(st.value());
                return t -> {
                    int i = (int) at.eval(t);
                    data[i] = Rounding.round(dtype, v.eval(t));
                    written[i] = true;
                };
            }
            LNode v = l(st.value());
            return t -> {
                int i = (int) at.eval(t);
                data[i] = Rounding.round(dtype, v.eval(t));
                written[i] = true;
            };
        }
        int a = localIndex(st.array());
        int length = kernel.locals().get(a).length();
        String name = st.array();
        LNode at = t -> {
            long i = index.eval(t);
            if (i < 0 || i >= length) {
                throw outOfBounds("store", name, i, length, t);
            }
            return i;
        };
        if (kernel.locals().get(a).elem().isFloat()) {
            DNode v = d(st.value());
            return t -> {
                int i = (int) at.eval(t);
                ((double[]) t.group.arrays[a])[i] = v.eval(t);
                t.group.written[a][i] = true;
            };
        }
        LNode v = l(st.value());
        return t -> {
            int i = (int) at.eval(t);
            ((long[]) t.group.arrays[a])[i] = v.eval(t);
            t.group.written[a][i] = true;
        };
    }

    private int localIndex(String array) {
        Integer a = localIndex.get(array);
        if (a == null) {
            throw new IllegalArgumentException(array + " is neither a buffer parameter nor a local array of " + where);
        }
        return a;
    }

    private IllegalStateException outOfBounds(String what, String array, long i, int size, Lane t) {
        return new IllegalStateException("out-of-bounds " + what + " " + array + "[" + i + "] (size " + size
                + ") in " + where + " at " + t.where());
    }

    private IllegalStateException unwritten(String array, long i, Lane t) {
        return new IllegalStateException("load of " + array + "[" + i + "], which nothing has written yet, in "
                + where + " at " + t.where());
    }
}
