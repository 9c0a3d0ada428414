package dev.tessera.codegen.ascendc;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.tile.IndexTerm;
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
import java.util.Optional;
import java.util.Set;

/**
 * Pointwise and reduce kernels on the vector unit. The domain splits into row axes (spread over cores),
 * loop axes (reduce kernels: sweep axes walked one by one) and vector axes (a suffix of the domain that every
 * load and store walks contiguously, flattened and cut into tiles of TILE elements). A pointwise kernel
 * spreads (row, tile) units over the cores; each unit is CopyIn, Compute, CopyOut through double-buffered
 * queues. A reduce kernel gives each core whole rows; per row, each reduction is one pass over the row's
 * tiles (ReduceSum/ReduceMax/ReduceMin per tile, combined on the scalar unit), and a last pass computes
 * and stores what varies along the row, so a row of any length streams through a fixed unified buffer.
 */
final class RowKernelWriter {

    private final ProgramEnv env;
    private final TileKernel k;
    private final AscendOptions options;
    private final boolean pointwise;
    private final Map<String, TInstr> defs = new HashMap<>();
    private final Map<String, Access> loads = new LinkedHashMap<>();
    private final List<Access> vecStores = new ArrayList<>();
    private final List<TStore> vecStoreOps = new ArrayList<>();
    private final List<Access> rowStores = new ArrayList<>();
    private final List<TStore> rowStoreOps = new ArrayList<>();
    private final Set<String> vector = new HashSet<>();
    private List<Integer> rowAxes;
    private List<Integer> loopAxes;
    private List<Integer> vecAxes;
    private boolean sliced;
    private final Map<String, String> inQueue = new LinkedHashMap<>();
    private final SlotPool tiles = new SlotPool("tb");
    private final SlotPool small = new SlotPool("sb");
    private final SlotPool masks = new SlotPool("mb");
    private final int[] counter = {0};
    private boolean usesWork;

    RowKernelWriter(ProgramEnv env, TileKernel k, AscendOptions options) {
        this.env = env;
        this.k = k;
        this.options = options;
        this.pointwise = k.kind() == KernelKind.POINTWISE;
        if (k.kind() == KernelKind.MATMUL) {
            throw new IllegalArgumentException("matmul kernels have writers of their own");
        }
        k.body().forEach(i -> defs.put(i.result().name(), i));
    }

    KernelCode write() {
        chooseAxes();
        for (TInstr in : k.body()) {
            boolean varies = switch (in.op()) {
                case TOp.Load l -> loads.get(in.result().name()).mode() != Access.Mode.INVARIANT;
                case TOp.Reduce r -> false;
                default -> in.op().operands().stream().anyMatch(o -> vector.contains(o.name()));
            };
            if (varies) {
                vector.add(in.result().name());
            }
        }
        for (int i = 0; i < rowStoreOps.size(); i++) {
            if (vector.contains(rowStoreOps.get(i).value().name())) {
                throw new IllegalStateException("kernel " + k.name() + " stores a value that varies along the row "
                        + "at an index that does not");
            }
        }
        int q = 0;
        for (Map.Entry<String, Access> e : loads.entrySet()) {
            if (e.getValue().mode() != Access.Mode.INVARIANT) {
                inQueue.put(e.getKey(), "in" + q++);
            }
        }
        sliced = pointwise && rowAxes.isEmpty();

        StringBuilder fns = new StringBuilder();
        List<TInstr> reductions = k.body().stream().filter(i -> i.op() instanceof TOp.Reduce).toList();
        for (int p = 0; p < reductions.size(); p++) {
            writePhase(fns, p, reductions);
        }
        if (!vecStores.isEmpty()) {
            writeStorePhase(fns, reductions);
        }
        if (!rowStores.isEmpty()) {
            writeRowStores(fns, reductions);
        }

        UbBudget budget = new UbBudget(k.name());
        for (Map.Entry<String, String> e : inQueue.entrySet()) {
            DType t = env.buffer(loads.get(e.getKey()).buffer()).type().dtype();
            budget.perTile("VECIN " + e.getValue() + " (" + Cpp.storage(t) + ")", 2, t.byteSize());
        }
        for (int i = 0; i < vecStores.size(); i++) {
            DType t = env.buffer(vecStores.get(i).buffer()).type().dtype();
            budget.perTile("VECOUT out" + i + " (" + Cpp.storage(t) + ")", 2, t.byteSize());
        }
        for (int i = 0; i < rowStores.size(); i++) {
            budget.fixed("VECOUT row" + i, 2, 64L * env.buffer(rowStores.get(i).buffer()).type().dtype().byteSize());
        }
        budget.perTile("VECCALC tile temporaries", tiles.max(), 4);
        budget.fixed("VECCALC scalar tiles", small.max(), 256);
        budget.perTileBits("VECCALC compare masks", masks.max(), 1);
        int tile = budget.chooseTile(options);
        String device = assemble(fns, tile);
        return new KernelCode(k.name(), device, tilingFunction(tile), args(), "vector", budget.bytes(tile), tile);
    }

    /** Picks the longest suffix of vector axes every access walks contiguously; strided loads as a last resort. */
    private void chooseAxes() {
        int np = k.domain().parallel().size();
        int rank = k.domain().rank();
        List<Integer> cand = range(pointwise ? 0 : np, pointwise ? np : rank);
        for (int len = cand.size(); len >= (cand.isEmpty() ? 0 : 1); len--) {
            if (tryAxes(cand.subList(cand.size() - len, cand.size()), false)) {
                return;
            }
        }
        if (cand.isEmpty() || !tryAxes(cand.subList(cand.size() - 1, cand.size()), true)) {
            throw new CompileException(SourceSpan.UNKNOWN, "Ascend C kernel " + k.name() + ": no store layout the "
                    + "vector unit can write tile by tile (a store must be contiguous along the last domain axis)");
        }
    }

    private boolean tryAxes(List<Integer> v, boolean allowStrided) {
        int np = k.domain().parallel().size();
        loads.clear();
        vecStores.clear();
        vecStoreOps.clear();
        rowStores.clear();
        rowStoreOps.clear();
        for (TInstr in : k.body()) {
            if (in.op() instanceof TOp.Load l) {
                Optional<Access> a = Access.classify(l.buffer(), l.index(), v, allowStrided);
                if (a.isEmpty()) {
                    return false;
                }
                loads.put(in.result().name(), a.get());
            }
        }
        List<Integer> loop = new ArrayList<>(pointwise ? List.of() : range(np, k.domain().rank()));
        loop.removeAll(v);
        for (TStore st : k.stores()) {
            Optional<Access> a = Access.classify(st.buffer(), st.index(), v, false);
            if (a.isEmpty()) {
                return false;
            }
            boolean usesLoop = st.index().stream().anyMatch(t -> t instanceof IndexTerm.Axis x && loop.contains(x.axis()));
            if (a.get().mode() == Access.Mode.CONTIG || pointwise && v.isEmpty()) {
                if (usesLoop) {
                    return false;
                }
                vecStores.add(a.get());
                vecStoreOps.add(st);
            } else if (!pointwise && !usesLoop) {
                rowStores.add(a.get());
                rowStoreOps.add(st);
            } else {
                return false;
            }
        }
        vecAxes = List.copyOf(v);
        loopAxes = List.copyOf(loop);
        List<Integer> rows = new ArrayList<>(range(0, np));
        rows.removeAll(v);
        rowAxes = List.copyOf(rows);
        return true;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
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
        return a.base(env, vecAxes, "tiling") + " + start";
    }

    private void writeCopyIn(StringBuilder fns, String name, List<String> needed) {
        fns.append("    __aicore__ inline void CopyIn").append(name).append("(int64_t start, int32_t len) {\n");
        for (String v : needed) {
            Access a = loads.get(v);
            String q = inQueue.get(v);
            String ty = Cpp.storage(env.buffer(a.buffer()).type().dtype());
            String gm = "gm_" + env.id(a.buffer());
            fns.append("        {\n            AscendC::LocalTensor<").append(ty).append("> l = ").append(q)
                    .append(".AllocTensor<").append(ty).append(">();\n");
            if (a.mode() == Access.Mode.STRIDED) {
                String step = a.step(env, "tiling");
                fns.append("            tessera::gather(l, ").append(gm).append(", ").append(a.base(env, vecAxes, "tiling"))
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
            String ty = Cpp.storage(env.buffer(loads.get(v).buffer()).type().dtype());
            String qn = "q" + counter[0]++;
            body.append("        AscendC::LocalTensor<").append(ty).append("> ").append(qn).append(" = ")
                    .append(inQueue.get(v)).append(".DeQue<").append(ty).append(">();\n");
            deq.put(v, qn);
        }
        // vector instructions cover the valid elements rounded up to whole 256-byte repeats, not the whole tile
        body.append("        const int32_t cnt = tessera::round_up64(len);\n");
        Scratch tile = new Scratch(body, tiles, masks, "cnt", counter);
        Scratch sc = new Scratch(body, small, masks, "64", counter);
        ComputeWriter cw = new ComputeWriter(env, defs, vector, loads, tile, sc, "len", deq);
        for (int j = 0; j < boundReductions; j++) {
            cw.bindScalar(reductions.get(j).result(), "red_" + reductions.get(j).result().name());
        }
        return cw;
    }

    private void freeInputs(StringBuilder body, Map<String, String> deq) {
        deq.forEach((v, qn) -> body.append("        ").append(inQueue.get(v)).append(".FreeTensor(").append(qn).append(");\n"));
    }

    private void writePhase(StringBuilder fns, int p, List<TInstr> reductions) {
        TInstr red = reductions.get(p);
        TOp.Reduce r = (TOp.Reduce) red.op();
        List<String> needed = loadsFor(List.of(r.x()));
        writeCopyIn(fns, "_" + p, needed);
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
            usesWork = true;
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
        fns.append("    __aicore__ inline ").append(ty).append(" Compute_").append(p).append("(int32_t len) {\n")
                .append(body).append("        return part;\n    }\n\n");
    }

    private void writeStorePhase(StringBuilder fns, List<TInstr> reductions) {
        List<TValue> roots = vecStoreOps.stream().map(TStore::value).toList();
        List<String> needed = loadsFor(roots);
        writeCopyIn(fns, "_S", needed);
        StringBuilder body = new StringBuilder();
        Map<String, String> deq = new LinkedHashMap<>();
        ComputeWriter cw = openCompute(body, needed, reductions, reductions.size(), deq);
        Scratch tile = new Scratch(body, tiles, masks, "cnt", counter);
        cw.plan(roots);
        for (int i = 0; i < vecStoreOps.size(); i++) {
            TStore st = vecStoreOps.get(i);
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
        fns.append("    __aicore__ inline void Compute_S(int32_t len) {\n").append(body).append("    }\n\n");
        fns.append("    __aicore__ inline void CopyOut_S(int64_t start, int32_t len) {\n");
        for (int i = 0; i < vecStores.size(); i++) {
            Access a = vecStores.get(i);
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
        for (int i = 0; i < rowStoreOps.size(); i++) {
            TStore st = rowStoreOps.get(i);
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
            sc.line("tessera::copy_out(gm_" + env.id(st.buffer()) + "[" + rowStores.get(i).base(env, vecAxes, "tiling")
                    + "], w, 1);");
            sc.line("row" + i + ".FreeTensor(w);");
            body.append("        }\n");
            sc.give(tmp);
        }
        fns.append("    __aicore__ inline void StoreRow() {\n").append(body).append("    }\n\n");
    }

    /** Buffers every access of which is contiguous in a flat pointwise kernel: each core gets a slice. */
    private Set<String> slicedBuffers() {
        Set<String> all = new HashSet<>();
        Set<String> other = new HashSet<>();
        loads.values().forEach(a -> (a.mode() == Access.Mode.CONTIG ? all : other).add(a.buffer()));
        vecStores.forEach(a -> (a.mode() == Access.Mode.CONTIG ? all : other).add(a.buffer()));
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

    private String assemble(StringBuilder fns, int tile) {
        String cls = "Kernel_" + k.name();
        List<String> args = args();
        List<TInstr> reductions = k.body().stream().filter(i -> i.op() instanceof TOp.Reduce).toList();
        StringBuilder sb = new StringBuilder();
        sb.append("class ").append(cls).append(" {\npublic:\n    static constexpr int32_t TILE = ").append(tile)
                .append(";\n\n    __aicore__ inline ").append(cls).append("() {}\n\n    __aicore__ inline void Init(")
                .append(Skeleton.params(env, args)).append(args.isEmpty() ? "" : ", ")
                .append("const TesseraTiling &t)\n    {\n        tiling = t;\n");
        if (sliced) {
            sb.append("        // a flat pointwise kernel: each core's GlobalTensors cover only its own units\n")
                    .append("        coreStart = (int64_t)AscendC::GetBlockIdx() * tiling.perCore * TILE;\n")
                    .append("        const int64_t coreEnd = tessera::min64(coreStart + tiling.perCore * TILE, tiling.inner);\n")
                    .append("        const int64_t coreLen = coreEnd > coreStart ? coreEnd - coreStart : 0;\n");
        }
        sb.append(Skeleton.setGlobals(env, args, sliced ? slicedBuffers() : Set.of(), "coreStart", "coreLen"));
        for (Map.Entry<String, String> e : inQueue.entrySet()) {
            sb.append("        pipe.InitBuffer(").append(e.getValue()).append(", 2, TILE * sizeof(")
                    .append(Cpp.storage(env.buffer(loads.get(e.getKey()).buffer()).type().dtype())).append("));\n");
        }
        for (int i = 0; i < vecStores.size(); i++) {
            sb.append("        pipe.InitBuffer(out").append(i).append(", 2, TILE * sizeof(")
                    .append(Cpp.storage(env.buffer(vecStores.get(i).buffer()).type().dtype())).append("));\n");
        }
        for (int i = 0; i < rowStores.size(); i++) {
            sb.append("        pipe.InitBuffer(row").append(i).append(", 2, 64 * sizeof(")
                    .append(Cpp.storage(env.buffer(rowStores.get(i).buffer()).type().dtype())).append("));\n");
        }
        for (int i = 0; i < tiles.max(); i++) {
            sb.append("        pipe.InitBuffer(tb").append(i).append(", TILE * 4);\n");
        }
        for (int i = 0; i < small.max(); i++) {
            sb.append("        pipe.InitBuffer(sb").append(i).append(", 64 * 4);\n");
        }
        for (int i = 0; i < masks.max(); i++) {
            sb.append("        pipe.InitBuffer(mb").append(i).append(", TILE / 8 < 32 ? 32 : TILE / 8);\n");
        }
        sb.append("    }\n\n    __aicore__ inline void Process()\n    {\n");
        if (pointwise) {
            sb.append("        const int64_t u0 = (int64_t)AscendC::GetBlockIdx() * tiling.perCore;\n")
                    .append("        const int64_t u1 = tessera::min64(u0 + tiling.perCore, tiling.units);\n")
                    .append("        for (int64_t u = u0; u < u1; u++) {\n")
                    .append("            SetRow(u / tiling.chunks);\n")
                    .append("            const int64_t start = (u % tiling.chunks) * TILE;\n")
                    .append("            const int32_t len = (int32_t)tessera::min64(TILE, tiling.inner - start);\n")
                    .append("            CopyIn_S(start, len);\n            Compute_S(len);\n            CopyOut_S(start, len);\n")
                    .append("        }\n");
        } else {
            sb.append("        const int64_t r0 = (int64_t)AscendC::GetBlockIdx() * tiling.perCore;\n")
                    .append("        const int64_t r1 = tessera::min64(r0 + tiling.perCore, tiling.units);\n")
                    .append("        for (int64_t r = r0; r < r1; r++) {\n            SetRow(r);\n");
            for (int p = 0; p < reductions.size(); p++) {
                TInstr red = reductions.get(p);
                ReduceOp op = ((TOp.Reduce) red.op()).op();
                DType t = red.result().dtype();
                String acc = "acc" + p;
                sb.append("            ").append(Cpp.compute(t)).append(" ").append(acc).append(" = ")
                        .append(ScalarOps.identity(op, t)).append(";\n")
                        .append(sweep("CopyIn_" + p + "(start, len);\n                    const " + Cpp.compute(t)
                                + " part = Compute_" + p + "(len);\n                    " + acc + " = "
                                + ScalarOps.combine(op, t, acc, "part") + ";"));
                String total = acc;
                if (op == ReduceOp.MEAN) {
                    total = Cpp.isInt(t) ? "tessera::idiv(" + acc + ", (int32_t)(tiling.loops * tiling.inner))"
                            : acc + " / (float)(tiling.loops * tiling.inner)";
                }
                sb.append("            red_").append(red.result().name()).append(" = ").append(total).append(";\n");
            }
            if (!vecStores.isEmpty()) {
                sb.append(sweep("CopyIn_S(start, len);\n                    Compute_S(len);\n"
                        + "                    CopyOut_S(start, len);"));
            }
            if (!rowStores.isEmpty()) {
                sb.append("            StoreRow();\n");
            }
            sb.append("        }\n");
        }
        sb.append("    }\n\nprivate:\n");
        sb.append(Skeleton.decoder("SetRow", env, k.domain().axes(), rowAxes));
        sb.append(Skeleton.decoder("SetLoop", env, k.domain().axes(), loopAxes));
        sb.append(fns);
        sb.append("    AscendC::TPipe pipe;\n");
        for (String q : inQueue.values()) {
            sb.append("    AscendC::TQue<AscendC::TPosition::VECIN, 2> ").append(q).append(";\n");
        }
        for (int i = 0; i < vecStores.size(); i++) {
            sb.append("    AscendC::TQue<AscendC::TPosition::VECOUT, 2> out").append(i).append(";\n");
        }
        for (int i = 0; i < rowStores.size(); i++) {
            sb.append("    AscendC::TQue<AscendC::TPosition::VECOUT, 2> row").append(i).append(";\n");
        }
        for (String pool : List.of("tb", "sb", "mb")) {
            int n = pool.equals("tb") ? tiles.max() : pool.equals("sb") ? small.max() : masks.max();
            for (int i = 0; i < n; i++) {
                sb.append("    AscendC::TBuf<AscendC::TPosition::VECCALC> ").append(pool).append(i).append(";\n");
            }
        }
        sb.append(Skeleton.globalMembers(env, args));
        sb.append("    TesseraTiling tiling;\n    int64_t ax[").append(Math.max(1, k.domain().rank())).append("] = {};\n")
                .append("    int64_t coreStart = 0;\n");
        for (TInstr red : reductions) {
            sb.append("    ").append(Cpp.compute(red.result().dtype())).append(" red_").append(red.result().name())
                    .append(" = 0;\n");
        }
        sb.append("};\n\n");
        sb.append(Skeleton.entry(k.name(), cls, env, args, "KERNEL_TYPE_AIV_ONLY"));
        return sb.toString();
    }

    /** A walk over the row: every loop-axis point, every tile of the vector axes. */
    private static String sweep(String body) {
        return "            for (int64_t lp = 0; lp < tiling.loops; lp++) {\n                SetLoop(lp);\n"
                + "                for (int64_t c = 0; c < tiling.chunks; c++) {\n"
                + "                    const int64_t start = c * TILE;\n"
                + "                    const int32_t len = (int32_t)tessera::min64(TILE, tiling.inner - start);\n"
                + "                    " + body + "\n                }\n            }\n";
    }

    private String tilingFunction(int tile) {
        List<Dim> axes = k.domain().axes();
        String rows = env.product(rowAxes.stream().map(axes::get).toList(), "t");
        String loops = env.product(loopAxes.stream().map(axes::get).toList(), "t");
        String inner = env.product(vecAxes.stream().map(axes::get).toList(), "t");
        return "inline TesseraTiling tiling_" + k.name() + "(const int64_t *dims, uint32_t cores)\n{\n"
                + "    TesseraTiling t = tessera_tiling_base(dims, " + tile + ");\n"
                + "    t.rows = " + rows + ";\n    t.loops = " + loops + ";\n    t.inner = " + inner + ";\n"
                + "    t.chunks = (t.inner + t.tile - 1) / t.tile;\n"
                + "    t.units = " + (pointwise ? "t.rows * t.chunks" : "t.rows") + ";\n"
                + "    tessera_spread(&t, cores);\n    return t;\n}\n";
    }
}
