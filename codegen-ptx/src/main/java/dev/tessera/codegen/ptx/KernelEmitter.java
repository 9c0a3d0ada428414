package dev.tessera.codegen.ptx;

import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.GeneratedNames;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopComments;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopWalk;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes one loop-IR kernel as a PTX {@code .visible .entry}: parameters (buffers as 64-bit global
 * addresses, dims as u32), shared arrays, a prologue that reads parameters and launch coordinates once, and
 * the body with structured control flow lowered to predicated branches.
 */
final class KernelEmitter {

    private static final String[] AXES = {"x", "y", "z"};

    private final KernelScope scope;
    private final PtxCode code;
    private final ExprEmitter exprs;
    private final Memory memory;
    private final String symbol;
    private final WarpReductions warp;

    KernelEmitter(LoopKernel kernel, BufferPlan plan, String symbol) {
        this.scope = new KernelScope(kernel, plan);
        this.code = scope.code;
        this.memory = new Memory(scope);
        this.exprs = new ExprEmitter(scope, memory);
        this.symbol = symbol;
        this.warp = WarpReductions.analyse(kernel);
    }

    String write() {
        LoopKernel k = scope.kernel;
        prologue(k);
        block(k.body());
        code.op("ret");

        StringBuilder out = new StringBuilder();
        out.append("// kernel '").append(GeneratedNames.commentSafe(k.name())).append("': global [")
                .append(k.globalSize().stream().map(e -> GeneratedNames.commentSafe(LoopComments.size(e)))
                        .collect(Collectors.joining(", ")))
                .append("], local ").append(k.localSize()).append('\n');
        out.append(".visible .entry ").append(symbol).append('(');
        List<String> params = k.params().stream().map(this::param).toList();
        out.append(params.isEmpty() ? "" : "\n" + String.join(",\n", params) + "\n").append(")\n");
        // The IR fixes the block size; saying so lets ptxas allocate registers for it, and makes a launch
        // with any other size fail instead of computing garbage.
        out.append(".reqntid ").append(k.localSize().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .append("\n{\n");
        for (LocalArray a : k.locals()) {
            int size = elemSize(a.elem());
            out.append("\t.shared .align ").append(Math.max(size, 4)).append(' ').append(sharedType(a.elem()))
                    .append(' ').append(scope.sharedName(a.name())).append('[').append(a.length()).append("];\n");
        }
        out.append(code.declarations());
        out.append(code.body());
        out.append("}\n");
        return out.toString();
    }

    private String param(LoopParam p) {
        return switch (p) {
            case LoopParam.BufferParam b -> "\t.param .u64 .ptr .global .align " + b.elem().byteSize() + " "
                    + scope.paramName(b);
            case LoopParam.DimParam d -> "\t.param .u32 " + scope.paramName(d);
        };
    }

    /** Parameters, converted to global addresses, and every launch coordinate the body reads. */
    private void prologue(LoopKernel k) {
        for (LoopParam p : k.params()) {
            switch (p) {
                case LoopParam.BufferParam b -> {
                    String generic = code.fresh(RegClass.B64);
                    code.op("ld.param.u64", generic, "[" + scope.paramName(b) + "]");
                    String global = code.fresh(RegClass.B64);
                    code.op("cvta.to.global.u64", global, generic);
                    scope.setBase(b.name(), global);
                }
                case LoopParam.DimParam d -> {
                    Val r = code.fresh(LType.I32);
                    code.op("ld.param.u32", r, "[" + scope.paramName(d) + "]");
                    scope.setDim(d.name(), r);
                }
            }
        }
        for (LocalArray a : k.locals()) {
            String base = code.fresh(RegClass.B32);
            code.op("mov.u32", base, scope.sharedName(a.name()));
            scope.setSharedBase(a.name(), base);
        }
        for (Expr.Special s : specials(k.body())) {
            if (s.dim() >= k.localSize().size()) {
                throw scope.bad(s.reg().irName() + "(" + s.dim() + ") in a " + k.localSize().size() + "-D launch");
            }
            String axis = AXES[s.dim()];
            int local = k.localSize().get(s.dim());
            Val v = switch (s.reg()) {
                case LOCAL_ID -> sreg("%tid." + axis);
                case GROUP_ID -> sreg("%ctaid." + axis);
                case NUM_GROUPS -> sreg("%nctaid." + axis);
                // .reqntid makes the block size a constant; so is the local size.
                case LOCAL_SIZE -> Val.imm(Integer.toString(local), LType.I32);
                case GLOBAL_ID -> {
                    Val g = code.fresh(LType.I32);
                    code.op("mad.lo.s32", g, sreg("%ctaid." + axis), local, sreg("%tid." + axis));
                    yield g;
                }
            };
            scope.setSpecial(s.reg(), s.dim(), v);
        }
    }

    private Val sreg(String name) {
        Val r = code.fresh(LType.I32);
        code.op("mov.u32", r, name);
        return r;
    }

    private void block(List<Stmt> body) {
        scope.enter();
        for (int i = 0; i < body.size(); i++) {
            var reduction = warp.at(body, i);
            if (reduction.isPresent()) {
                warpReduction(body, i, reduction.get());
                i += reduction.get().length() - 1;
            } else {
                stmt(body.get(i));
            }
        }
        scope.leave();
    }

    /**
     * A work-group tree reduction (see {@link WarpReductions}): the steps down to 32 partials as written
     * (shared memory and barriers), then warp 0 combines the 32 in registers with {@code shfl.sync.bfly}
     * and lane 0 stores the total to element 0, followed by the barrier the tree ended with.
     */
    private void warpReduction(List<Stmt> body, int at, WarpReductions.Match m) {
        stmt(body.get(at));
        stmt(body.get(at + 1));
        int wg = scope.kernel.localSize().getFirst();
        int warpSize = WarpReductions.WARP;
        int j = at + 2;
        for (int s = wg / 2; s > warpSize; s /= 2, j += 2) {
            stmt(body.get(j));
            stmt(body.get(j + 1));
        }
        code.comment("the last steps of the reduction over " + m.array() + " in warp 0: no barriers, register shuffles");
        Val lid = scope.lookup(m.lid());
        String done = code.label("warp_done");
        Val inWarp = code.fresh(LType.BOOL);
        code.op("setp.lt.s32", inWarp, lid, warpSize);
        code.branchIf(inWarp.text(), true, done);
        // With 64 or more partials left in shared memory, warp 0 reads two each (the step s = 32) and never
        // writes them back; with 32, one each.
        Val v = wg >= 2 * warpSize ? exprs.emit(m.combine().get(warpSize), m.type())
                : memory.load(m.array(), lid);
        for (int s = warpSize / 2; s >= 1; s /= 2) {
            Val other = shuffle(v, s);
            v = exprs.emitWith(m.combine().get(s), java.util.Map.of(WarpReductions.mine(m), v,
                    WarpReductions.other(m, s), other));
        }
        Val first = code.fresh(LType.BOOL);
        code.op("setp.eq.s32", first, lid, 0);
        code.branchIf(first.text(), true, done);
        memory.store(m.array(), Val.imm("0", LType.I32), exprs.convert(v, m.type()));
        code.place(done);
        code.op("bar.sync", 0);
    }

    /** The value of lane (this lane xor {@code offset}); 64-bit values travel as two 32-bit halves. */
    private Val shuffle(Val v, int offset) {
        Val out = code.fresh(v.type());
        if (v.type() == LType.I64 || v.type() == LType.F64) {
            String lo = code.fresh(RegClass.B32);
            String hi = code.fresh(RegClass.B32);
            code.op("mov.b64", "{" + lo + ", " + hi + "}", v);
            String lo2 = code.fresh(RegClass.B32);
            String hi2 = code.fresh(RegClass.B32);
            code.op("shfl.sync.bfly.b32", lo2, lo, offset, 31, -1);
            code.op("shfl.sync.bfly.b32", hi2, hi, offset, 31, -1);
            code.op("mov.b64", out, "{" + lo2 + ", " + hi2 + "}");
        } else {
            code.op("shfl.sync.bfly.b32", out, v, offset, 31, -1);
        }
        return out;
    }

    private void stmt(Stmt s) {
        switch (s) {
            case Stmt.Decl d -> {
                Val init = exprs.emit(d.init(), d.var().type());
                Val v = scope.declare(d.var());
                code.op("mov" + PtxTypes.bits(v.type()), v, init);
            }
            case Stmt.Assign a -> {
                Val value = exprs.emit(a.value(), a.var().type());
                code.op("mov" + PtxTypes.bits(a.var().type()), scope.lookup(a.var()), value);
            }
            case Stmt.Store st -> {
                LType elem = computeType(st.array());
                Val index = exprs.emit(st.index());
                memory.store(st.array(), index, exprs.emit(st.value(), elem));
            }
            case Stmt.For f -> loop(f);
            case Stmt.If i -> {
                Val c = exprs.emit(i.cond(), LType.BOOL);
                String otherwise = code.label("else");
                String done = code.label("endif");
                code.branchIf(c.text(), true, i.otherwise().isEmpty() ? done : otherwise);
                block(i.then());
                if (!i.otherwise().isEmpty()) {
                    code.branch(done);
                    code.place(otherwise);
                    block(i.otherwise());
                }
                code.place(done);
            }
            case Stmt.Barrier b -> code.op("bar.sync", 0);
        }
    }

    /** The bounds and step are evaluated on every iteration, as the IR (like C) defines. */
    private void loop(Stmt.For f) {
        LType t = f.var().type();
        if (!t.isInt()) {
            throw scope.bad("loop variable '" + f.var().name() + "' is " + t.irName() + ", not an integer");
        }
        Val lo = exprs.emit(f.lo(), t);
        scope.enter();
        Val i = scope.declare(f.var());
        code.op("mov" + PtxTypes.bits(t), i, lo);
        String head = code.label("for");
        String exit = code.label("endfor");
        code.place(head);
        Val hi = exprs.emit(f.hi(), t);
        Val past = code.fresh(LType.BOOL);
        code.op("setp.ge" + PtxTypes.arith(t), past, i, hi);
        code.branchIf(past.text(), false, exit);
        block(f.body());
        Val step = exprs.emit(f.step(), t);
        code.op("add" + PtxTypes.arith(t), i, i, step);
        code.branch(head);
        code.place(exit);
        scope.leave();
    }

    private LType computeType(String array) {
        LocalArray local = scope.locals.get(array);
        if (local != null) {
            return local.elem();
        }
        LoopParam.BufferParam b = scope.buffers.get(array);
        if (b == null) {
            throw scope.bad("store to '" + array + "', which is neither a buffer parameter nor a local array");
        }
        return LType.computeTypeOf(b.elem());
    }

    private static int elemSize(LType t) {
        return switch (t) {
            case BOOL -> 1;
            case I32, F32 -> 4;
            case I64, F64 -> 8;
        };
    }

    /** Shared arrays of bool are bytes, like bool buffers. */
    private static String sharedType(LType t) {
        return switch (t) {
            case BOOL -> ".u8";
            case I32 -> ".b32";
            case I64 -> ".b64";
            case F32 -> ".f32";
            case F64 -> ".f64";
        };
    }

    /** The launch coordinates a body reads, each once, in order of first use. */
    private static List<Expr.Special> specials(List<Stmt> body) {
        Set<Expr.Special> found = new LinkedHashSet<>();
        LoopWalk.expressions(body, e -> {
            if (e instanceof Expr.Special sp) {
                found.add(sp);
            }
        });
        return new ArrayList<>(found);
    }
}
