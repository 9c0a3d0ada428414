package dev.tessera.codegen.ascendc;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.SourceSpan;
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
 * A matmul on the vector unit (f32, i32, or layouts the cube path does not take). A unit of work is TM rows
 * of the output by one tile of N columns: for each k, the row k of B's tile is copied in and each of the TM
 * accumulators gets {@code Axpy(acc_i, b_k, a[m0+i, k])}, the A element read on the scalar unit. The
 * epilogue then runs per row on the accumulator and is copied out. B rows are read once per TM output rows.
 */
final class VectorMatmulWriter {

    /** Output rows per unit: accumulators held in the unified buffer at once. */
    static final int TM = 8;

    private final ProgramEnv env;
    private final TileKernel k;
    private final AscendOptions options;
    private final Map<String, TInstr> defs = new HashMap<>();
    private final Map<String, Access> loads = new LinkedHashMap<>();
    private final Set<String> vector = new HashSet<>();
    private final List<Access> stores = new ArrayList<>();
    private final Map<String, String> queueB = new LinkedHashMap<>();
    private final Map<String, String> queueE = new LinkedHashMap<>();
    private final SlotPool tiles = new SlotPool("tb");
    private final SlotPool small = new SlotPool("sb");
    private final SlotPool masks = new SlotPool("mb");
    private final int[] counter = {0};
    private final int nb;
    private final TInstr dot;
    private final String acc;

    VectorMatmulWriter(ProgramEnv env, TileKernel k, AscendOptions options) {
        this.env = env;
        this.k = k;
        this.options = options;
        k.body().forEach(i -> defs.put(i.result().name(), i));
        this.nb = k.domain().parallel().size() - 2;
        this.dot = k.body().stream().filter(i -> i.op() instanceof TOp.Dot).findFirst()
                .orElseThrow(() -> new IllegalStateException("matmul kernel " + k.name() + " has no dot"));
        this.acc = Cpp.compute(dot.result().dtype());
    }

    KernelCode write() {
        List<Integer> v = List.of(nb + 1);
        for (TInstr in : k.body()) {
            if (in.op() instanceof TOp.Load l) {
                Optional<Access> a = Access.classify(l.buffer(), l.index(), v, true);
                if (a.isEmpty()) {
                    throw new CompileException(SourceSpan.UNKNOWN, "Ascend C kernel " + k.name() + ": operand %"
                            + l.buffer() + " is read along N in a layout the vector unit cannot tile");
                }
                loads.put(in.result().name(), a.get());
            }
            boolean varies = switch (in.op()) {
                case TOp.Load l -> loads.get(in.result().name()).mode() != Access.Mode.INVARIANT;
                case TOp.Dot d -> true;
                default -> in.op().operands().stream().anyMatch(o -> vector.contains(o.name()));
            };
            if (varies) {
                vector.add(in.result().name());
            }
        }
        TOp.Dot d = (TOp.Dot) dot.op();
        if (vector.contains(d.a().name())) {
            throw new IllegalStateException("kernel " + k.name() + ": the dot's left operand varies along N");
        }
        for (TStore st : k.stores()) {
            Access a = Access.classify(st.buffer(), st.index(), v, false)
                    .filter(x -> x.mode() == Access.Mode.CONTIG)
                    .orElseThrow(() -> new CompileException(SourceSpan.UNKNOWN, "Ascend C kernel " + k.name()
                            + ": the result %" + st.buffer() + " is not contiguous along N"));
            stores.add(a);
        }
        List<String> bLoads = vectorLoads(List.of(d.b()));
        List<String> eLoads = vectorLoads(k.stores().stream().map(TStore::value).toList());
        bLoads.forEach(x -> queueB.put(x, "inB" + queueB.size()));
        eLoads.forEach(x -> queueE.put(x, "inE" + queueE.size()));

        StringBuilder fns = new StringBuilder();
        writeB(fns, d);
        writeScalarA(fns, d);
        writeEpilogue(fns);

        UbBudget budget = new UbBudget(k.name());
        queueB.forEach((val, q) -> budget.perTile("VECIN " + q, 2, bytes(loads.get(val))));
        queueE.forEach((val, q) -> budget.perTile("VECIN " + q, 2, bytes(loads.get(val))));
        for (int i = 0; i < stores.size(); i++) {
            budget.perTile("VECOUT out" + i, 2, bytes(stores.get(i)));
        }
        budget.perTile("VECCALC accumulators (" + TM + " rows)", TM, 4);
        budget.perTile("VECCALC tile temporaries", tiles.max(), 4);
        budget.fixed("VECCALC scalar tiles", small.max(), 256);
        budget.perTileBits("VECCALC compare masks", masks.max(), 1);
        int tile = budget.chooseTile(options);
        return new KernelCode(k.name(), assemble(fns, tile), tiling(tile), args(), "vector", budget.bytes(tile), tile);
    }

    private int bytes(Access a) {
        return env.buffer(a.buffer()).type().dtype().byteSize();
    }

    private List<String> vectorLoads(List<TValue> roots) {
        Set<String> seen = new HashSet<>();
        List<TValue> work = new ArrayList<>(roots);
        while (!work.isEmpty()) {
            TValue x = work.remove(work.size() - 1);
            if (seen.add(x.name()) && !(defs.get(x.name()).op() instanceof TOp.Dot)) {
                work.addAll(defs.get(x.name()).op().operands());
            }
        }
        List<String> r = new ArrayList<>();
        for (Map.Entry<String, Access> e : loads.entrySet()) {
            if (seen.contains(e.getKey()) && e.getValue().mode() != Access.Mode.INVARIANT) {
                r.add(e.getKey());
            }
        }
        return r;
    }

    private void copyIn(StringBuilder fns, String name, Map<String, String> queues) {
        fns.append("    __aicore__ inline void ").append(name).append("(int64_t start, int32_t len) {\n");
        queues.forEach((val, q) -> {
            Access a = loads.get(val);
            String ty = Cpp.storage(env.buffer(a.buffer()).type().dtype());
            String gm = "gm_" + env.id(a.buffer());
            String base = a.base(env, List.of(nb + 1), "tiling");
            fns.append("        {\n            AscendC::LocalTensor<").append(ty).append("> l = ").append(q)
                    .append(".AllocTensor<").append(ty).append(">();\n");
            if (a.mode() == Access.Mode.STRIDED) {
                String step = a.step(env, "tiling");
                fns.append("            tessera::gather(l, ").append(gm).append(", ").append(base).append(" + start * ")
                        .append(step).append(", ").append(step).append(", len);\n");
            } else {
                fns.append("            tessera::copy_in(l, ").append(gm).append("[").append(base).append(" + start], len);\n");
            }
            fns.append("            ").append(q).append(".EnQue(l);\n        }\n");
        });
        fns.append("    }\n\n");
    }

    private ComputeWriter open(StringBuilder body, Map<String, String> queues, Map<String, String> deq) {
        tiles.reset();
        small.reset();
        masks.reset();
        queues.forEach((val, q) -> {
            String ty = Cpp.storage(env.buffer(loads.get(val).buffer()).type().dtype());
            String qn = "q" + counter[0]++;
            body.append("        AscendC::LocalTensor<").append(ty).append("> ").append(qn).append(" = ").append(q)
                    .append(".DeQue<").append(ty).append(">();\n");
            deq.put(val, qn);
        });
        body.append("        const int32_t cnt = tessera::round_up64(len);\n");
        return new ComputeWriter(env, defs, vector, loads, new Scratch(body, tiles, masks, "cnt", counter),
                new Scratch(body, small, masks, "64", counter), "len", deq);
    }

    private void free(StringBuilder body, Map<String, String> queues, Map<String, String> deq) {
        deq.forEach((val, qn) -> body.append("        ").append(queues.get(val)).append(".FreeTensor(").append(qn).append(");\n"));
    }

    private void writeB(StringBuilder fns, TOp.Dot d) {
        copyIn(fns, "CopyIn_B", queueB);
        StringBuilder body = new StringBuilder();
        Map<String, String> deq = new LinkedHashMap<>();
        ComputeWriter cw = open(body, queueB, deq);
        Scratch tile = new Scratch(body, tiles, masks, "cnt", counter);
        cw.plan(List.of(d.b()));
        String b = cw.vec(d.b());
        body.append("        AscendC::LocalTensor<").append(acc).append("> accAll = accBuf.Get<").append(acc).append(">();\n");
        if (acc.equals("float")) {
            body.append("        for (int32_t i = 0; i < mCount; i++) {\n            ax[").append(nb)
                    .append("] = m0 + i;\n            const float a = ScalarA();\n")
                    .append("            AscendC::Axpy(accAll[i * TILE], ").append(b).append(", a, cnt);\n        }\n");
        } else {
            Scratch.Temp t = tile.take(acc);
            body.append("        for (int32_t i = 0; i < mCount; i++) {\n            ax[").append(nb)
                    .append("] = m0 + i;\n            const int32_t a = ScalarA();\n")
                    .append("            AscendC::Muls(").append(t.name()).append(", ").append(b).append(", a, cnt);\n")
                    .append("            AscendC::Add(accAll[i * TILE], accAll[i * TILE], ").append(t.name())
                    .append(", cnt);\n        }\n");
            tile.give(t);
        }
        cw.done(d.b());
        free(body, queueB, deq);
        fns.append("    __aicore__ inline void Compute_B(int32_t len, int32_t mCount) {\n").append(body).append("    }\n\n");
    }

    private void writeScalarA(StringBuilder fns, TOp.Dot d) {
        StringBuilder body = new StringBuilder("        const int32_t len = 1;\n");
        ComputeWriter cw = open(body, Map.of(), new LinkedHashMap<>());
        String a = cw.scal(d.a());
        String ty = Cpp.compute(d.a().dtype());
        String conv = ty.equals(acc) ? a : "(" + acc + ")" + a;
        fns.append("    __aicore__ inline ").append(acc).append(" ScalarA() {\n").append(body).append("        return ")
                .append(conv).append(";\n    }\n\n");
    }

    private void writeEpilogue(StringBuilder fns) {
        copyIn(fns, "CopyIn_E", queueE);
        StringBuilder body = new StringBuilder();
        Map<String, String> deq = new LinkedHashMap<>();
        ComputeWriter cw = open(body, queueE, deq);
        Scratch tile = new Scratch(body, tiles, masks, "cnt", counter);
        body.append("        AscendC::LocalTensor<").append(acc).append("> dacc = accBuf.Get<").append(acc)
                .append(">()[i * TILE];\n");
        cw.bindVector(dot.result(), "dacc");
        List<TValue> roots = k.stores().stream().map(TStore::value).toList();
        cw.plan(roots);
        for (int i = 0; i < k.stores().size(); i++) {
            TStore st = k.stores().get(i);
            DType t = env.buffer(st.buffer()).type().dtype();
            String ty = Cpp.storage(t);
            body.append("        AscendC::LocalTensor<").append(ty).append("> o").append(i).append(" = out").append(i)
                    .append(".AllocTensor<").append(ty).append(">();\n");
            boolean direct = ty.equals(Cpp.compute(st.value().dtype())) && cw.prefer(st.value(), "o" + i);
            String val = cw.vec(st.value());
            if (!direct || !val.equals("o" + i)) {
                VectorOps.toStorage("o" + i, t, val, tile);
            }
            body.append("        out").append(i).append(".EnQue(o").append(i).append(");\n");
            cw.done(st.value());
        }
        free(body, queueE, deq);
        fns.append("    __aicore__ inline void Compute_E(int32_t len, int32_t i) {\n").append(body).append("    }\n\n");
        fns.append("    __aicore__ inline void CopyOut_E(int64_t start, int32_t len) {\n");
        for (int i = 0; i < stores.size(); i++) {
            Access a = stores.get(i);
            String ty = Cpp.storage(env.buffer(a.buffer()).type().dtype());
            fns.append("        {\n            AscendC::LocalTensor<").append(ty).append("> o = out").append(i)
                    .append(".DeQue<").append(ty).append(">();\n            tessera::copy_out(gm_").append(env.id(a.buffer()))
                    .append("[").append(a.base(env, List.of(nb + 1), "tiling")).append(" + start], o, len);\n            out")
                    .append(i).append(".FreeTensor(o);\n        }\n");
        }
        fns.append("    }\n\n");
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
        String cls = Skeleton.className(k.name());
        List<String> args = args();
        StringBuilder sb = new StringBuilder();
        sb.append("class ").append(cls).append(" {\npublic:\n    static constexpr int32_t TILE = ").append(tile)
                .append(";\n    static constexpr int32_t TM = ").append(TM).append(";\n\n    __aicore__ inline ").append(cls)
                .append("() {}\n\n    __aicore__ inline void Init(").append(Skeleton.params(env, args))
                .append(", const TesseraTiling &t)\n    {\n        tiling = t;\n")
                .append(Skeleton.setGlobals(env, args, Set.of(), "", ""));
        for (String q : queueB.values()) {
            sb.append("        pipe.InitBuffer(").append(q).append(", 2, TILE * sizeof(").append(storageOf(queueB, q)).append("));\n");
        }
        for (String q : queueE.values()) {
            sb.append("        pipe.InitBuffer(").append(q).append(", 2, TILE * sizeof(").append(storageOf(queueE, q)).append("));\n");
        }
        for (int i = 0; i < stores.size(); i++) {
            sb.append("        pipe.InitBuffer(out").append(i).append(", 2, TILE * sizeof(")
                    .append(Cpp.storage(env.buffer(stores.get(i).buffer()).type().dtype())).append("));\n");
        }
        sb.append("        pipe.InitBuffer(accBuf, TM * TILE * 4);\n");
        appendPools(sb, true);
        sb.append("    }\n\n    __aicore__ inline void Process()\n    {\n")
                .append("        const int64_t u0 = (int64_t)AscendC::GetBlockIdx() * tiling.perCore;\n")
                .append("        const int64_t u1 = tessera::min64(u0 + tiling.perCore, tiling.units);\n")
                .append("        for (int64_t u = u0; u < u1; u++) {\n")
                .append("            const int64_t start = (u % tiling.nTiles) * TILE;\n")
                .append("            const int64_t rest = u / tiling.nTiles;\n")
                .append("            SetBatch(rest / tiling.mTiles);\n")
                .append("            m0 = (rest % tiling.mTiles) * TM;\n")
                .append("            const int32_t len = (int32_t)tessera::min64(TILE, tiling.n - start);\n")
                .append("            const int32_t mCount = (int32_t)tessera::min64(TM, tiling.m - m0);\n")
                .append("            const int32_t cnt = tessera::round_up64(len);\n")
                .append("            AscendC::LocalTensor<").append(acc).append("> accAll = accBuf.Get<").append(acc).append(">();\n")
                .append("            for (int32_t i = 0; i < mCount; i++) {\n")
                .append("                AscendC::Duplicate(accAll[i * TILE], (").append(acc).append(")0, cnt);\n")
                .append("            }\n")
                .append("            for (int64_t kk = 0; kk < tiling.k; kk++) {\n")
                .append("                ax[").append(nb + 2).append("] = kk;\n")
                .append("                CopyIn_B(start, len);\n                Compute_B(len, mCount);\n            }\n")
                .append("            for (int32_t i = 0; i < mCount; i++) {\n")
                .append("                ax[").append(nb).append("] = m0 + i;\n")
                .append("                CopyIn_E(start, len);\n                Compute_E(len, i);\n")
                .append("                CopyOut_E(start, len);\n            }\n        }\n    }\n\nprivate:\n");
        List<Integer> batch = new ArrayList<>();
        for (int i = 0; i < nb; i++) {
            batch.add(i);
        }
        sb.append(Skeleton.decoder("SetBatch", env, k.domain().axes(), batch));
        sb.append(fns);
        sb.append("    AscendC::TPipe pipe;\n");
        for (String q : queueB.values()) {
            sb.append("    AscendC::TQue<AscendC::TPosition::VECIN, 2> ").append(q).append(";\n");
        }
        for (String q : queueE.values()) {
            sb.append("    AscendC::TQue<AscendC::TPosition::VECIN, 2> ").append(q).append(";\n");
        }
        for (int i = 0; i < stores.size(); i++) {
            sb.append("    AscendC::TQue<AscendC::TPosition::VECOUT, 2> out").append(i).append(";\n");
        }
        sb.append("    AscendC::TBuf<AscendC::TPosition::VECCALC> accBuf;\n");
        appendPools(sb, false);
        sb.append(Skeleton.globalMembers(env, args));
        sb.append("    TesseraTiling tiling;\n    int64_t ax[").append(k.domain().rank()).append("] = {};\n")
                .append("    int64_t m0 = 0;\n};\n\n");
        sb.append(Skeleton.entry(k.name(), env, args, "KERNEL_TYPE_AIV_ONLY"));
        return sb.toString();
    }

    private String storageOf(Map<String, String> queues, String q) {
        for (Map.Entry<String, String> e : queues.entrySet()) {
            if (e.getValue().equals(q)) {
                return Cpp.storage(env.buffer(loads.get(e.getKey()).buffer()).type().dtype());
            }
        }
        throw new IllegalStateException(q);
    }

    private void appendPools(StringBuilder sb, boolean init) {
        for (int i = 0; i < tiles.max(); i++) {
            sb.append(init ? "        pipe.InitBuffer(tb" + i + ", TILE * 4);\n"
                    : "    AscendC::TBuf<AscendC::TPosition::VECCALC> tb" + i + ";\n");
        }
        for (int i = 0; i < small.max(); i++) {
            sb.append(init ? "        pipe.InitBuffer(sb" + i + ", 64 * 4);\n"
                    : "    AscendC::TBuf<AscendC::TPosition::VECCALC> sb" + i + ";\n");
        }
        for (int i = 0; i < masks.max(); i++) {
            sb.append(init ? "        pipe.InitBuffer(mb" + i + ", TILE / 8 < 32 ? 32 : TILE / 8);\n"
                    : "    AscendC::TBuf<AscendC::TPosition::VECCALC> mb" + i + ";\n");
        }
    }

    private String tiling(int tile) {
        List<Dim> p = k.domain().parallel();
        String batches = env.product(p.subList(0, nb), "t");
        return "inline TesseraTiling " + Skeleton.tilingFunction(k.name())
                + "(const int64_t *dims, uint32_t cores)\n{\n"
                + "    TesseraTiling t = tessera_tiling_base(dims, " + tile + ");\n"
                + "    t.batches = " + batches + ";\n    t.m = " + env.dim(p.get(nb), "t") + ";\n"
                + "    t.n = " + env.dim(p.get(nb + 1), "t") + ";\n    t.k = " + env.dim(k.domain().sweep().get(0), "t") + ";\n"
                + "    t.inner = t.n;\n    t.mTiles = (t.m + " + TM + " - 1) / " + TM + ";\n"
                + "    t.nTiles = (t.n + t.tile - 1) / t.tile;\n"
                + "    t.units = t.batches * t.mTiles * t.nTiles;\n    tessera_spread(&t, cores);\n    return t;\n}\n";
    }
}
