package dev.tessera.codegen.ptx;

import dev.tessera.ir.loop.LType;

/**
 * The float remainder (C's {@code fmod}, Java's {@code %}), which PTX lacks: exact, by binary long division
 * of the significands. With x = mx 2^ex and y = my 2^ey (integer significands), subtract my from mx where
 * it fits and shift mx left, once per exponent step from ex down to ey; what is left is the remainder's
 * significand. At most 277 steps for f32 and 2100 for f64, each a few integer instructions; the result is
 * exact, as fmod's always is. fmod(x, 0), fmod(inf, y) and NaN operands give NaN; |x| < |y| gives x.
 */
final class FloatRem {

    private final PtxCode code;

    FloatRem(PtxCode code) {
        this.code = code;
    }

    Val rem(Val x, Val y) {
        LType ft = x.type();
        boolean f32 = ft == LType.F32;
        LType it = f32 ? LType.I32 : LType.I64;
        String b = f32 ? ".b32" : ".b64";
        String s = f32 ? ".s32" : ".s64";
        String u = f32 ? ".u32" : ".u64";
        int mantBits = f32 ? 23 : 52;
        int width = f32 ? 32 : 64;
        long sign = f32 ? 0x8000_0000L : Long.MIN_VALUE;
        long inf = f32 ? 0x7F80_0000L : 0x7FF0_0000_0000_0000L;
        long mantMask = (1L << mantBits) - 1;
        long implicit = 1L << mantBits;

        Val result = code.fresh(ft);
        String done = code.label("fmod_done");
        String small = code.label("fmod_small");
        String loop = code.label("fmod_loop");
        String tail = code.label("fmod_tail");

        Val ux = op("mov" + b, it, x);
        Val uy = op("mov" + b, it, y);
        Val sx = op("and" + b, it, ux, lit(f32, sign));
        Val ax = op("and" + b, it, ux, lit(f32, ~sign));
        Val ay = op("and" + b, it, uy, lit(f32, ~sign));
        // y = 0, x not finite, or y NaN (bit patterns of non-negative floats order like their values).
        Val bad = op("setp.eq" + b, LType.BOOL, ay, 0);
        code.op("setp.ge.or" + u, bad, ax, lit(f32, inf), bad);
        code.op("setp.gt.or" + u, bad, ay, lit(f32, inf), bad);
        code.op("mov" + PtxTypes.bits(ft), result, PtxTypes.constant(ft, Double.NaN));
        code.branchIf(bad.text(), false, done);
        Val less = op("setp.lt" + u, LType.BOOL, ax, ay);
        code.branchIf(less.text(), false, small);

        Val[] xs = significand(ax, f32, mantBits, width, mantMask, implicit);
        Val[] ys = significand(ay, f32, mantBits, width, mantMask, implicit);
        Val mx = xs[0];
        Val ex = xs[1];
        Val my = ys[0];
        Val ey = ys[1];

        code.place(loop);
        Val reached = op("setp.le.s32", LType.BOOL, ex, ey);
        code.branchIf(reached.text(), false, tail);
        subtractIfFits(mx, my, it, s, b);
        code.op("shl" + b, mx, mx, 1);
        code.op("sub.s32", ex, ex, 1);
        code.branch(loop);

        code.place(tail);
        subtractIfFits(mx, my, it, s, b);
        // Renormalise: the remainder's leading bit back to the implicit-bit position.
        Val lz = op("clz" + b, LType.I32, mx);
        Val shift = op("sub.s32", LType.I32, lz, width - 1 - mantBits);
        Val zero = op("setp.eq" + b, LType.BOOL, mx, 0);
        code.op("selp.b32", shift, 0, shift, zero);
        code.op("shl" + b, mx, mx, shift);
        code.op("sub.s32", ex, ex, shift);
        // Normal: exponent field and fraction; subnormal (ex <= 0): the significand shifted down, exactly.
        Val exw = f32 ? ex : op("cvt.s64.s32", it, ex);
        Val field = op("shl" + b, it, exw, mantBits);
        Val frac = op("and" + b, it, mx, lit(f32, mantMask));
        Val normal = op("or" + b, it, field, frac);
        Val down = op("sub.s32", LType.I32, 1, ex);
        Val sub = op("shr" + u, it, mx, down);
        Val isNormal = op("setp.gt.s32", LType.BOOL, ex, 0);
        Val bits = op("selp" + b, it, normal, sub, isNormal);
        code.op("selp" + b, bits, 0, bits, zero);
        Val signed = op("or" + b, it, bits, sx);
        code.op("mov" + b, result, signed);
        code.branch(done);

        code.place(small);
        code.op("mov" + PtxTypes.bits(ft), result, x);
        code.place(done);
        return result;
    }

    /** The integer significand (implicit bit made explicit, subnormals normalised) and the biased exponent. */
    private Val[] significand(Val abs, boolean f32, int mantBits, int width, long mantMask, long implicit) {
        LType it = f32 ? LType.I32 : LType.I64;
        String b = f32 ? ".b32" : ".b64";
        Val expWide = op("shr" + (f32 ? ".u32" : ".u64"), it, abs, mantBits);
        Val e = f32 ? expWide : op("cvt.u32.u64", LType.I32, expWide);
        Val m = op("and" + b, it, abs, lit(f32, mantMask));
        Val normalM = op("or" + b, it, m, lit(f32, implicit));
        // A subnormal's leading bit is moved up to the implicit position; its exponent goes below 1 to match.
        Val lz = op("clz" + b, LType.I32, m);
        Val shift = op("sub.s32", LType.I32, lz, width - 1 - mantBits);
        Val subM = op("shl" + b, it, m, shift);
        Val subE = op("sub.s32", LType.I32, 1, shift);
        Val isSub = op("setp.eq.s32", LType.BOOL, e, 0);
        Val mm = op("selp" + b, it, subM, normalM, isSub);
        Val ee = op("selp.b32", LType.I32, subE, e, isSub);
        return new Val[] {mm, ee};
    }

    private void subtractIfFits(Val mx, Val my, LType it, String s, String b) {
        Val diff = op("sub" + s, it, mx, my);
        Val fits = op("setp.ge" + s, LType.BOOL, diff, 0);
        code.op("selp" + b, mx, diff, mx, fits);
    }

    private static String lit(boolean f32, long v) {
        return f32 ? "0x" + Integer.toHexString((int) v).toUpperCase() : "0x" + Long.toHexString(v).toUpperCase();
    }

    private Val op(String opcode, LType result, Object... sources) {
        Val d = code.fresh(result);
        Object[] operands = new Object[sources.length + 1];
        operands[0] = d;
        System.arraycopy(sources, 0, operands, 1, sources.length);
        code.op(opcode, operands);
        return d;
    }
}
