package dev.tessera.ir.tile;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.Dim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the rules of tile IR that records cannot enforce alone: SSA, dtypes, buffer access against the plan
 * and the kernel's reads and writes, index ranks and extents against the domain, and kind-specific shape.
 * Messages name the program and kernel ({@code @softmax/@softmax_0: ...}); spans are unknown.
 */
public final class TileVerifier {

    private final List<Diagnostic> out = new ArrayList<>();

    private TileVerifier() {}

    public static List<Diagnostic> verify(TileModule module) {
        TileVerifier v = new TileVerifier();
        Set<String> names = new HashSet<>();
        for (TileProgram p : module.programs()) {
            if (!names.add(p.name())) {
                v.out.add(BufferPlanVerifier.error("@" + p.name(), "program is defined twice"));
            }
            v.program(p);
        }
        return List.copyOf(v.out);
    }

    public static List<Diagnostic> verify(TileProgram program) {
        TileVerifier v = new TileVerifier();
        v.program(program);
        return List.copyOf(v.out);
    }

    private void program(TileProgram p) {
        String where = "@" + p.name();
        out.addAll(BufferPlanVerifier.verify(where, p.buffers()));
        Set<String> names = new HashSet<>();
        for (TileKernel k : p.kernels()) {
            if (!names.add(k.name())) {
                out.add(BufferPlanVerifier.error(where, "kernel @" + k.name() + " is defined twice"));
            }
            new KernelCheck(p.buffers(), k, where + "/@" + k.name()).run();
        }
    }

    /** The checks of one kernel; {@code where} prefixes every message. */
    private final class KernelCheck {
        private final BufferPlan plan;
        private final TileKernel k;
        private final String where;
        private final List<Dim> axes;
        /** Per defined value, the sweep axes it varies along (bit i is domain axis i). */
        private final Map<String, Long> sweepDeps = new HashMap<>();
        private final Map<String, DType> defined = new HashMap<>();

        KernelCheck(BufferPlan plan, TileKernel k, String where) {
            this.plan = plan;
            this.k = k;
            this.where = where;
            this.axes = k.domain().axes();
        }

        void error(String message) {
            out.add(BufferPlanVerifier.error(where, message));
        }

        void run() {
            Set<String> inputs = new HashSet<>();
            plan.inputs().forEach(b -> inputs.add(b.name()));
            for (String r : k.reads()) {
                if (plan.find(r).isEmpty()) {
                    error("reads unknown buffer %" + r);
                }
            }
            for (String w : k.writes()) {
                if (plan.find(w).isEmpty()) {
                    error("writes unknown buffer %" + w);
                } else if (BufferPlanVerifier.acyclic(plan, w) && inputs.contains(plan.storageOf(w))) {
                    error("writes %" + w + ", which is (a view of) a program input");
                }
            }
            boolean hasSweep = !k.domain().sweep().isEmpty();
            switch (k.kind()) {
                case POINTWISE -> {
                    if (hasSweep) {
                        error("pointwise kernel has sweep axes " + TilePrinter.domain(k.domain()));
                    }
                }
                case REDUCE -> {
                    if (!hasSweep) {
                        error("reduce kernel has no sweep axes");
                    }
                }
                case MATMUL -> {
                    if (k.body().stream().noneMatch(i -> i.op() instanceof TOp.Dot)) {
                        error("matmul kernel has no dot");
                    }
                }
            }
            for (TInstr i : k.body()) {
                instr(i);
            }
            for (TStore s : k.stores()) {
                store(s);
            }
        }

        private void instr(TInstr i) {
            String v = i.result().toString();
            long deps = 0;
            for (TValue operand : i.op().operands()) {
                DType d = defined.get(operand.name());
                if (d == null) {
                    error(v + ": operand " + operand + " is not defined before use");
                } else if (d != operand.dtype()) {
                    error(v + ": operand " + operand + " has dtype " + operand.dtype() + " but is defined as " + d);
                }
                deps |= sweepDeps.getOrDefault(operand.name(), 0L);
            }
            DType result = i.result().dtype();
            switch (i.op()) {
                case TOp.Load l -> {
                    if (!k.reads().contains(l.buffer())) {
                        error(v + ": load from %" + l.buffer() + ", which is not in reads");
                    }
                    Optional<Buffer> b = plan.find(l.buffer());
                    if (b.isPresent()) {
                        index(v + ": load from %" + l.buffer(), b.get(), l.index());
                        if (b.get().type().dtype() != result) {
                            error(v + ": load from %" + l.buffer() + " of dtype " + b.get().type().dtype()
                                    + " gives " + result);
                        }
                    }
                    deps = sweepAxes(l.index());
                }
                case TOp.Const c -> constant(v, c.value(), result);
                case TOp.Unary u -> {
                    result(v, u.op().irName(), result, u.x().dtype());
                    switch (u.op()) {
                        case NOT -> is(v, "not", u.x().dtype() == DType.BOOL, "a bool");
                        case ABS, NEG, RELU -> is(v, u.op().irName(), u.x().dtype() != DType.BOOL, "a number");
                        default -> is(v, u.op().irName(), u.x().dtype().isFloat(), "a float");
                    }
                }
                case TOp.Binary b -> binary(v, b, result);
                case TOp.Select s -> {
                    is(v, "select condition", s.cond().dtype() == DType.BOOL, "a bool");
                    operands(v, "select", s.a().dtype(), s.b().dtype());
                    result(v, "select", result, s.a().dtype());
                }
                case TOp.Cast c -> result(v, "cast." + c.to().irName(), result, c.to());
                case TOp.Reduce r -> {
                    sweepOnly(v, "reduce." + r.op().irName());
                    is(v, "reduce." + r.op().irName(), r.x().dtype() != DType.BOOL, "a number");
                    result(v, "reduce." + r.op().irName(), result, r.x().dtype());
                    deps = 0;
                }
                case TOp.Dot d -> {
                    sweepOnly(v, "dot");
                    operands(v, "dot", d.a().dtype(), d.b().dtype());
                    is(v, "dot", d.a().dtype() != DType.BOOL, "a number");
                    // Half inputs may accumulate in f32, as tensor cores do.
                    if (result != d.a().dtype() && !(d.a().dtype().isHalf() && result == DType.F32)) {
                        error(v + ": dot of " + d.a().dtype() + " gives " + result);
                    }
                    deps = 0;
                }
            }
            if (defined.containsKey(i.result().name())) {
                error(v + " is defined twice");
            }
            defined.put(i.result().name(), result);
            sweepDeps.put(i.result().name(), deps);
        }

        private void binary(String v, TOp.Binary b, DType result) {
            String op = b.op().irName();
            operands(v, op, b.a().dtype(), b.b().dtype());
            if (b.op().isComparison()) {
                result(v, op, result, DType.BOOL);
                if (b.op() != BinaryOp.EQ && b.op() != BinaryOp.NE) {
                    is(v, op, b.a().dtype() != DType.BOOL, "numbers");
                }
            } else if (b.op().isLogical()) {
                is(v, op, b.a().dtype() == DType.BOOL, "bools");
                result(v, op, result, DType.BOOL);
            } else {
                is(v, op, b.a().dtype() != DType.BOOL, "numbers");
                result(v, op, result, b.a().dtype());
            }
        }

        private void constant(String v, double value, DType dtype) {
            boolean ok = switch (dtype) {
                case BOOL -> value == 0 || value == 1;
                case I32 -> value == Math.rint(value) && value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
                default -> true;
            };
            if (!ok) {
                error(v + ": constant " + value + " is not a " + dtype);
            }
        }

        private void store(TStore s) {
            String what = "store to %" + s.buffer();
            if (!k.writes().contains(s.buffer())) {
                error(what + ", which is not in writes");
            }
            DType d = defined.get(s.value().name());
            if (d == null) {
                error(what + ": value " + s.value() + " is not defined");
            } else if (d != s.value().dtype()) {
                error(what + ": value " + s.value() + " has dtype " + s.value().dtype() + " but is defined as " + d);
            }
            Optional<Buffer> b = plan.find(s.buffer());
            if (b.isEmpty()) {
                return;
            }
            index(what, b.get(), s.index());
            if (b.get().type().dtype() != s.value().dtype()) {
                error(what + " of dtype " + b.get().type().dtype() + " with a value of dtype " + s.value().dtype());
            }
            for (int a = 0; a < k.domain().parallel().size(); a++) {
                // an axis of extent 1 (the M of a vector-matrix product) has one instance anyway
                if (!s.index().contains(new IndexTerm.Axis(a)) && !k.domain().parallel().get(a).isOne()) {
                    error(what + " does not use parallel axis d" + a + ", so instances would write the same element");
                }
            }
            long missing = sweepDeps.getOrDefault(s.value().name(), 0L) & ~sweepAxes(s.index());
            if (missing != 0) {
                error(what + ": value " + s.value() + " varies along sweep axis d"
                        + Long.numberOfTrailingZeros(missing) + ", which the index does not use");
            }
        }

        /** Rank, axis range and extents of one access; {@code what} starts each message. */
        private void index(String what, Buffer b, List<IndexTerm> index) {
            List<Dim> dims = b.type().shape().dims();
            if (index.size() != dims.size()) {
                error(what + ": " + index.size() + " indices for a tensor of rank " + dims.size());
                return;
            }
            for (int t = 0; t < index.size(); t++) {
                switch (index.get(t)) {
                    case IndexTerm.Zero z -> {
                        if (!dims.get(t).isOne()) {
                            error(what + ": index 0 on axis " + t + " of extent " + dims.get(t) + " (only extent 1)");
                        }
                    }
                    case IndexTerm.Axis a -> {
                        if (a.axis() < 0 || a.axis() >= axes.size()) {
                            error(what + ": d" + a.axis() + " is not an axis of domain " + TilePrinter.domain(k.domain()));
                        } else if (!axes.get(a.axis()).equals(dims.get(t))) {
                            error(what + ": axis " + t + " of extent " + dims.get(t) + " indexed by d" + a.axis()
                                    + " of extent " + axes.get(a.axis())
                                    + (dims.get(t).isOne() ? " (use 0 for a broadcast axis)" : ""));
                        }
                    }
                }
            }
        }

        private long sweepAxes(List<IndexTerm> index) {
            long mask = 0;
            for (IndexTerm t : index) {
                if (t instanceof IndexTerm.Axis a && k.domain().isSweep(a.axis()) && a.axis() < 64) {
                    mask |= 1L << a.axis();
                }
            }
            return mask;
        }

        private void sweepOnly(String v, String op) {
            if (k.domain().sweep().isEmpty()) {
                error(v + ": " + op + " in a kernel without sweep axes");
            }
        }

        private void operands(String v, String op, DType a, DType b) {
            if (a != b) {
                error(v + ": operands of " + op + " have different dtypes " + a + " and " + b);
            }
        }

        private void result(String v, String op, DType actual, DType expected) {
            if (actual != expected) {
                error(v + ": " + op + " gives " + expected + ", not " + actual);
            }
        }

        private void is(String v, String what, boolean ok, String needs) {
            if (!ok) {
                error(v + ": " + what + " needs " + needs);
            }
        }
    }
}
