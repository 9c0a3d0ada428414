package dev.tessera.codegen.ascendc;

import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.tile.KernelKind;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TOp;
import dev.tessera.ir.tile.TStore;
import dev.tessera.ir.tile.TValue;
import dev.tessera.ir.tile.TileKernel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pointwise and reduce kernels on the vector unit. The domain splits into row axes (spread over cores),
 * loop axes (reduce kernels: sweep axes walked one by one) and vector axes (a suffix of the domain that every
 * load and store walks contiguously, flattened and cut into tiles of TILE elements), as {@link RowLayout}
 * chooses. A pointwise kernel
 * spreads (row, tile) units over the cores; each unit is CopyIn, Compute, CopyOut through double-buffered
 * queues. A reduce kernel gives each core whole rows; per row, each reduction is one pass over the row's
 * tiles (ReduceSum/ReduceMax/ReduceMin per tile, combined on the scalar unit), and a last pass computes
 * and stores what varies along the row, so a row of any length streams through a fixed unified buffer.
 */
final class RowKernelWriter {

    final ProgramEnv env;
    final TileKernel k;
    private final AscendOptions options;
    final boolean pointwise;
    private final Map<String, TInstr> defs = new HashMap<>();
    final RowLayout layout;
    private final Set<String> vector = new HashSet<>();
    boolean sliced;
    final Map<String, String> inQueue = new LinkedHashMap<>();
    final SlotPool tiles = new SlotPool("tb");
    final SlotPool small = new SlotPool("sb");
    final SlotPool masks = new SlotPool("mb");
    private final int[] counter = {0};
    /**
     * Row reduce kernels also get "_R" variants of their Compute functions for rows that fit in one tile: the
     * row is copied in once and held (Hold/Release) across every pass instead of being read once per pass.
     */
    boolean resident;
    /** While the "_R" variants are written: tiles come from the held members, nothing is dequeued or freed. */
    private boolean holding;

    RowKernelWriter(ProgramEnv env, TileKernel k, AscendOptions options) {
        this.env = env;
        this.k = k;
        this.options = options;
        this.pointwise = k.kind() == KernelKind.POINTWISE;
        if (k.kind() == KernelKind.MATMUL) {
            throw new IllegalArgumentException("matmul kernels have writers of their own");
        }
        k.body().forEach(i -> defs.put(i.result().name(), i));
        this.layout = RowLayout.choose(k);
    }

    KernelCode write() {
        for (TInstr in : k.body()) {
            boolean varies = switch (in.op()) {
                case TOp.Load l -> layout.loads().get(in.result().name()).mode() != Access.Mode.INVARIANT;
                case TOp.Reduce r -> layout.columns();
                default -> in.op().operands().stream().anyMatch(o -> vector.contains(o.name()));
            };
            if (varies) {
                vector.add(in.result().name());
            }
        }
        for (int i = 0; i < layout.rowStoreOps().size(); i++) {
            if (vector.contains(layout.rowStoreOps().get(i).value().name())) {
                throw new IllegalStateException("kernel " + k.name() + " stores a value that varies along the row "
                        + "at an index that does not");
            }
        }
        int q = 0;
        for (Map.Entry<String, Access> e : layout.loads().entrySet()) {
            if (e.getValue().mode() != Access.Mode.INVARIANT) {
                inQueue.put(e.getKey(), "in" + q++);
            }
        }
        sliced = pointwise && layout.rowAxes().isEmpty();

        StringBuilder fns = new StringBuilder();
        List<TInstr> reductions = k.body().stream().filter(i -> i.op() instanceof TOp.Reduce).toList();
        for (int p = 0; p < reductions.size(); p++) {
            writePhase(fns, p, reductions);
        }
        if (!layout.vecStores().isEmpty()) {
            writeStorePhase(fns, reductions);
        }
        if (!pointwise && !layout.columns() && !inQueue.isEmpty()) {
            resident = true;
            holding = true;
            for (int p = 0; p < reductions.size(); p++) {
                writePhase(fns, p, reductions);
            }
            if (!layout.vecStores().isEmpty()) {
                writeStorePhase(fns, reductions);
            }
            holding = false;
            writeCopyIn(fns, "_R", List.copyOf(inQueue.keySet()));
            StringBuilder hold = new StringBuilder("    __aicore__ inline void Hold() {\n");
            StringBuilder release = new StringBuilder("    __aicore__ inline void Release() {\n");
            for (Map.Entry<String, String> e : inQueue.entrySet()) {
                String ty = Cpp.storage(env.buffer(layout.loads().get(e.getKey()).buffer()).type().dtype());
                hold.append("        rq_").append(e.getValue()).append(" = ").append(e.getValue()).append(".DeQue<").append(ty)
                        .append(">();\n");
                release.append("        ").append(e.getValue()).append(".FreeTensor(rq_").append(e.getValue()).append(");\n");
            }
            fns.append(hold).append("    }\n\n").append(release).append("    }\n\n");
        }
        if (!layout.rowStores().isEmpty()) {
            writeRowStores(fns, reductions);
        }

        UbBudget budget = new UbBudget(k.name());
        for (Map.Entry<String, String> e : inQueue.entrySet()) {
            DType t = env.buffer(layout.loads().get(e.getKey()).buffer()).type().dtype();
            budget.perTile("VECIN " + e.getValue() + " (" + Cpp.storage(t) + ")", 2, t.byteSize());
        }
        for (int i = 0; i < layout.vecStores().size(); i++) {
            DType t = env.buffer(layout.vecStores().get(i).buffer()).type().dtype();
            budget.perTile("VECOUT out" + i + " (" + Cpp.storage(t) + ")", 2, t.byteSize());
        }
        for (int i = 0; i < layout.rowStores().size(); i++) {
            DType t = env.buffer(layout.rowStores().get(i).buffer()).type().dtype();
            budget.fixed("VECOUT row" + i, 2, 64L * t.byteSize());
        }
        budget.perTile("VECCALC tile temporaries", tiles.max(), 4);
        budget.perTile("VECCALC reduction accumulators", layout.columns() ? reductions.size() : 0, 4);
        budget.fixed("VECCALC scalar tiles", small.max(), 256);
        budget.perTileBits("VECCALC compare masks", masks.max(), 1);
        int tile = budget.chooseTile(options);
        RowKernelAssembly asm = new RowKernelAssembly(this, tile);
        return new KernelCode(k.name(), asm.device(fns), asm.tiling(), args(), "vector", budget.bytes(tile), tile);
    }

    /** Vector loads that {@code roots} need, in queue order. */
    private List<String> loadsFor(List<TValue> roots) {
        Set<String> seen = new HashSet<>();
        List<TValue> work = new ArrayList<>(roots);
        while (!work.isEmpty()) {
            TValue v = work.remove(work.size() - 1);
            if (seen.add(v.name())) {
                TOp op = defs.get(v.name()).op();
                if (!(op instanceof TOp.Reduce)) {
                    work.addAll(op.operands());
                }
            }
        }
        return inQueue.keySet().stream().filter(seen::contains).toList();
    }

    private String offset(Access a) {
        if (sliced && slicedBuffers().contains(a.buffer())) {
            return "start - coreStart";
        }
        return a.base(env, layout.vecAxes(), "tiling") + " + start";
    }

    private void writeCopyIn(StringBuilder fns, String name, List<String> needed) {
        fns.append("    __aicore__ inline void CopyIn").append(name).append("(int64_t start, int32_t len) {\n");
        for (String v : needed) {
            Access a = layout.loads().get(v);
            String q = inQueue.get(v);
            String ty = Cpp.storage(env.buffer(a.buffer()).type().dtype());
            String gm = "gm_" + env.id(a.buffer());
            fns.append("        {\n            AscendC::LocalTensor<").append(ty).append("> l = ").append(q)
                    .append(".AllocTensor<").append(ty).append(">();\n");
            if (a.mode() == Access.Mode.STRIDED) {
                String step = a.step(env, "tiling");
                fns.append("            tessera::gather(l, ").append(gm).append(", ")
                        .append(a.base(env, layout.vecAxes(), "tiling"))
                        .append(" + start * ").append(step).append(", ").append(step).append(", len);\n");
            } else {
                fns.append("            tessera::copy_in(l, ").append(gm).append("[").append(offset(a)).append("], len);\n");
            }
            fns.append("            ").append(q).append(".EnQue(l);\n        }\n");
        }
        fns.append("    }\n\n");
    }

    /** Opens a Compute function: dequeues its tiles and returns the writer for its values. */
    private ComputeWriter openCompute(StringBuilder body, List<String> needed, List<TInstr> reductions, int boundReductions,
            Map<String, String> deq) {
        tiles.reset();
        small.reset();
        masks.reset();
        for (String v : needed) {
            if (holding) {
                deq.put(v, "rq_" + inQueue.get(v));
                continue;
            }
            String ty = Cpp.storage(env.buffer(layout.loads().get(v).buffer()).type().dtype());
            String qn = "q" + counter[0]++;
            body.append("        AscendC::LocalTensor<").append(ty).append("> ").append(qn).append(" = ")
                    .append(inQueue.get(v)).append(".DeQue<").append(ty).append(">();\n");
            deq.put(v, qn);
        }
        // vector instructions cover the valid elements rounded up to whole 256-byte repeats, not the whole tile
        body.append("        const int32_t cnt = tessera::round_up64(len);\n");
        Scratch tile = new Scratch(body, tiles, masks, "cnt", counter);
        Scratch sc = new Scratch(body, small, masks, "64", counter);
        ComputeWriter cw = new ComputeWriter(env, defs, vector, layout.loads(), tile, sc, "len", deq);
        for (int j = 0; j < boundReductions; j++) {
            TValue r = reductions.get(j).result();
            if (layout.columns()) {
                String ty = Cpp.compute(r.dtype());
                body.append("        AscendC::LocalTensor<").append(ty).append("> rv").append(j).append(" = ra").append(j)
                        .append(".Get<").append(ty).append(">();\n");
                cw.bindVector(r, "rv" + j);
            } else {
                cw.bindScalar(r, env.reduction(r));
            }
        }
        return cw;
    }

    private void freeInputs(StringBuilder body, Map<String, String> deq) {
        if (holding) {
            return;
        }
        deq.forEach((v, qn) -> body.append("        ").append(inQueue.get(v)).append(".FreeTensor(").append(qn).append(");\n"));
    }

    private void writePhase(StringBuilder fns, int p, List<TInstr> reductions) {
        if (layout.columns()) {
            writeColumnPhase(fns, p, reductions);
            return;
        }
        TInstr red = reductions.get(p);
        TOp.Reduce r = (TOp.Reduce) red.op();
        List<String> needed = loadsFor(List.of(r.x()));
        if (!holding) {
            writeCopyIn(fns, "_" + p, needed);
        }
        String ty = Cpp.compute(red.result().dtype());
        StringBuilder body = new StringBuilder();
        Map<String, String> deq = new LinkedHashMap<>();
        ComputeWriter cw = openCompute(body, needed, reductions, p, deq);
        Scratch tile = new Scratch(body, tiles, masks, "cnt", counter);
        Scratch sc = new Scratch(body, small, masks, "64", counter);
        cw.plan(List.of(r.x()));
        String x = cw.vec(r.x());
        if (Cpp.isInt(red.result().dtype())) {
            // ReduceSum/Max/Min take half and float only: i32 rows reduce exactly on the scalar unit
            body.append("        tessera::sync_v_to_s();\n        int32_t part = ").append(ScalarOps.identity(r.op(), DType.I32))
                    .append(";\n        for (int32_t i = 0; i < len; i++) {\n            const int32_t x = ").append(x)
                    .append(".GetValue(i);\n            part = ")
                    .append(ScalarOps.combine(r.op(), DType.I32, "part", "x")).append(";\n        }\n");
        } else {
            Scratch.Temp work = tile.take("float");
            Scratch.Temp dst = sc.take("float");
            String fn = switch (r.op()) {
                case SUM, MEAN -> "ReduceSum";
                case MAX -> "ReduceMax";
                case MIN -> "ReduceMin";
            };
            body.append("        AscendC::").append(fn).append("(").append(dst.name()).append(", ").append(x).append(", ")
                    .append(work.name()).append(", len);\n        tessera::sync_v_to_s();\n        const float part = ")
                    .append(dst.name()).append(".GetValue(0);\n");
            tile.give(work);
            sc.give(dst);
        }
        cw.done(r.x());
        freeInputs(body, deq);
        fns.append("    __aicore__ inline ").append(ty).append(" Compute_").append(p).append(holding ? "_R" : "")
                .append("(int32_t len) {\n").append(body).append("        return part;\n    }\n\n");
    }

    private void writeStorePhase(StringBuilder fns, List<TInstr> reductions) {
        List<TValue> roots = layout.vecStoreOps().stream().map(TStore::value).toList();
        List<String> needed = loadsFor(roots);
        if (!holding) {
            writeCopyIn(fns, "_S", needed);
        }
        StringBuilder body = new StringBuilder();
        Map<String, String> deq = new LinkedHashMap<>();
        ComputeWriter cw = openCompute(body, needed, reductions, reductions.size(), deq);
        Scratch tile = new Scratch(body, tiles, masks, "cnt", counter);
        cw.plan(roots);
        for (int i = 0; i < layout.vecStoreOps().size(); i++) {
            TStore st = layout.vecStoreOps().get(i);
            DType t = env.buffer(st.buffer()).type().dtype();
            String ty = Cpp.storage(t);
            body.append("        AscendC::LocalTensor<").append(ty).append("> o").append(i).append(" = out").append(i)
                    .append(".AllocTensor<").append(ty).append(">();\n");
            // f32 and i32 results are computed straight into the VECOUT buffer where that is safe
            boolean direct = ty.equals(Cpp.compute(st.value().dtype())) && cw.prefer(st.value(), "o" + i);
            String v = cw.vec(st.value());
            if (!direct || !v.equals("o" + i)) {
                VectorOps.toStorage("o" + i, t, v, tile);
            }
            body.append("        out").append(i).append(".EnQue(o").append(i).append(");\n");
            cw.done(st.value());
        }
        freeInputs(body, deq);
        fns.append("    __aicore__ inline void Compute_S").append(holding ? "_R" : "").append("(int32_t len) {\n")
                .append(body).append("    }\n\n");
        if (holding) {
            return;
        }
        fns.append("    __aicore__ inline void CopyOut_S(int64_t start, int32_t len) {\n");
        for (int i = 0; i < layout.vecStores().size(); i++) {
            Access a = layout.vecStores().get(i);
            String ty = Cpp.storage(env.buffer(a.buffer()).type().dtype());
            fns.append("        {\n            AscendC::LocalTensor<").append(ty).append("> o = out").append(i)
                    .append(".DeQue<").append(ty).append(">();\n            tessera::copy_out(gm_").append(env.id(a.buffer()))
                    .append("[").append(offset(a)).append("], o, len);\n            out").append(i)
                    .append(".FreeTensor(o);\n        }\n");
        }
        fns.append("    }\n\n");
    }

    private void writeRowStores(StringBuilder fns, List<TInstr> reductions) {
        StringBuilder body = new StringBuilder("        const int32_t len = 1;\n");
        ComputeWriter cw = openCompute(body, List.of(), reductions, reductions.size(), new LinkedHashMap<>());
        Scratch sc = new Scratch(body, small, masks, "64", counter);
        for (int i = 0; i < layout.rowStoreOps().size(); i++) {
            TStore st = layout.rowStoreOps().get(i);
            DType t = env.buffer(st.buffer()).type().dtype();
            String ty = Cpp.storage(t);
            String value = cw.scal(st.value());
            Scratch.Temp tmp = sc.take(Cpp.compute(st.value().dtype()));
            body.append("        {\n");
            sc.line("AscendC::Duplicate(" + tmp.name() + ", " + value + ", 64);");
            sc.line("AscendC::LocalTensor<" + ty + "> o = row" + i + ".AllocTensor<" + ty + ">();");
            VectorOps.toStorage("o", t, tmp.name(), sc);
            sc.line("row" + i + ".EnQue(o);");
            sc.line("AscendC::LocalTensor<" + ty + "> w = row" + i + ".DeQue<" + ty + ">();");
            sc.line("tessera::copy_out(gm_" + env.id(st.buffer()) + "["
                    + layout.rowStores().get(i).base(env, layout.vecAxes(), "tiling") + "], w, 1);");
            sc.line("row" + i + ".FreeTensor(w);");
            body.append("        }\n");
            sc.give(tmp);
        }
        fns.append("    __aicore__ inline void StoreRow() {\n").append(body).append("    }\n\n");
    }

    /** Buffers every access of which is contiguous in a flat pointwise kernel: each core gets a slice. */
    Set<String> slicedBuffers() {
        Set<String> all = new HashSet<>();
        Set<String> other = new HashSet<>();
        layout.loads().values().forEach(a -> (a.mode() == Access.Mode.CONTIG ? all : other).add(a.buffer()));
        layout.vecStores().forEach(a -> (a.mode() == Access.Mode.CONTIG ? all : other).add(a.buffer()));
        all.removeAll(other);
        return all;
    }

    List<String> args() {
        List<String> a = new ArrayList<>();
        for (String b : k.reads()) {
            if (!k.writes().contains(b)) {
                a.add(b);
            }
        }
        a.addAll(k.writes());
        return a;
    }

    /**
     * A column reduction: Start fills the accumulator tile with the identity, Compute combines one sweep
     * point's tile into it elementwise (exact for i32 too), Finish divides a mean by the count.
     */
    private void writeColumnPhase(StringBuilder fns, int p, List<TInstr> reductions) {
        TInstr red = reductions.get(p);
        TOp.Reduce r = (TOp.Reduce) red.op();
        DType t = red.result().dtype();
        String ty = Cpp.compute(t);
        boolean isInt = Cpp.isInt(t);
        List<String> needed = loadsFor(List.of(r.x()));
        writeCopyIn(fns, "_" + p, needed);
        fns.append("    __aicore__ inline void Start_").append(p).append("(int32_t len) {\n")
                .append("        AscendC::Duplicate(ra").append(p).append(".Get<").append(ty).append(">(), (").append(ty)
                .append(")").append(ScalarOps.identity(r.op(), t)).append(", tessera::round_up64(len));\n    }\n\n");
        StringBuilder body = new StringBuilder();
        Map<String, String> deq = new LinkedHashMap<>();
        ComputeWriter cw = openCompute(body, needed, reductions, p, deq);
        cw.plan(List.of(r.x()));
        String x = cw.vec(r.x());
        String fn = switch (r.op()) {
            case SUM, MEAN -> "Add";
            case MAX -> "Max";
            case MIN -> "Min";
        };
        body.append("        AscendC::LocalTensor<").append(ty).append("> acc = ra").append(p).append(".Get<").append(ty)
                .append(">();\n        AscendC::").append(fn).append("(acc, acc, ").append(x).append(", cnt);\n");
        cw.done(r.x());
        freeInputs(body, deq);
        fns.append("    __aicore__ inline void Compute_").append(p).append("(int32_t len) {\n").append(body).append("    }\n\n");
        StringBuilder fin = new StringBuilder();
        if (r.op() == ReduceOp.MEAN) {
            tiles.reset();
            Scratch s = new Scratch(fin, tiles, masks, "cnt", counter);
            fin.append("        const int32_t cnt = tessera::round_up64(len);\n        AscendC::LocalTensor<").append(ty)
                    .append("> acc = ra").append(p).append(".Get<").append(ty).append(">();\n");
            if (isInt) {
                fin.append("        tessera::sync_v_to_s();\n        for (int32_t i = 0; i < len; i++) {\n")
                        .append("            acc.SetValue(i, tessera::idiv(acc.GetValue(i), (int32_t)tiling.loops));\n")
                        .append("        }\n        tessera::sync_s_to_v();\n");
            } else {
                Scratch.Temp n = s.take("float");
                s.line("AscendC::Duplicate(" + n.name() + ", (float)tiling.loops, cnt);");
                s.line("AscendC::Div(acc, acc, " + n.name() + ", cnt);");
                s.give(n);
            }
        }
        fns.append("    __aicore__ inline void Finish_").append(p).append("(int32_t len) {\n").append(fin).append("    }\n\n");
    }
}
