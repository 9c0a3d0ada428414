package dev.tessera.codegen.ptx;

import static dev.tessera.codegen.ptx.MathTables.*;

import dev.tessera.ir.loop.LType;

/**
 * exp, log, tanh and erf in f32 and f64, emitted inline. PTX's own approximations are either missing (f64)
 * or, used naively, too coarse for the reference's tolerance (1e-4 relative for f32, 1e-12 for f64), so each
 * routine reduces its argument exactly and evaluates a polynomial or continued fraction whose truncation
 * error is far below the tolerance. Error bounds (also in docs/ptx.md; checked in FloatMathModelTest by
 * evaluating the same steps in Java):
 *
 * <ul>
 *   <li>exp f32: Cody-Waite reduction x = n ln2 + r, then {@code ex2.approx.ftz.f32} of r log2(e) in
 *       [-1/2, 1/2]: the instruction's own error (NVIDIA documents about 2 ulp) plus under 1 ulp from the
 *       reduction, for every normal result. {@code ex2.approx} of x log2(e) directly would add an error
 *       growing with |x| (the rounding of the product: 8 ulp at |x| = 80).
 *   <li>exp f64: the same reduction and a degree-13 Taylor polynomial (truncation 4e-18): a few ulp.
 *   <li>log: x = 2^e m with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh((m-1)/(m+1)) as an odd series (2e-9
 *       relative truncation in f32, 1e-18 in f64): a few ulp everywhere. {@code lg2.approx.f32} is not
 *       used: its error is absolute (about 2^-22) near x = 1, which is a large relative error of a small log.
 *   <li>tanh: a Taylor polynomial for small |x| (below 0.55 in f32, 0.3 in f64), else
 *       1 - 2/(exp(2|x|)+1) with the sign of x; a few ulp. {@code tanh.approx.f32} has a relative error
 *       near 2^-11, too large for 1e-4.
 *   <li>erf: the Maclaurin series below 1.5 (f32) or 2 (f64); above, 1 - erfc with erfc from its continued
 *       fraction (16 terms, approximate division in f32; 64 terms in f64); 1 beyond 4.5 (f32) or 6 (f64).
 *       At most a few ulp of erf (the series loses under 4 bits to cancellation at its upper end).
 * </ul>
 */
final class FloatMath {

    private static final LType F = LType.F32;
    private static final LType D = LType.F64;
    private static final LType I = LType.I32;

    private final PtxCode code;

    FloatMath(PtxCode code) {
        this.code = code;
    }

    Val exp(Val x) {
        return x.type() == F ? exp32(x) : exp64(x);
    }

    Val log(Val x) {
        return x.type() == F ? log32(x) : log64(x);
    }

    Val tanh(Val x) {
        LType t = x.type();
        boolean f32 = t == F;
        String s = sfx(t);
        Val a = op("abs" + s, t, x);
        // Small |x|: x + x^3 (a3 + x^2 (a5 + ...)), no cancellation.
        Val x2 = op("mul.rn" + s, t, x, x);
        double[] c = f32 ? TANH_F32 : TANH_F64;
        Val p = horner(x2, c, 1);
        Val x3 = op("mul.rn" + s, t, x, x2);
        // The sign of x, also for -0 (x^3 P is smaller than x, so it never changes the sign otherwise).
        Val small = op("copysign" + s, t, x, op("fma.rn" + s, t, x3, p, x));
        // Larger |x|: 1 - 2/(e^(2|x|) + 1) is accurate once the result is not small; e^(2|x|) = inf gives 1.
        Val e = exp(op("add.rn" + s, t, a, a));
        Val d = op("add.rn" + s, t, e, k(t, 1));
        Val q = op("div.rn" + s, t, k(t, 2), d);
        Val l = op("sub.rn" + s, t, k(t, 1), q);
        Val large = op("copysign" + s, t, x, l);
        Val isSmall = op("setp.lt" + s, LType.BOOL, a, k(t, f32 ? TANH_SMALL_F32 : TANH_SMALL_F64));
        // NaN compares false, takes the exp branch, and stays NaN.
        return op("selp" + s, t, small, large, isSmall);
    }

    Val erf(Val x) {
        return x.type() == F ? erf32(x) : erf64(x);
    }

    // exp

    private Val exp32(Val x) {
        // Clamp where the result is 0 or inf anyway, so n stays small; the .NaN forms keep a NaN a NaN.
        Val lo = op("max.NaN.f32", F, x, k(F, -104));
        Val xc = op("min.NaN.f32", F, lo, k(F, 89));
        Val t = op("mul.rn.f32", F, xc, k(F, LOG2E));
        Val fn = op("cvt.rni.f32.f32", F, t);
        Val n = op("cvt.rzi.s32.f32", I, fn);
        Val r1 = op("fma.rn.f32", F, fn, k(F, -LN2_HI_F), xc);
        Val r = op("fma.rn.f32", F, fn, k(F, -LN2_LO_F), r1);
        Val f = op("mul.rn.f32", F, r, k(F, LOG2E));
        Val p = op("ex2.approx.ftz.f32", F, f);
        return scale(p, n);
    }

    private Val exp64(Val x) {
        Val lo = op("max.f64", D, x, k(D, -746));
        Val xc = op("min.f64", D, lo, k(D, 710));
        Val t = op("mul.rn.f64", D, xc, k(D, LOG2E));
        Val fn = op("cvt.rni.f64.f64", D, t);
        Val n = op("cvt.rzi.s32.f64", I, fn);
        Val r1 = op("fma.rn.f64", D, fn, k(D, -LN2_HI_D), xc);
        Val r = op("fma.rn.f64", D, fn, k(D, -LN2_LO_D), r1);
        Val p = horner(r, EXP_F64, 0);
        Val res = scale(p, n);
        // min/max.f64 drop NaN operands, so a NaN argument is put back here.
        Val nan = op("setp.nan.f64", LType.BOOL, x, x);
        return op("selp.f64", D, x, res, nan);
    }

    /**
     * p * 2^n in two exact power-of-two steps, so that 2^n need not be representable itself: the result
     * overflows to inf or underflows gradually (one rounding) exactly as the true value does.
     */
    private Val scale(Val p, Val n) {
        Val n1 = op("shr.s32", I, n, 1);
        Val n2 = op("sub.s32", I, n, n1);
        String s = sfx(p.type());
        Val q = op("mul.rn" + s, p.type(), p, pow2(p.type(), n1));
        return op("mul.rn" + s, p.type(), q, pow2(p.type(), n2));
    }

    /** 2^n for n in the normal exponent range, built from its bits. */
    private Val pow2(LType t, Val n) {
        if (t == F) {
            Val e = op("add.s32", I, n, 127);
            Val bits = op("shl.b32", I, e, 23);
            return op("mov.b32", F, bits);
        }
        Val e = op("add.s32", I, n, 1023);
        Val wide = op("cvt.s64.s32", LType.I64, e);
        Val bits = op("shl.b64", LType.I64, wide, 52);
        return op("mov.b64", D, bits);
    }

    // log

    private Val log32(Val x) {
        // Subnormals are scaled into the normal range first, so the exponent field tells the exponent.
        Val tiny = op("setp.lt.f32", LType.BOOL, x, k(F, 0x1p-126));
        Val scaled = op("mul.rn.f32", F, x, k(F, 0x1p23));
        Val xs = op("selp.f32", F, scaled, x, tiny);
        Val bias = op("selp.s32", I, -23, 0, tiny);
        Val bits = op("mov.b32", I, xs);
        // k such that m = xs / 2^k lies in [sqrt(1/2), sqrt(2)): subtract sqrt(1/2)'s bits, keep the exponent.
        Val shifted = op("sub.s32", I, bits, Float.floatToRawIntBits((float) Math.sqrt(0.5)));
        Val kk = op("shr.s32", I, shifted, 23);
        Val kbits = op("shl.b32", I, kk, 23);
        Val m = op("mov.b32", F, op("sub.s32", I, bits, kbits));
        Val e = op("cvt.rn.f32.s32", F, op("add.s32", I, kk, bias));
        return logTail(x, m, e, LOG_F32, LN2_HI_F, LN2_LO_F);
    }

    private Val log64(Val x) {
        LType L = LType.I64;
        Val tiny = op("setp.lt.f64", LType.BOOL, x, k(D, 0x1p-1022));
        Val scaled = op("mul.rn.f64", D, x, k(D, 0x1p54));
        Val xs = op("selp.f64", D, scaled, x, tiny);
        Val bias = op("selp.s32", I, -54, 0, tiny);
        Val bits = op("mov.b64", L, xs);
        Val shifted = op("sub.s64", L, bits, Double.doubleToRawLongBits(Math.sqrt(0.5)));
        Val kk = op("shr.s64", L, shifted, 52);
        Val kbits = op("shl.b64", L, kk, 52);
        Val m = op("mov.b64", D, op("sub.s64", L, bits, kbits));
        Val k32 = op("cvt.u32.u64", I, kk);
        Val e = op("cvt.rn.f64.s32", D, op("add.s32", I, k32, bias));
        return logTail(x, m, e, LOG_F64, LN2_HI_D, LN2_LO_D);
    }

    /** log x = e ln2 + log m, then the special cases: log 0 = -inf, log inf = inf, log of x < 0 or NaN = NaN. */
    private Val logTail(Val x, Val m, Val e, double[] series, double ln2Hi, double ln2Lo) {
        LType t = x.type();
        String s = sfx(t);
        Val num = op("sub.rn" + s, t, m, k(t, 1)); // exact: m is within a factor 2 of 1
        Val den = op("add.rn" + s, t, m, k(t, 1));
        Val f = op("div.rn" + s, t, num, den);
        Val sq = op("mul.rn" + s, t, f, f);
        Val p = horner(sq, series, 0);
        Val f2 = op("add.rn" + s, t, f, f);
        Val sp = op("mul.rn" + s, t, sq, p);
        Val logm = op("fma.rn" + s, t, f2, sp, f2);
        Val low = op("fma.rn" + s, t, e, k(t, ln2Lo), logm);
        Val res = op("fma.rn" + s, t, e, k(t, ln2Hi), low);
        Val isInf = op("setp.eq" + s, LType.BOOL, x, k(t, Double.POSITIVE_INFINITY));
        res = op("selp" + s, t, x, res, isInf);
        Val isZero = op("setp.eq" + s, LType.BOOL, x, k(t, 0));
        res = op("selp" + s, t, k(t, Double.NEGATIVE_INFINITY), res, isZero);
        // ltu: less than, or unordered (a NaN operand).
        Val bad = op("setp.ltu" + s, LType.BOOL, x, k(t, 0));
        return op("selp" + s, t, k(t, Double.NaN), res, bad);
    }

    // erf

    private Val erf32(Val x) {
        Val a = op("abs.f32", F, x);
        Val series = op("mul.rn.f32", F, x, horner(op("mul.rn.f32", F, x, x), ERF_F32, 0));
        // 1 - erfc(a), erfc(a) = e^(-a^2)/sqrt(pi) / (a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))), from the tail.
        // The continued fraction converges fast here; 2-ulp divisions (div.full) are ample for its terms.
        Val ac = op("min.NaN.f32", F, a, k(F, ERF_ONE_F32));
        Val tail = ac;
        for (int n = ERF_CF_TERMS_F32; n >= 1; n--) {
            tail = op("add.rn.f32", F, ac, op("div.full.f32", F, k(F, n / 2.0), tail));
        }
        Val erfc = op("div.rn.f32", F, op("mul.rn.f32", F, erfcNumerator(ac), k(F, ONE_OVER_SQRT_PI)), tail);
        Val cf = op("copysign.f32", F, x, op("sub.rn.f32", F, k(F, 1), erfc));
        Val useSeries = op("setp.lt.f32", LType.BOOL, a, k(F, ERF_SERIES_F32));
        return op("selp.f32", F, series, cf, useSeries);
    }

    private Val erf64(Val x) {
        Val result = code.fresh(D);
        String cfLabel = code.label("erf_cf");
        String done = code.label("erf_done");
        Val a = op("abs.f64", D, x);
        Val useSeries = op("setp.lt.f64", LType.BOOL, a, k(D, ERF_SERIES_F64));
        code.branchIf(useSeries.text(), true, cfLabel);
        Val series = op("mul.rn.f64", D, x, horner(op("mul.rn.f64", D, x, x), ERF_F64, 0));
        code.op("mov.f64", result, series);
        code.branch(done);
        code.place(cfLabel);
        // 64 terms as a loop: the numerator n/2 counts down from 32 to 1/2.
        Val ac = op("min.f64", D, a, k(D, ERF_ONE_F64));
        Val tail = op("mov.f64", D, ac);
        Val half = op("mov.f64", D, k(D, ERF_CF_TERMS_F64 / 2.0));
        String loop = code.label("erf_cf_loop");
        code.place(loop);
        Val q = op("div.rn.f64", D, half, tail);
        code.op("add.rn.f64", tail, ac, q);
        code.op("sub.rn.f64", half, half, k(D, 0.5));
        Val more = op("setp.gt.f64", LType.BOOL, half, k(D, 0));
        code.branchIf(more.text(), false, loop);
        Val erfc = op("div.rn.f64", D, op("mul.rn.f64", D, erfcNumerator(ac), k(D, ONE_OVER_SQRT_PI)), tail);
        Val cf = op("copysign.f64", D, x, op("sub.rn.f64", D, k(D, 1), erfc));
        // min.f64 dropped a NaN argument; put it back.
        Val nan = op("setp.nan.f64", LType.BOOL, x, x);
        code.op("selp.f64", result, x, cf, nan);
        code.place(done);
        return result;
    }

    private Val erfcNumerator(Val a) {
        String s = sfx(a.type());
        Val sq = op("mul.rn" + s, a.type(), a, a);
        return exp(op("neg" + s, a.type(), sq));
    }

    // helpers

    /** c[from] + y (c[from+1] + y (...)), evaluated from the highest coefficient with fma. */
    private Val horner(Val y, double[] c, int from) {
        LType t = y.type();
        String s = sfx(t);
        Val p = k(t, c[c.length - 1]);
        for (int i = c.length - 2; i >= from; i--) {
            p = op("fma.rn" + s, t, p, y, k(t, c[i]));
        }
        return p;
    }

    private Val op(String opcode, LType result, Object... sources) {
        Val d = code.fresh(result);
        Object[] operands = new Object[sources.length + 1];
        operands[0] = d;
        System.arraycopy(sources, 0, operands, 1, sources.length);
        code.op(opcode, operands);
        return d;
    }

    private static Val k(LType t, double v) {
        return PtxTypes.constant(t, v);
    }

    private static String sfx(LType t) {
        return PtxTypes.arith(t);
    }
}
