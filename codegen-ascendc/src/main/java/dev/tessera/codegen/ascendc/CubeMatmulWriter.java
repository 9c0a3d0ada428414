package dev.tessera.codegen.ascendc;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Dim;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TOp;
import dev.tessera.ir.tile.TStore;
import dev.tessera.ir.tile.TileKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The cube half of an f16/bf16 matmul (see {@link MatmulPlanner}): each AI cube core takes BM x BN output
 * blocks; per step of BK along K it copies the A and B blocks from global memory into L1 converting ND to the
 * NZ fractal layout (DataCopy with Nd2NzParams, zero-filled tails), loads them into L0A (FRACTAL_ZZ) and L0B
 * (FRACTAL_ZN, each 16x16 fractal transposed) with LoadData, and accumulates with Mmad into L0C (FRACTAL_NZ,
 * f32). The finished block leaves L0C through Fixpipe, converted NZ to ND, into the f32 workspace that the
 * vector epilogue kernel reads.
 */
final class CubeMatmulWriter {

    static final int BM = 128;
    static final int BN = 128;
    static final int BK = 64;

    private final ProgramEnv env;
    private final TileKernel k;
    CubeMatmulWriter(ProgramEnv env, TileKernel k) {
        this.env = env;
        this.k = k;
    }

    KernelCode write() {
        int nb = k.domain().parallel().size() - 2;
        TOp.Dot dot = (TOp.Dot) k.body().stream().filter(i -> i.op() instanceof TOp.Dot).findFirst().orElseThrow().op();
        TOp.Load la = load(dot.a());
        TOp.Load lb = load(dot.b());
        TStore st = k.stores().get(0);
        String ty = Cpp.storage(env.buffer(la.buffer()).type().dtype());
        int el = env.buffer(la.buffer()).type().dtype().byteSize();
        long l1 = 2L * BM * BK * el + 2L * BK * BN * el;
        long l0a = 2L * BM * BK * el;
        long l0b = 2L * BK * BN * el;
        long l0c = (long) BM * BN * 4;
        check("L1", l1, AscendOptions.A2_L1_BYTES);
        check("L0A", l0a, AscendOptions.A2_L0AB_BYTES);
        check("L0B", l0b, AscendOptions.A2_L0AB_BYTES);
        check("L0C", l0c, AscendOptions.A2_L0C_BYTES);

        List<Integer> mnk = List.of(nb, nb + 1, nb + 2);
        String aBase = new Access(la.buffer(), la.index(), Access.Mode.CONTIG, -1).base(env, mnk, "tiling");
        String bBase = new Access(lb.buffer(), lb.index(), Access.Mode.CONTIG, -1).base(env, mnk, "tiling");
        String cBase = new Access(st.buffer(), st.index(), Access.Mode.CONTIG, -1).base(env, mnk, "tiling");
        String a = "gm_" + env.id(la.buffer());
        String b = "gm_" + env.id(lb.buffer());
        String c = "gm_" + env.id(st.buffer());
        List<String> args = args();
        String cls = Skeleton.className(k.name());
        List<Integer> batch = new ArrayList<>();
        for (int i = 0; i < nb; i++) {
            batch.add(i);
        }
        String device = ("""
                class %1$s {
                public:
                    static constexpr int32_t BM = %2$d, BN = %3$d, BK = %4$d;
                    using T = %5$s;

                    __aicore__ inline %1$s() {}

                    __aicore__ inline void Init(%6$s, const TesseraTiling &t)
                    {
                        tiling = t;
                %7$s        pipe.InitBuffer(qA1, 2, BM * BK * sizeof(T));
                        pipe.InitBuffer(qB1, 2, BK * BN * sizeof(T));
                        pipe.InitBuffer(qA2, 2, BM * BK * sizeof(T));
                        pipe.InitBuffer(qB2, 2, BK * BN * sizeof(T));
                        pipe.InitBuffer(qC, 1, BM * BN * sizeof(float));
                    }

                    __aicore__ inline void Process()
                    {
                        const int64_t u0 = (int64_t)AscendC::GetBlockIdx() * tiling.perCore;
                        const int64_t u1 = tessera::min64(u0 + tiling.perCore, tiling.units);
                        for (int64_t u = u0; u < u1; u++) {
                            const int64_t n0 = (u %% tiling.nTiles) * BN;
                            const int64_t rest = u / tiling.nTiles;
                            const int64_t m0 = (rest %% tiling.mTiles) * BM;
                            SetBatch(rest / tiling.mTiles);
                            const int32_t mLen = (int32_t)tessera::min64(BM, tiling.m - m0);
                            const int32_t nLen = (int32_t)tessera::min64(BN, tiling.n - n0);
                            AscendC::LocalTensor<float> acc = qC.AllocTensor<float>();
                            for (int64_t k0 = 0; k0 < tiling.k; k0 += BK) {
                                const int32_t kLen = (int32_t)tessera::min64(BK, tiling.k - k0);
                                CopyIn(m0, n0, k0, mLen, nLen, kLen);
                                Split(mLen, nLen, kLen);
                                Compute(acc, mLen, nLen, kLen, k0 == 0);
                            }
                            if (tiling.k == 0) {
                                // an empty K still defines C = 0
                                AscendC::LocalTensor<T> a2 = qA2.AllocTensor<T>();
                                AscendC::LocalTensor<T> b2 = qB2.AllocTensor<T>();
                                Zero(a2, BM * 16);
                                Zero(b2, 16 * BN);
                                qA2.EnQue(a2);
                                qB2.EnQue(b2);
                                Compute(acc, mLen, nLen, 0, true);
                            }
                            qC.EnQue(acc);
                            CopyOut(m0, n0, mLen, nLen);
                        }
                    }

                private:
                %8$s
                    static __aicore__ inline int32_t Up16(int32_t x) { return (x + 15) / 16 * 16; }

                    __aicore__ inline void Zero(const AscendC::LocalTensor<T> &t, int32_t elements)
                    {
                        AscendC::InitConstValueParams<T> z;
                        z.repeatTimes = 1;
                        z.blockNum = (uint16_t)(elements * (int32_t)sizeof(T) / 32);
                        z.dstGap = 0;
                        z.initValue = (T)0;
                        AscendC::InitConstValue(t, z);
                    }

                    // GM (ND, row-major) -> L1 (NZ): fractal column blocks of 16 elements, rows padded to 16; the
                    // padding is zeroed first so that it adds nothing to the product.
                    __aicore__ inline void CopyIn(int64_t m0, int64_t n0, int64_t k0, int32_t mLen, int32_t nLen, int32_t kLen)
                    {
                        const int32_t mPad = Up16(mLen), nPad = Up16(nLen), kPad = Up16(kLen);
                        AscendC::LocalTensor<T> a1 = qA1.AllocTensor<T>();
                        if (mPad != mLen || kPad != kLen) Zero(a1, mPad * kPad);
                        AscendC::Nd2NzParams pa;
                        pa.ndNum = 1;
                        pa.nValue = (uint16_t)mLen;
                        pa.dValue = (uint16_t)kLen;
                        pa.srcNdMatrixStride = 0;
                        pa.srcDValue = (uint16_t)tiling.k;
                        pa.dstNzC0Stride = (uint16_t)mPad;
                        pa.dstNzNStride = 1;
                        pa.dstNzMatrixStride = 0;
                        AscendC::DataCopy(a1, %9$s[%10$s + m0 * tiling.k + k0], pa);
                        qA1.EnQue(a1);
                        AscendC::LocalTensor<T> b1 = qB1.AllocTensor<T>();
                        if (kPad != kLen || nPad != nLen) Zero(b1, kPad * nPad);
                        AscendC::Nd2NzParams pb;
                        pb.ndNum = 1;
                        pb.nValue = (uint16_t)kLen;
                        pb.dValue = (uint16_t)nLen;
                        pb.srcNdMatrixStride = 0;
                        pb.srcDValue = (uint16_t)tiling.n;
                        pb.dstNzC0Stride = (uint16_t)kPad;
                        pb.dstNzNStride = 1;
                        pb.dstNzMatrixStride = 0;
                        AscendC::DataCopy(b1, %11$s[%12$s + k0 * tiling.n + n0], pb);
                        qB1.EnQue(b1);
                    }

                    // L1 -> L0A as FRACTAL_ZZ (one row of fractals per LoadData) and L1 -> L0B as FRACTAL_ZN
                    // (fractals transposed on the way).
                    __aicore__ inline void Split(int32_t mLen, int32_t nLen, int32_t kLen)
                    {
                        const int32_t mBlocks = Up16(mLen) / 16, nBlocks = Up16(nLen) / 16, kBlocks = Up16(kLen) / 16;
                        AscendC::LocalTensor<T> a1 = qA1.DeQue<T>();
                        AscendC::LocalTensor<T> a2 = qA2.AllocTensor<T>();
                        for (int32_t i = 0; i < mBlocks; i++) {
                            AscendC::LoadData2DParams p;
                            p.startIndex = 0;
                            p.repeatTimes = (uint8_t)kBlocks;
                            p.srcStride = (uint16_t)mBlocks;
                            p.sid = 0;
                            p.dstGap = 0;
                            p.ifTranspose = false;
                            p.addrMode = 0;
                            AscendC::LoadData(a2[i * kBlocks * 256], a1[i * 256], p);
                        }
                        qA2.EnQue(a2);
                        qA1.FreeTensor(a1);
                        AscendC::LocalTensor<T> b1 = qB1.DeQue<T>();
                        AscendC::LocalTensor<T> b2 = qB2.AllocTensor<T>();
                        for (int32_t j = 0; j < kBlocks; j++) {
                            AscendC::LoadData2DParams p;
                            p.startIndex = 0;
                            p.repeatTimes = (uint8_t)nBlocks;
                            p.srcStride = (uint16_t)kBlocks;
                            p.sid = 0;
                            p.dstGap = 0;
                            p.ifTranspose = true;
                            p.addrMode = 0;
                            AscendC::LoadData(b2[j * nBlocks * 256], b1[j * 256], p);
                        }
                        qB2.EnQue(b2);
                        qB1.FreeTensor(b1);
                    }

                    __aicore__ inline void Compute(const AscendC::LocalTensor<float> &acc, int32_t mLen, int32_t nLen,
                                                   int32_t kLen, bool first)
                    {
                        AscendC::LocalTensor<T> a2 = qA2.DeQue<T>();
                        AscendC::LocalTensor<T> b2 = qB2.DeQue<T>();
                        AscendC::MmadParams p;
                        p.m = (uint16_t)mLen;
                        p.n = (uint16_t)nLen;
                        p.k = (uint16_t)(kLen == 0 ? 16 : Up16(kLen));  // zero-padded K: the padding adds 0
                        p.cmatrixInitVal = first;
                        p.cmatrixSource = false;
                        p.isBias = false;
                        AscendC::Mmad(acc, a2, b2, p);
                        qA2.FreeTensor(a2);
                        qB2.FreeTensor(b2);
                    }

                    // L0C (NZ, f32) -> workspace (ND, f32) through Fixpipe.
                    __aicore__ inline void CopyOut(int64_t m0, int64_t n0, int32_t mLen, int32_t nLen)
                    {
                        AscendC::LocalTensor<float> acc = qC.DeQue<float>();
                        AscendC::FixpipeParamsV220 p;
                        p.nSize = (uint16_t)nLen;
                        p.mSize = (uint16_t)mLen;
                        p.srcStride = (uint16_t)Up16(mLen);
                        p.dstStride = (uint32_t)tiling.n;
                        p.ndNum = 1;
                        p.srcNdStride = 0;
                        p.dstNdStride = 0;
                        p.quantPre = QuantMode_t::NoQuant;
                        AscendC::Fixpipe<float, float, AscendC::CFG_ROW_MAJOR>(%13$s[%14$s + m0 * tiling.n + n0], acc, p);
                        qC.FreeTensor(acc);
                    }

                    AscendC::TPipe pipe;
                    AscendC::TQue<AscendC::TPosition::A1, 2> qA1;
                    AscendC::TQue<AscendC::TPosition::B1, 2> qB1;
                    AscendC::TQue<AscendC::TPosition::A2, 2> qA2;
                    AscendC::TQue<AscendC::TPosition::B2, 2> qB2;
                    AscendC::TQue<AscendC::TPosition::CO1, 1> qC;
                %15$s    TesseraTiling tiling;
                    int64_t ax[%16$d] = {};
                };

                """).formatted(cls, BM, BN, BK, ty, Skeleton.params(env, args),
                        Skeleton.setGlobals(env, args, Set.of(), "", ""),
                        Skeleton.decoder("SetBatch", env, k.domain().axes(), batch).stripTrailing(),
                        a, aBase, b, bBase, c, cBase, Skeleton.globalMembers(env, args), k.domain().rank())
                + Skeleton.entry(k.name(), env, args, "KERNEL_TYPE_AIC_ONLY");
        return new KernelCode(k.name(), device, tiling(nb), args, "cube", l1, 0);
    }

    private TOp.Load load(dev.tessera.ir.tile.TValue v) {
        for (TInstr in : k.body()) {
            if (in.result().name().equals(v.name()) && in.op() instanceof TOp.Load l) {
                return l;
            }
        }
        throw new IllegalStateException("cube kernel " + k.name() + ": operand %" + v.name() + " is not a load");
    }

    private void check(String what, long need, long have) {
        if (need > have) {
            throw new CompileException(SourceSpan.UNKNOWN, "Ascend C cube kernel " + k.name() + ": its " + what
                    + " buffers need " + need + " bytes, more than the " + have + " bytes of one AI cube core");
        }
    }

    private List<String> args() {
        List<String> a = new ArrayList<>(k.reads());
        a.addAll(k.writes());
        return a;
    }

    private String tiling(int nb) {
        List<Dim> p = k.domain().parallel();
        return "inline TesseraTiling " + Skeleton.tilingFunction(k.name())
                + "(const int64_t *dims, uint32_t cores)\n{\n"
                + "    TesseraTiling t = tessera_tiling_base(dims, 0);\n"
                + "    t.batches = " + env.product(p.subList(0, nb), "t") + ";\n"
                + "    t.m = " + env.dim(p.get(nb), "t") + ";\n    t.n = " + env.dim(p.get(nb + 1), "t") + ";\n"
                + "    t.k = " + env.dim(k.domain().sweep().get(0), "t") + ";\n"
                + "    t.mTiles = (t.m + " + BM + " - 1) / " + BM + ";\n    t.nTiles = (t.n + " + BN + " - 1) / " + BN + ";\n"
                + "    // Nd2NzParams carries row strides as 16-bit element counts\n"
                + "    tessera_require(t.k <= 65535 && t.n <= 65535, \"" + Skeleton.symbol(k.name())
                + ": the cube path needs K and N <= 65535\");\n"
                + "    t.units = t.batches * t.mTiles * t.nTiles;\n    tessera_spread(&t, cores);\n    return t;\n}\n";
    }
}
