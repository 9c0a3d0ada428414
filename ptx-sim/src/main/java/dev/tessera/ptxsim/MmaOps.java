package dev.tessera.ptxsim;

import dev.tessera.ptxsim.Ast.Space;
import java.util.List;

/**
 * Warp-level matrix instructions: mma.sync.aligned m16n8k16 and m16n8k8 with .f16 or .bf16
 * multiplicands (f32 accumulators, or f16 ones for f16 inputs), and ldmatrix m8n8 .x1/.x2/.x4
 * (optionally .trans), with the fragment layouts of the PTX ISA.
 *
 * <p>The products are summed exactly and rounded once to the accumulator type; tensor cores round
 * their internal sums in an unspecified way, so results may differ from hardware in the last bits.
 */
final class MmaOps {

    private MmaOps() {}

    static Insn.Op compile(String op, Mods m, Linker l) {
        if (!m.has("sync") || !m.has("aligned")) {
            throw l.error(op + " needs .sync.aligned");
        }
        return op.equals("mma") ? mma(m, l) : ldmatrix(m, l);
    }

    /** An aligned collective: the whole warp takes part. */
    private abstract static class WholeWarp implements Insn.Collective {
        @Override
        public int memberMask(ThreadCtx t) {
            return -1;
        }

        @Override
        public boolean aligned() {
            return true;
        }
    }

    private static Insn.Op mma(Mods m, Linker l) {
        String shape = m.oneOf("m16n8k16", "m16n8k8");
        if (shape == null) {
            throw l.error("supported mma shapes are .m16n8k16 and .m16n8k8");
        }
        if (!m.has("row") || !m.has("col")) {
            throw l.error("mma needs .row.col layouts");
        }
        List<PtxType> ts = m.types();
        if (ts.size() != 4) {
            throw l.error("mma needs .dtype.atype.btype.ctype");
        }
        PtxType dt = ts.get(0);
        PtxType at = ts.get(1);
        PtxType bt = ts.get(2);
        PtxType ct = ts.get(3);
        boolean inputsOk = at == bt && (at == PtxType.F16 || at == PtxType.BF16);
        boolean accOk = (dt == PtxType.F32 || dt == PtxType.F16 && at == PtxType.F16)
                && (ct == PtxType.F32 || ct == PtxType.F16 && at == PtxType.F16);
        if (!inputsOk || !accOk) {
            throw l.error("unsupported mma types " + dt.spelling() + at.spelling() + bt.spelling() + ct.spelling());
        }
        int k = shape.equals("m16n8k16") ? 16 : 8;
        List<Ast.Operand> ops = l.operands(4);
        Dst[] d = dsts(ops.get(0), dt == PtxType.F32 ? 4 : 2, dt == PtxType.F32 ? PtxType.F32 : PtxType.B32, l);
        Src[] a = srcs(ops.get(1), k == 16 ? 4 : 2, PtxType.B32, l);
        Src[] b = srcs(ops.get(2), k == 16 ? 2 : 1, PtxType.B32, l);
        Src[] c = srcs(ops.get(3), ct == PtxType.F32 ? 4 : 2, ct == PtxType.F32 ? PtxType.F32 : PtxType.B32, l);
        Fp.Format in = at == PtxType.F16 ? Fp.Format.F16 : Fp.Format.BF16;
        return new Insn.WarpSync(new WholeWarp() {
            @Override
            public void execute(ThreadCtx[] lanes, int arrived) {
                double[][] am = new double[16][k];
                double[][] bm = new double[k][8];
                double[][] cm = new double[16][8];
                for (int lane = 0; lane < 32; lane++) {
                    ThreadCtx t = lanes[lane];
                    int g = lane >>> 2;
                    int tig = lane & 3;
                    for (int i = 0; i < 2 * a.length; i++) {
                        int row = g + (k == 16 ? ((i & 2) != 0 ? 8 : 0) : (i >= 2 ? 8 : 0));
                        int col = 2 * tig + (i & 1) + (k == 16 && i >= 4 ? 8 : 0);
                        am[row][col] = half(a[i / 2].get(t), i & 1, in);
                    }
                    for (int i = 0; i < 2 * b.length; i++) {
                        bm[2 * tig + (i & 1) + (i >= 2 ? 8 : 0)][g] = half(b[i / 2].get(t), i & 1, in);
                    }
                    for (int i = 0; i < 4; i++) {
                        cm[g + (i >= 2 ? 8 : 0)][2 * tig + (i & 1)] = ct == PtxType.F32 ? Fp.f32(c[i].get(t))
                                : half(c[i / 2].get(t), i & 1, Fp.Format.F16);
                    }
                }
                for (int lane = 0; lane < 32; lane++) {
                    ThreadCtx t = lanes[lane];
                    int g = lane >>> 2;
                    int tig = lane & 3;
                    long[] out = new long[4];
                    for (int i = 0; i < 4; i++) {
                        int row = g + (i >= 2 ? 8 : 0);
                        int col = 2 * tig + (i & 1);
                        out[i] = dot(am[row], bm, col, cm[row][col], dt);
                    }
                    if (dt == PtxType.F32) {
                        for (int i = 0; i < 4; i++) {
                            d[i].write(t, out[i]);
                        }
                    } else {
                        d[0].write(t, out[1] << 16 | out[0]);
                        d[1].write(t, out[3] << 16 | out[2]);
                    }
                }
            }
        });
    }

    /** One output element: exact sum of products plus the accumulator, rounded once. */
    private static long dot(double[] aRow, double[][] bm, int col, double c, PtxType dt) {
        java.math.BigDecimal sum = new java.math.BigDecimal(c);
        boolean special = c != c || Double.isInfinite(c);
        double naive = c;
        for (int kk = 0; kk < aRow.length; kk++) {
            double p = aRow[kk] * bm[kk][col]; // exact: at most 11-bit significands
            naive += p;
            if (p != p || Double.isInfinite(p)) {
                special = true;
            } else if (!special) {
                sum = sum.add(new java.math.BigDecimal(p));
            }
        }
        if (special) {
            // infinities and NaNs propagate as in any sum; their order does not matter
            return dt == PtxType.F32 ? Fp.bitsF32((float) naive) : naive != naive ? Fp.CANONICAL_NAN_16
                    : Fp.narrow(naive, Fp.Format.F16, Fp.Rnd.RN);
        }
        double exact = sum.doubleValue();
        int s = sum.compareTo(new java.math.BigDecimal(exact));
        double err = s == 0 ? 0 : s > 0 ? Double.MIN_VALUE : -Double.MIN_VALUE;
        Fp.Format out = dt == PtxType.F32 ? Fp.Format.F32 : Fp.Format.F16;
        return Fp.narrowPair(exact, err, out, Fp.Rnd.RN);
    }

    private static double half(long reg, int which, Fp.Format fmt) {
        long h = (reg >>> (16 * which)) & 0xffff;
        return HalfOps.decode(h, fmt);
    }

    private static Insn.Op ldmatrix(Mods m, Linker l) {
        if (!m.has("m8n8")) {
            throw l.error("only ldmatrix .m8n8 is supported");
        }
        String num = m.oneOf("x1", "x2", "x4");
        if (num == null) {
            throw l.error("ldmatrix needs .x1, .x2 or .x4");
        }
        boolean trans = m.has("trans");
        Space space = m.space();
        if (space != Space.SHARED && space != Space.GENERIC) {
            throw l.error("ldmatrix reads shared memory");
        }
        if (m.type() != PtxType.B16) {
            throw l.error("only ldmatrix .b16 is supported");
        }
        int n = num.charAt(1) - '0';
        List<Ast.Operand> ops = l.operands(2);
        Dst[] d = dsts(ops.get(0), n, PtxType.B32, l);
        Address addr = l.address(ops.get(1), space);
        return new Insn.WarpSync(new WholeWarp() {
            @Override
            public void execute(ThreadCtx[] lanes, int arrived) {
                // rows[j][r][c]: element c of row r of matrix j, row r's address from lane 8j + r
                long[][][] rows = new long[n][8][8];
                for (int j = 0; j < n; j++) {
                    for (int r = 0; r < 8; r++) {
                        ThreadCtx src = lanes[8 * j + r];
                        long base = addr.get(src);
                        Memory.checkAlign(space, base, 16);
                        for (int c = 0; c < 8; c++) {
                            rows[j][r][c] = Memory.load(src, space, base + 2L * c, 2);
                        }
                    }
                }
                for (int lane = 0; lane < 32; lane++) {
                    int g = lane >>> 2;
                    int tig = lane & 3;
                    for (int j = 0; j < n; j++) {
                        long lo = trans ? rows[j][2 * tig][g] : rows[j][g][2 * tig];
                        long hi = trans ? rows[j][2 * tig + 1][g] : rows[j][g][2 * tig + 1];
                        d[j].write(lanes[lane], hi << 16 | lo);
                    }
                }
            }
        });
    }

    private static Dst[] dsts(Ast.Operand op, int n, PtxType t, Linker l) {
        if (!(op instanceof Ast.Vec v) || v.elems().size() != n) {
            throw l.error("expected a vector of " + n + " destination registers");
        }
        Dst[] out = new Dst[n];
        for (int i = 0; i < n; i++) {
            out[i] = l.dst(v.elems().get(i), t);
        }
        return out;
    }

    private static Src[] srcs(Ast.Operand op, int n, PtxType t, Linker l) {
        if (!(op instanceof Ast.Vec v) || v.elems().size() != n) {
            throw l.error("expected a vector of " + n + " source registers");
        }
        Src[] out = new Src[n];
        for (int i = 0; i < n; i++) {
            out[i] = l.src(v.elems().get(i), t);
        }
        return out;
    }
}
