package dev.tessera.ir.loop;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.tile.BufferPlanVerifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the rules of loop IR that records cannot enforce alone: scoping, types, array access against the
 * kernel's parameters and local arrays, launch sizes, and barriers that every thread of a work-group reaches
 * (see {@link BarrierCheck}). Messages name the program and kernel ({@code @softmax/@softmax_0: ...}).
 */
public final class LoopVerifier {

    /** Work-items per work-group that every target supports. */
    public static final int MAX_WORK_GROUP = 1024;
    /** Words that read as literals in loop text, so no variable may be called so. */
    static final Set<String> RESERVED = Set.of("true", "false", "nan", "inf", "nanf", "inff");

    private final List<Diagnostic> out = new ArrayList<>();

    private LoopVerifier() {}

    public static List<Diagnostic> verify(LoopModule module) {
        LoopVerifier v = new LoopVerifier();
        Set<String> names = new HashSet<>();
        for (LoopProgram p : module.programs()) {
            if (!names.add(p.name())) {
                v.out.add(error("@" + p.name(), "program is defined twice"));
            }
            v.program(p);
        }
        return List.copyOf(v.out);
    }

    public static List<Diagnostic> verify(LoopProgram program) {
        LoopVerifier v = new LoopVerifier();
        v.program(program);
        return List.copyOf(v.out);
    }

    private void program(LoopProgram p) {
        String where = "@" + p.name();
        out.addAll(BufferPlanVerifier.verify(where, p.buffers()));
        Set<String> names = new HashSet<>();
        for (LoopKernel k : p.kernels()) {
            if (!names.add(k.name())) {
                out.add(error(where, "kernel @" + k.name() + " is defined twice"));
            }
            String kw = where + "/@" + k.name();
            new KernelCheck(p.buffers(), k, kw).run();
            BarrierCheck.run(k).forEach(m -> out.add(error(kw, m)));
        }
    }

    /** An expression as messages show it; records the printer refuses (bad names) show as records. */
    static String show(Expr e, LoopKernel k) {
        try {
            return LoopPrinter.print(e, k);
        } catch (IllegalArgumentException bad) {
            return e.toString();
        }
    }

    static Diagnostic error(String where, String message) {
        return Diagnostic.error(SourceSpan.UNKNOWN, where + ": " + message);
    }

    private enum VarKind { DIM, LOCAL, LOOP }

    private record VarInfo(LType type, VarKind kind) {}

    /** The checks of one kernel; {@code where} prefixes every message. */
    private final class KernelCheck {
        private final BufferPlan plan;
        private final LoopKernel k;
        private final String where;
        private final Map<String, LoopParam.BufferParam> buffers = new HashMap<>();
        private final Map<String, LocalArray> locals = new HashMap<>();
        private final Set<String> dims = new HashSet<>();
        private final Deque<Map<String, VarInfo>> scopes = new ArrayDeque<>();

        KernelCheck(BufferPlan plan, LoopKernel k, String where) {
            this.plan = plan;
            this.k = k;
            this.where = where;
        }

        void error(String message) {
            out.add(LoopVerifier.error(where, message));
        }

        void run() {
            params();
            Map<String, VarInfo> kernelScope = new HashMap<>();
            dims.forEach(d -> kernelScope.put(d, new VarInfo(LType.I32, VarKind.DIM)));
            scopes.push(kernelScope);
            for (Expr g : k.globalSize()) {
                grid(g);
                if (!g.type().isInt()) {
                    error("grid size " + show(g) + " is not an integer");
                }
            }
            long product = 1;
            for (int l : k.localSize()) {
                if (l < 1) {
                    error("work-group size " + l + " is not positive");
                }
                product *= Math.max(l, 1);
            }
            if (product > MAX_WORK_GROUP) {
                error("work-group of " + product + " items exceeds " + MAX_WORK_GROUP);
            }
            block(k.body(), Map.of());
        }

        private void params() {
            Set<String> names = new HashSet<>();
            Set<String> inputs = new HashSet<>();
            plan.inputs().forEach(b -> inputs.add(b.name()));
            for (LoopParam p : k.params()) {
                if (!names.add(p.name())) {
                    error("parameter %" + p.name() + " is declared twice");
                }
                switch (p) {
                    case LoopParam.BufferParam b -> {
                        buffers.put(b.name(), b);
                        Optional<Buffer> buf = plan.find(b.name());
                        if (buf.isEmpty()) {
                            error("parameter %" + b.name() + " names no buffer of the program");
                        } else if (buf.get().type().dtype() != b.elem()) {
                            error("parameter %" + b.name() + " is " + b.elem() + " but the buffer is "
                                    + buf.get().type().dtype());
                        } else if (b.written() && BufferPlanVerifier.acyclic(plan, b.name())
                                && inputs.contains(plan.storageOf(b.name()))) {
                            error("parameter %" + b.name() + " is written but is (a view of) a program input");
                        }
                    }
                    case LoopParam.DimParam d -> {
                        dims.add(d.name());
                        if (!d.name().matches("[A-Za-z_][A-Za-z0-9_]*") || RESERVED.contains(d.name())) {
                            error("dimension parameter %" + d.name() + " is not a valid variable name");
                        }
                    }
                }
            }
            for (LocalArray l : k.locals()) {
                if (!names.add(l.name())) {
                    error("local array " + l.name() + " clashes with another parameter or local array");
                }
                if (l.length() <= 0) {
                    error("local array " + l.name() + " has length " + l.length());
                }
                if (!l.name().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    error("local array name '" + l.name() + "' is not an identifier");
                }
                locals.put(l.name(), l);
            }
        }

        /** Launch sizes are computed on the host, so they may use only dimensions and literals. */
        private void grid(Expr g) {
            switch (g) {
                case Expr.Var v -> {
                    if (!dims.contains(v.name())) {
                        error("grid size uses " + v.name() + ", which is not a dimension parameter");
                    } else if (v.type() != LType.I32) {
                        error("dimension %" + v.name() + " used as " + v.type().irName() + ", not i32");
                    }
                }
                case Expr.IntLit i -> literal(i);
                case Expr.Bin b when !b.op().isComparison() && b.op() != LBinOp.AND && b.op() != LBinOp.OR -> {
                    grid(b.a());
                    grid(b.b());
                    if (b.a().type() != b.b().type()) {
                        error("operands of " + b.op().irName() + " in grid size have different types");
                    }
                }
                default -> error("grid size " + show(g) + " may use only dimension parameters, "
                        + "integer literals and arithmetic");
            }
        }

        private void block(List<Stmt> body, Map<String, VarInfo> predeclared) {
            scopes.push(new HashMap<>(predeclared));
            for (Stmt s : body) {
                stmt(s);
            }
            scopes.pop();
        }

        private void stmt(Stmt s) {
            switch (s) {
                case Stmt.Decl d -> {
                    expect(d.init(), d.var().type(), "initial value of " + d.var().name());
                    String n = d.var().name();
                    if (RESERVED.contains(n)) {
                        error("variable name " + n + " is reserved");
                    }
                    if (dims.contains(n)) {
                        error("variable " + n + " shadows dimension parameter %" + n);
                    }
                    if (scopes.peek().containsKey(n)) {
                        error("variable " + n + " is declared twice in the same scope");
                    }
                    scopes.peek().put(n, new VarInfo(d.var().type(), VarKind.LOCAL));
                }
                case Stmt.Assign a -> {
                    VarInfo info = resolve(a.var());
                    if (info != null && info.kind() != VarKind.LOCAL) {
                        error("cannot assign to " + (info.kind() == VarKind.DIM ? "dimension parameter %" : "loop variable ")
                                + a.var().name());
                    }
                    expect(a.value(), a.var().type(), "value assigned to " + a.var().name());
                }
                case Stmt.Store st -> {
                    LType elem = arrayType(st.array(), true);
                    index(st.index(), "store to " + st.array());
                    if (elem != null) {
                        expect(st.value(), elem, "value stored to " + st.array());
                    } else {
                        type(st.value());
                    }
                }
                case Stmt.For f -> {
                    LType t = f.var().type();
                    if (!t.isInt()) {
                        error("loop variable " + f.var().name() + " is " + t.irName() + ", not an integer");
                    }
                    expect(f.lo(), t, "lower bound of loop " + f.var().name());
                    expect(f.hi(), t, "upper bound of loop " + f.var().name());
                    expect(f.step(), t, "step of loop " + f.var().name());
                    if (f.step() instanceof Expr.IntLit i && i.value() <= 0) {
                        error("loop " + f.var().name() + " has step " + i.value() + "; steps must be positive");
                    }
                    if (dims.contains(f.var().name()) || RESERVED.contains(f.var().name())) {
                        error("loop variable " + f.var().name() + " shadows a dimension parameter or reserved word");
                    }
                    block(f.body(), Map.of(f.var().name(), new VarInfo(t, VarKind.LOOP)));
                }
                case Stmt.If i -> {
                    expect(i.cond(), LType.BOOL, "if condition");
                    block(i.then(), Map.of());
                    block(i.otherwise(), Map.of());
                }
                case Stmt.Barrier b -> { }
            }
        }

        private void expect(Expr e, LType want, String what) {
            LType got = type(e);
            if (got != want) {
                error(what + " is " + got.irName() + ", expected " + want.irName() + ": " + show(e));
            }
        }

        private void index(Expr index, String what) {
            LType t = type(index);
            if (!t.isInt()) {
                error("index of " + what + " is " + t.irName() + ", not an integer");
            }
        }

        private VarInfo resolve(Expr.Var v) {
            for (Map<String, VarInfo> scope : scopes) {
                VarInfo info = scope.get(v.name());
                if (info != null) {
                    if (info.type() != v.type()) {
                        error("variable " + v.name() + " is used as " + v.type().irName() + " but declared "
                                + info.type().irName());
                    }
                    return info;
                }
            }
            error("variable " + v.name() + " is used before it is declared");
            return null;
        }

        /** The compute type of an array's elements, or null (with an error) when it cannot be accessed so. */
        private LType arrayType(String array, boolean store) {
            LoopParam.BufferParam b = buffers.get(array);
            if (b != null) {
                if (store && !b.written()) {
                    error("store to %" + array + ", which is not marked mut");
                }
                return LType.computeTypeOf(b.elem());
            }
            LocalArray l = locals.get(array);
            if (l != null) {
                return l.elem();
            }
            error((store ? "store to " : "load from ") + array + ", which is neither a buffer parameter nor a local array");
            return null;
        }

        private void literal(Expr.IntLit i) {
            if (i.type() == LType.I32 && (i.value() < Integer.MIN_VALUE || i.value() > Integer.MAX_VALUE)) {
                error("literal " + i.value() + " does not fit in i32");
            }
        }

        /** Checks {@code e} and its operands; returns the type the record claims, so one error is reported once. */
        private LType type(Expr e) {
            switch (e) {
                case Expr.Var v -> resolve(v);
                case Expr.IntLit i -> literal(i);
                case Expr.FloatLit f -> { }
                case Expr.BoolLit b -> { }
                case Expr.Bin b -> {
                    LType a = type(b.a());
                    LType c = type(b.b());
                    String op = b.op().irName();
                    if (a != c) {
                        error("operands of " + op + " have different types " + a.irName() + " and " + c.irName() + ": "
                                + show(e));
                    }
                    switch (b.op()) {
                        case AND, OR -> need(a != LType.F32 && a != LType.F64, op, "bool or integer operands", e);
                        case EQ, NE -> { }
                        default -> need(a != LType.BOOL, op, "numeric operands", e);
                    }
                }
                case Expr.Un u -> {
                    LType x = type(u.x());
                    switch (u.op()) {
                        case NOT -> need(!x.isFloat(), "not", "a bool or integer operand", e);
                        case NEG, ABS -> need(x != LType.BOOL, u.op().irName(), "a numeric operand", e);
                        default -> need(x.isFloat(), u.op().irName(), "a float operand", e);
                    }
                }
                case Expr.Select s -> {
                    expect(s.cond(), LType.BOOL, "select condition");
                    LType a = type(s.a());
                    LType b = type(s.b());
                    if (a != b) {
                        error("select operands have different types " + a.irName() + " and " + b.irName() + ": "
                                + show(e));
                    }
                }
                case Expr.Conv c -> type(c.x());
                case Expr.Load l -> {
                    LType elem = arrayType(l.array(), false);
                    index(l.index(), "load from " + l.array());
                    if (elem != null && elem != l.type()) {
                        error("load from " + l.array() + " is typed " + l.type().irName() + " but its elements compute as "
                                + elem.irName());
                    }
                }
                case Expr.Special s -> {
                    if (s.dim() >= k.localSize().size()) {
                        error(s.reg().irName() + "(" + s.dim() + ") in a " + k.localSize().size() + "-D launch");
                    }
                }
            }
            return e.type();
        }

        private String show(Expr e) {
            return LoopVerifier.show(e, k);
        }

        private void need(boolean ok, String op, String what, Expr e) {
            if (!ok) {
                error(op + " needs " + what + ": " + show(e));
            }
        }
    }
}
