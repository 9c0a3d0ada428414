package dev.tessera.codegen.ascendc;

import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TOp;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel class and host tiling of a {@link RowKernelWriter} kernel, once its Compute functions are
 * written and its tile length chosen: Init (GlobalTensors, queues, TBufs), Process (how units of work are
 * spread over cores and walked), members and the entry.
 */
final class RowKernelAssembly {

    private final RowKernelWriter w;
    private final RowLayout layout;
    private final int tile;

    RowKernelAssembly(RowKernelWriter w, int tile) {
        this.w = w;
        this.layout = w.layout;
        this.tile = tile;
    }

    String device(StringBuilder fns) {
        String cls = Skeleton.className(w.k.name());
        List<String> args = w.args();
        List<TInstr> reductions = w.k.body().stream().filter(i -> i.op() instanceof TOp.Reduce).toList();
        StringBuilder sb = new StringBuilder();
        sb.append("class ").append(cls).append(" {\npublic:\n    static constexpr int32_t TILE = ").append(tile)
                .append(";\n\n    __aicore__ inline ").append(cls).append("() {}\n\n    __aicore__ inline void Init(")
                .append(Skeleton.params(w.env, args)).append(args.isEmpty() ? "" : ", ")
                .append("const TesseraTiling &t)\n    {\n        tiling = t;\n");
        if (w.sliced) {
            sb.append("        // a flat pointwise kernel: each core's GlobalTensors cover only its own units\n")
                    .append("        coreStart = (int64_t)AscendC::GetBlockIdx() * tiling.perCore * TILE;\n")
                    .append("        const int64_t coreEnd = tessera::min64(coreStart + tiling.perCore * TILE, tiling.inner);\n")
                    .append("        const int64_t coreLen = coreEnd > coreStart ? coreEnd - coreStart : 0;\n");
        }
        sb.append(Skeleton.setGlobals(w.env, args, w.sliced ? w.slicedBuffers() : Set.of(), "coreStart", "coreLen"));
        for (Map.Entry<String, String> e : w.inQueue.entrySet()) {
            sb.append("        pipe.InitBuffer(").append(e.getValue()).append(", 2, TILE * sizeof(")
                    .append(storage(layout.loads().get(e.getKey()))).append("));\n");
        }
        for (int i = 0; i < layout.vecStores().size(); i++) {
            sb.append("        pipe.InitBuffer(out").append(i).append(", 2, TILE * sizeof(")
                    .append(storage(layout.vecStores().get(i))).append("));\n");
        }
        for (int i = 0; i < layout.rowStores().size(); i++) {
            sb.append("        pipe.InitBuffer(row").append(i).append(", 2, 64 * sizeof(")
                    .append(storage(layout.rowStores().get(i))).append("));\n");
        }
        for (int i = 0; i < w.tiles.max(); i++) {
            sb.append("        pipe.InitBuffer(tb").append(i).append(", TILE * 4);\n");
        }
        for (int i = 0; i < w.small.max(); i++) {
            sb.append("        pipe.InitBuffer(sb").append(i).append(", 64 * 4);\n");
        }
        for (int i = 0; i < w.masks.max(); i++) {
            sb.append("        pipe.InitBuffer(mb").append(i).append(", TILE / 8 < 32 ? 32 : TILE / 8);\n");
        }
        if (layout.columns()) {
            for (int p = 0; p < reductions.size(); p++) {
                sb.append("        pipe.InitBuffer(ra").append(p).append(", TILE * 4);\n");
            }
        }
        sb.append("    }\n\n    __aicore__ inline void Process()\n    {\n");
        if (layout.columns()) {
            // column reductions: a unit is (row, tile of the parallel vector axes); each reduction accumulates
            // whole tiles along every sweep point, elementwise
            sb.append("        const int64_t u0 = (int64_t)AscendC::GetBlockIdx() * tiling.perCore;\n")
                    .append("        const int64_t u1 = tessera::min64(u0 + tiling.perCore, tiling.units);\n")
                    .append("        for (int64_t u = u0; u < u1; u++) {\n")
                    .append("            SetRow(u / tiling.chunks);\n")
                    .append("            const int64_t start = (u % tiling.chunks) * TILE;\n")
                    .append("            const int32_t len = (int32_t)tessera::min64(TILE, tiling.inner - start);\n");
            for (int p = 0; p < reductions.size(); p++) {
                sb.append("            Start_").append(p).append("(len);\n")
                        .append("            for (int64_t lp = 0; lp < tiling.loops; lp++) {\n")
                        .append("                SetLoop(lp);\n                CopyIn_").append(p).append("(start, len);\n")
                        .append("                Compute_").append(p).append("(len);\n            }\n")
                        .append("            Finish_").append(p).append("(len);\n");
            }
            sb.append("            CopyIn_S(start, len);\n            Compute_S(len);\n            CopyOut_S(start, len);\n")
                    .append("        }\n");
        } else if (w.pointwise) {
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
                    .append("        const bool resident = tiling.loops == 1 && tiling.chunks == 1;\n")
                    .append("        for (int64_t r = r0; r < r1; r++) {\n            SetRow(r);\n");
            if (w.resident) {
                // the row fits in one tile: copy it in once and hold it for every pass
                sb.append("            if (resident) {\n                const int32_t len = (int32_t)tiling.inner;\n")
                        .append("                SetLoop(0);\n                CopyIn_R(0, len);\n                Hold();\n");
                for (int p = 0; p < reductions.size(); p++) {
                    TInstr red = reductions.get(p);
                    String part = "Compute_" + p + "_R(len)";
                    if (((TOp.Reduce) red.op()).op() == ReduceOp.MEAN) {
                        part = Cpp.isInt(red.result().dtype()) ? "tessera::idiv(" + part + ", (int32_t)tiling.inner)"
                                : part + " / (float)tiling.inner";
                    }
                    sb.append("                ").append(w.env.reduction(red.result())).append(" = ").append(part)
                            .append(";\n");
                }
                if (!layout.vecStores().isEmpty()) {
                    sb.append("                Compute_S_R(len);\n                CopyOut_S(0, len);\n");
                }
                sb.append("                Release();\n");
                if (!layout.rowStores().isEmpty()) {
                    sb.append("                StoreRow();\n");
                }
                sb.append("                continue;\n            }\n");
            }
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
                sb.append("            ").append(w.env.reduction(red.result())).append(" = ").append(total)
                        .append(";\n");
            }
            if (!layout.vecStores().isEmpty()) {
                sb.append(sweep("CopyIn_S(start, len);\n                    Compute_S(len);\n"
                        + "                    CopyOut_S(start, len);"));
            }
            if (!layout.rowStores().isEmpty()) {
                sb.append("            StoreRow();\n");
            }
            sb.append("        }\n");
        }
        sb.append("    }\n\nprivate:\n");
        sb.append(Skeleton.decoder("SetRow", w.env, w.k.domain().axes(), layout.rowAxes()));
        sb.append(Skeleton.decoder("SetLoop", w.env, w.k.domain().axes(), layout.loopAxes()));
        sb.append(fns);
        sb.append("    AscendC::TPipe pipe;\n");
        for (String q : w.inQueue.values()) {
            sb.append("    AscendC::TQue<AscendC::TPosition::VECIN, 2> ").append(q).append(";\n");
        }
        for (int i = 0; i < layout.vecStores().size(); i++) {
            sb.append("    AscendC::TQue<AscendC::TPosition::VECOUT, 2> out").append(i).append(";\n");
        }
        for (int i = 0; i < layout.rowStores().size(); i++) {
            sb.append("    AscendC::TQue<AscendC::TPosition::VECOUT, 2> row").append(i).append(";\n");
        }
        for (String pool : List.of("tb", "sb", "mb")) {
            int n = pool.equals("tb") ? w.tiles.max() : pool.equals("sb") ? w.small.max() : w.masks.max();
            for (int i = 0; i < n; i++) {
                sb.append("    AscendC::TBuf<AscendC::TPosition::VECCALC> ").append(pool).append(i).append(";\n");
            }
        }
        for (int p = 0; layout.columns() && p < reductions.size(); p++) {
            sb.append("    AscendC::TBuf<AscendC::TPosition::VECCALC> ra").append(p).append(";\n");
        }
        if (w.resident) {
            for (Map.Entry<String, String> e : w.inQueue.entrySet()) {
                sb.append("    AscendC::LocalTensor<").append(storage(layout.loads().get(e.getKey()))).append("> rq_")
                        .append(e.getValue()).append(";\n");
            }
        }
        sb.append(Skeleton.globalMembers(w.env, args));
        sb.append("    TesseraTiling tiling;\n    int64_t ax[").append(Math.max(1, w.k.domain().rank())).append("] = {};\n")
                .append("    int64_t coreStart = 0;\n");
        for (TInstr red : reductions) {
            sb.append("    ").append(Cpp.compute(red.result().dtype())).append(" ").append(w.env.reduction(red.result()))
                    .append(" = 0;\n");
        }
        sb.append("};\n\n");
        sb.append(Skeleton.entry(w.k.name(), w.env, args, "KERNEL_TYPE_AIV_ONLY"));
        return sb.toString();
    }

    /** The C++ element type of the buffer {@code a} accesses, in global memory and in queues. */
    private String storage(Access a) {
        return Cpp.storage(w.env.buffer(a.buffer()).type().dtype());
    }

    /** A walk over the row: every loop-axis point, every tile of the vector axes. */
    private static String sweep(String body) {
        return "            for (int64_t lp = 0; lp < tiling.loops; lp++) {\n                SetLoop(lp);\n"
                + "                for (int64_t c = 0; c < tiling.chunks; c++) {\n"
                + "                    const int64_t start = c * TILE;\n"
                + "                    const int32_t len = (int32_t)tessera::min64(TILE, tiling.inner - start);\n"
                + "                    " + body + "\n                }\n            }\n";
    }

    String tiling() {
        List<Dim> axes = w.k.domain().axes();
        String rows = w.env.product(layout.rowAxes().stream().map(axes::get).toList(), "t");
        String loops = w.env.product(layout.loopAxes().stream().map(axes::get).toList(), "t");
        String inner = w.env.product(layout.vecAxes().stream().map(axes::get).toList(), "t");
        return "inline TesseraTiling " + Skeleton.tilingFunction(w.k.name())
                + "(const int64_t *dims, uint32_t cores)\n{\n"
                + "    TesseraTiling t = tessera_tiling_base(dims, " + tile + ");\n"
                + "    t.rows = " + rows + ";\n    t.loops = " + loops + ";\n    t.inner = " + inner + ";\n"
                + "    t.chunks = (t.inner + t.tile - 1) / t.tile;\n"
                + "    t.units = " + (w.pointwise || layout.columns() ? "t.rows * t.chunks" : "t.rows") + ";\n"
                + "    tessera_spread(&t, cores);\n    return t;\n}\n";
    }
}
