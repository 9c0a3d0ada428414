package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.InstructionSet.simple;

import java.util.List;

/**
 * Arithmetic on .f16, .bf16 and their packed pairs .f16x2/.bf16x2 (lane 0 in bits 0..15): add, sub,
 * mul, fma, min, max, neg, abs. Results are computed exactly and rounded once to the 16-bit format.
 */
final class HalfOps {

    private HalfOps() {}

    private enum Kind { ADD, SUB, MUL, FMA, MIN, MAX, NEG, ABS }

    static Insn.Op compile(String op, Mods m, Linker l) {
        Kind kind = switch (op) {
            case "add" -> Kind.ADD;
            case "sub" -> Kind.SUB;
            case "mul" -> Kind.MUL;
            case "fma" -> Kind.FMA;
            case "min" -> Kind.MIN;
            case "max" -> Kind.MAX;
            case "neg" -> Kind.NEG;
            case "abs" -> Kind.ABS;
            default -> throw l.error(op + " is not supported for 16-bit floating-point types");
        };
        Fp.Rnd rnd = m.rounding(kind == Kind.FMA ? null : Fp.Rnd.RN);
        if (rnd != Fp.Rnd.RN) {
            throw l.error("16-bit floating-point arithmetic supports only .rn");
        }
        boolean ftz = m.has("ftz");
        boolean sat = m.has("sat");
        boolean relu = m.has("relu");
        boolean nan = m.has("NaN");
        boolean xorsign = m.has("xorsign");
        if (xorsign != m.has("abs")) {
            throw l.error(".xorsign and .abs must be used together");
        }
        PtxType t = m.type();
        boolean bf = t == PtxType.BF16 || t == PtxType.BF16X2;
        boolean pair = t == PtxType.F16X2 || t == PtxType.BF16X2;
        if (bf && (ftz || sat)) {
            throw l.error(".ftz and .sat are not defined for bf16");
        }
        if (sat && relu || relu && kind != Kind.FMA || sat && kind.ordinal() > Kind.FMA.ordinal()
                || (nan || xorsign) && kind != Kind.MIN && kind != Kind.MAX) {
            throw l.error("modifier not valid for " + op);
        }
        int n = kind == Kind.FMA ? 3 : kind == Kind.NEG || kind == Kind.ABS ? 1 : 2;
        List<Ast.Operand> ops = l.operands(n + 1);
        PtxType regType = pair ? PtxType.B32 : PtxType.B16;
        Dst d = l.dst(ops.get(0), regType);
        Src a = l.src(ops.get(1), regType);
        Src b = n > 1 ? l.src(ops.get(2), regType) : null;
        Src c = n > 2 ? l.src(ops.get(3), regType) : null;
        Fp.Format fmt = bf ? Fp.Format.BF16 : Fp.Format.F16;
        Lane lane = (x, y, z) -> apply(kind, fmt, x, y, z, ftz, sat, relu, nan, xorsign);
        if (pair) {
            return simple(th -> {
                long av = a.get(th);
                long bv = b == null ? 0 : b.get(th);
                long cv = c == null ? 0 : c.get(th);
                long lo = lane.apply(av & 0xffff, bv & 0xffff, cv & 0xffff);
                long hi = lane.apply(av >>> 16 & 0xffff, bv >>> 16 & 0xffff, cv >>> 16 & 0xffff);
                d.write(th, hi << 16 | lo);
            });
        }
        return simple(th -> d.write(th, lane.apply(a.get(th) & 0xffff, b == null ? 0 : b.get(th) & 0xffff,
                c == null ? 0 : c.get(th) & 0xffff)));
    }

    @FunctionalInterface
    private interface Lane {
        long apply(long a, long b, long c);
    }

    static double decode(long h, Fp.Format fmt) {
        return fmt == Fp.Format.F16 ? Fp.f16ToF32(h) : Fp.bf16ToF32(h);
    }

    private static long flush(long h, boolean ftz) {
        // f16 subnormals have a zero exponent field and a nonzero fraction
        return ftz && (h & 0x7c00) == 0 && (h & 0x3ff) != 0 ? h & 0x8000 : h;
    }

    private static long apply(Kind k, Fp.Format fmt, long ha, long hb, long hc, boolean ftz, boolean sat,
                              boolean relu, boolean nan, boolean xorsign) {
        ha = flush(ha, ftz);
        hb = flush(hb, ftz);
        hc = flush(hc, ftz);
        if (k == Kind.NEG) {
            return flush(ha ^ 0x8000, ftz);
        }
        if (k == Kind.ABS) {
            return flush(ha & 0x7fff, ftz);
        }
        double a = decode(ha, fmt);
        double b = decode(hb, fmt);
        long r;
        if (k == Kind.MIN || k == Kind.MAX) {
            boolean sign = xorsign && ((ha ^ hb) & 0x8000) != 0;
            if (xorsign) {
                a = Math.abs(a);
                b = Math.abs(b);
            }
            double v = FloatOps.pick(a, b, k == Kind.MAX, nan);
            r = v != v ? Fp.CANONICAL_NAN_16 : Fp.narrow(v, fmt, Fp.Rnd.RN);
            if (xorsign && v == v) {
                r = sign ? r | 0x8000 : r & 0x7fff;
            }
            return flush(r, ftz);
        }
        double s;
        double err;
        switch (k) {
            case ADD, SUB -> {
                double bb = k == Kind.SUB ? -b : b;
                s = a + bb;
                err = Fp.twoSumError(a, bb, s);
            }
            case MUL -> {
                s = a * b; // exact: 11- or 8-bit significands
                err = 0;
            }
            default -> {
                double p = a * b;
                double cv = decode(hc, fmt);
                s = p + cv;
                err = Fp.twoSumError(p, cv, s);
            }
        }
        if (s != s) {
            return Fp.CANONICAL_NAN_16;
        }
        r = Fp.narrowPair(s, err, fmt, Fp.Rnd.RN);
        double rounded = decode(r, fmt);
        if (sat) {
            r = Fp.narrow(Fp.saturate(rounded), fmt, Fp.Rnd.RN);
        } else if (relu && rounded < 0) {
            r = 0;
        }
        return flush(r, ftz);
    }
}
