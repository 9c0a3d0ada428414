package dev.tessera.codegen.ascendc;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.Shape;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.tile.Domain;
import dev.tessera.ir.tile.IndexTerm;
import dev.tessera.ir.tile.KernelKind;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TOp;
import dev.tessera.ir.tile.TStore;
import dev.tessera.ir.tile.TValue;
import dev.tessera.ir.tile.TileKernel;
import dev.tessera.ir.tile.TileProgram;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides how each matmul kernel runs on Ascend before any code is written, by rewriting the tile program:
 * <ul>
 *   <li>N = 1 (matrix-vector): a row reduction, {@code reduce.sum(a * b)} along K, on the vector unit;</li>
 *   <li>f16/bf16 operands in row-major [.., M, K] x [.., K, N] layout: a cube kernel (Mmad, f32 accumulation)
 *       writing an f32 workspace, then a pointwise vector kernel applying the epilogue (bias, activation,
 *       cast) from it: on the A2 family the cube and vector cores are separate, so the hand-over goes
 *       through global memory;</li>
 *   <li>anything else (f32, i32, transposed operands): a vector-unit matmul.</li>
 * </ul>
 */
final class MatmulPlanner {

    /** Workspace buffers are named {@code ws.<kernel>}; DSL names have no dots, so they never collide. */
    static final String WORKSPACE = "ws.";

    private MatmulPlanner() {}

    static TileProgram prepare(TileProgram p) {
        List<TileKernel> out = new ArrayList<>();
        List<Buffer> temps = new ArrayList<>(p.buffers().temps());
        for (TileKernel k : p.kernels()) {
            if (k.kind() != KernelKind.MATMUL) {
                out.add(k);
                continue;
            }
            Dim n = k.domain().parallel().get(k.domain().parallel().size() - 1);
            Optional<CubeOperands> cube = cubeOperands(k, p.buffers());
            if (n.isOne()) {
                out.add(asReduction(k));
            } else if (cube.isPresent()) {
                Buffer ws = new Buffer(WORKSPACE + k.name(), new TensorType(DType.F32, new Shape(k.domain().parallel())));
                temps.add(ws);
                out.add(cubeKernel(k, cube.get(), ws));
                out.add(epilogue(k, ws));
            } else {
                out.add(k);
            }
        }
        BufferPlan plan = new BufferPlan(p.buffers().inputs(), p.buffers().outputs(), temps, p.buffers().views());
        return new TileProgram(p.name(), plan, out);
    }

    static boolean isCube(TileKernel k, ProgramEnv env) {
        return k.kind() == KernelKind.MATMUL && k.writes().size() == 1 && k.writes().get(0).startsWith(WORKSPACE);
    }

    /** The two f16/bf16 loads a cube kernel reads. */
    record CubeOperands(TInstr a, TInstr b, TInstr dot) {}

    private static Optional<CubeOperands> cubeOperands(TileKernel k, BufferPlan plan) {
        Map<String, TInstr> defs = new HashMap<>();
        k.body().forEach(i -> defs.put(i.result().name(), i));
        TInstr dot = k.body().stream().filter(i -> i.op() instanceof TOp.Dot).findFirst().orElseThrow();
        TOp.Dot d = (TOp.Dot) dot.op();
        TInstr a = halfLoad(defs, d.a(), plan);
        TInstr b = halfLoad(defs, d.b(), plan);
        if (a == null || b == null) {
            return Optional.empty();
        }
        DType ta = plan.find(((TOp.Load) a.op()).buffer()).orElseThrow().type().dtype();
        DType tb = plan.find(((TOp.Load) b.op()).buffer()).orElseThrow().type().dtype();
        int nb = k.domain().parallel().size() - 2;
        boolean layout = lastTwo(((TOp.Load) a.op()).index(), nb, nb, nb + 2)
                && lastTwo(((TOp.Load) b.op()).index(), nb, nb + 2, nb + 1);
        return ta == tb && layout ? Optional.of(new CubeOperands(a, b, dot)) : Optional.empty();
    }

    /** A load of an f16/bf16 buffer, possibly widened by cast<f32> (exact, and the cube widens anyway). */
    private static TInstr halfLoad(Map<String, TInstr> defs, TValue v, BufferPlan plan) {
        TInstr in = defs.get(v.name());
        if (in.op() instanceof TOp.Cast c && c.to() == DType.F32) {
            in = defs.get(c.x().name());
        }
        if (in.op() instanceof TOp.Load l && plan.find(l.buffer()).orElseThrow().type().dtype().isHalf()) {
            return in;
        }
        return null;
    }

    /**
     * The tensor's last two axes are domain axes {@code row} then {@code col} (row-major, col contiguous) and
     * every leading axis is a batch axis (or broadcast).
     */
    private static boolean lastTwo(List<IndexTerm> index, int nb, int row, int col) {
        int r = index.size();
        if (r < 2) {
            return false;
        }
        for (int i = 0; i < r - 2; i++) {
            if (index.get(i) instanceof IndexTerm.Axis x && x.axis() >= nb) {
                return false;
            }
        }
        return index.get(r - 2) instanceof IndexTerm.Axis x && x.axis() == row
                && index.get(r - 1) instanceof IndexTerm.Axis y && y.axis() == col;
    }

    /** dot(a, b) with N = 1 is reduce.sum(a * b) along K. */
    private static TileKernel asReduction(TileKernel k) {
        List<TInstr> body = new ArrayList<>();
        for (TInstr in : k.body()) {
            if (in.op() instanceof TOp.Dot d) {
                TValue prod = new TValue(in.result().name() + ".p", in.result().dtype());
                body.add(new TInstr(prod, new TOp.Binary(BinaryOp.MUL, d.a(), d.b())));
                body.add(new TInstr(in.result(), new TOp.Reduce(ReduceOp.SUM, prod)));
            } else {
                body.add(in);
            }
        }
        return new TileKernel(k.name(), KernelKind.REDUCE, k.reads(), k.writes(), k.domain(), k.schedule(), body,
                k.stores());
    }

    private static List<IndexTerm> identity(int rank) {
        List<IndexTerm> idx = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            idx.add(new IndexTerm.Axis(i));
        }
        return idx;
    }

    /** The cube half: the two operand loads and the dot, stored as f32 into the workspace. */
    private static TileKernel cubeKernel(TileKernel k, CubeOperands ops, Buffer ws) {
        TValue dot = new TValue(ops.dot().result().name(), DType.F32);
        TOp.Load la = (TOp.Load) ops.a().op();
        TOp.Load lb = (TOp.Load) ops.b().op();
        List<TInstr> body = List.of(ops.a(), ops.b(), new TInstr(dot, new TOp.Dot(ops.a().result(), ops.b().result())));
        List<TStore> stores = List.of(new TStore(ws.name(), identity(k.domain().parallel().size()), dot));
        List<String> reads = la.buffer().equals(lb.buffer()) ? List.of(la.buffer()) : List.of(la.buffer(), lb.buffer());
        return new TileKernel(k.name() + "_cube", KernelKind.MATMUL, reads, List.of(ws.name()), k.domain(), k.schedule(),
                body, stores);
    }

    /** The vector half: the original epilogue over [.., M, N], reading the dot from the workspace. */
    private static TileKernel epilogue(TileKernel k, Buffer ws) {
        int rank = k.domain().parallel().size();
        List<TInstr> body = new ArrayList<>();
        for (TInstr in : k.body()) {
            body.add(in.op() instanceof TOp.Dot ? new TInstr(in.result(), new TOp.Load(ws.name(), identity(rank))) : in);
        }
        // drop what only the dot's operands needed
        Set<String> live = new HashSet<>();
        k.stores().forEach(s -> live.add(s.value().name()));
        List<TInstr> kept = new ArrayList<>();
        for (int i = body.size() - 1; i >= 0; i--) {
            TInstr in = body.get(i);
            if (live.contains(in.result().name())) {
                kept.add(0, in);
                in.op().operands().forEach(o -> live.add(o.name()));
            }
        }
        List<String> reads = new ArrayList<>();
        for (TInstr in : kept) {
            if (in.op() instanceof TOp.Load l && !reads.contains(l.buffer())) {
                reads.add(l.buffer());
            }
        }
        return new TileKernel(k.name(), KernelKind.POINTWISE, reads, k.writes(),
                new Domain(k.domain().parallel(), List.of()), k.schedule(), kept, k.stores());
    }
}
