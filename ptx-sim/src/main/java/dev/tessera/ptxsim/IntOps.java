package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.InstructionSet.simple;

import java.util.List;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/** Integer arithmetic, logic, shift and bit-manipulation instructions, at 16, 32 and 64 bits (and .pred logic). */
final class IntOps {

    private IntOps() {}

    static Insn.Op compile(String op, Mods m, Linker l) {
        return switch (op) {
            case "add" -> addSub(m, l, false);
            case "sub" -> addSub(m, l, true);
            case "mul" -> mul(m, l);
            case "mad" -> mad(m, l);
            case "mul24", "mad24" -> mul24(op.equals("mad24"), m, l);
            case "div", "rem" -> divRem(op.equals("rem"), m, l);
            case "min", "max" -> minMax(op.equals("max"), m, l);
            case "neg", "abs" -> {
                PtxType t = signed(m, l);
                int w = t.bits;
                yield unary(l, t, op.equals("neg") ? a -> -sx(a, w) : a -> Math.abs(sx(a, w)));
            }
            case "and", "or", "xor" -> {
                PtxType t = bitsOrPred(m, l);
                yield binary(l, t, t, switch (op) {
                    case "and" -> (a, b) -> a & b;
                    case "or" -> (a, b) -> a | b;
                    default -> (a, b) -> a ^ b;
                });
            }
            case "not" -> {
                PtxType t = bitsOrPred(m, l);
                yield unary(l, t, a -> ~a);
            }
            case "cnot" -> unary(l, bits(m, l), a -> a == 0 ? 1 : 0);
            case "shl", "shr" -> shift(op.equals("shl"), m, l);
            case "popc", "clz" -> {
                PtxType t = bits(m, l);
                boolean popc = op.equals("popc");
                int w = t.bits;
                List<Ast.Operand> ops = l.operands(2);
                Dst d = l.dst(ops.get(0), PtxType.U32);
                Src a = l.src(ops.get(1), t);
                yield simple(x -> {
                    long v = zx(a.get(x), w);
                    d.write(x, popc ? Long.bitCount(v) : Long.numberOfLeadingZeros(v) - (64 - w));
                });
            }
            case "brev" -> {
                PtxType t = bits(m, l);
                int w = t.bits;
                yield unary(l, t, a -> Long.reverse(a) >>> (64 - w));
            }
            case "bfe" -> bfe(m, l);
            case "bfi" -> bfi(m, l);
            case "bfind" -> bfind(m, l);
            case "prmt" -> prmt(m, l);
            case "lop3" -> lop3(m, l);
            default -> throw l.error("unsupported integer instruction " + op);
        };
    }

    /** Sign-extends the low {@code w} bits. */
    static long sx(long v, int w) {
        return w >= 64 ? v : (v << (64 - w)) >> (64 - w);
    }

    /** Zero-extends the low {@code w} bits. */
    static long zx(long v, int w) {
        return w >= 64 ? v : v & ((1L << w) - 1);
    }

    private static PtxType integer(Mods m, Linker l) {
        PtxType t = m.type();
        if (!t.isInteger() || t.bits > 64 || t.bits < 16) {
            throw l.error("expected a 16-, 32- or 64-bit integer type, found " + t.spelling());
        }
        return t;
    }

    private static PtxType signed(Mods m, Linker l) {
        PtxType t = integer(m, l);
        if (!t.isSigned()) {
            throw l.error("needs a signed type, found " + t.spelling());
        }
        return t;
    }

    private static PtxType bits(Mods m, Linker l) {
        PtxType t = m.type();
        if (t.kind != PtxType.Kind.BITS || t.bits < 16 || t.bits > 64) {
            throw l.error("expected .b16, .b32 or .b64, found " + t.spelling());
        }
        return t;
    }

    private static PtxType bitsOrPred(Mods m, Linker l) {
        PtxType t = m.type();
        if (t != PtxType.PRED && (t.kind != PtxType.Kind.BITS || t.bits < 16 || t.bits > 64)) {
            throw l.error("expected .pred, .b16, .b32 or .b64, found " + t.spelling());
        }
        return t;
    }

    static Insn.Op unary(Linker l, PtxType t, LongUnaryOperator f) {
        List<Ast.Operand> ops = l.operands(2);
        Dst d = l.dst(ops.get(0), t);
        Src a = l.src(ops.get(1), t);
        return simple(x -> d.write(x, f.applyAsLong(a.get(x))));
    }

    static Insn.Op binary(Linker l, PtxType dt, PtxType t, LongBinaryOperator f) {
        List<Ast.Operand> ops = l.operands(3);
        Dst d = l.dst(ops.get(0), dt);
        Src a = l.src(ops.get(1), t);
        Src b = l.src(ops.get(2), t);
        return simple(x -> d.write(x, f.applyAsLong(a.get(x), b.get(x))));
    }

    private static Insn.Op addSub(Mods m, Linker l, boolean sub) {
        boolean sat = m.has("sat");
        PtxType t = integer(m, l);
        if (sat && t != PtxType.S32) {
            throw l.error(".sat applies only to .s32");
        }
        if (sat) {
            // saturate the exact 33-bit result to the s32 range
            return binary(l, t, t, (a, b) -> clampS32(sub ? (long) (int) a - (int) b : (long) (int) a + (int) b));
        }
        return binary(l, t, t, sub ? (a, b) -> a - b : (a, b) -> a + b);
    }

    private static long clampS32(long v) {
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private static Insn.Op mul(Mods m, Linker l) {
        String mode = m.oneOf("lo", "hi", "wide");
        PtxType t = integer(m, l);
        if (mode == null) {
            throw l.error("integer mul needs .lo, .hi or .wide");
        }
        int w = t.bits;
        boolean s = t.isSigned();
        return switch (mode) {
            case "lo" -> binary(l, t, t, (a, b) -> a * b);
            case "hi" -> binary(l, t, t, (a, b) -> high(a, b, w, s));
            default -> {
                if (w == 64) {
                    throw l.error("mul.wide is defined for 16- and 32-bit types only");
                }
                yield binary(l, wide(t), t, (a, b) -> s ? sx(a, w) * sx(b, w) : zx(a, w) * zx(b, w));
            }
        };
    }

    /** The upper half of the 2w-bit product. */
    private static long high(long a, long b, int w, boolean signed) {
        if (w == 64) {
            return signed ? Math.multiplyHigh(a, b) : Math.unsignedMultiplyHigh(a, b);
        }
        long p = signed ? sx(a, w) * sx(b, w) : zx(a, w) * zx(b, w);
        return p >> w;
    }

    static PtxType wide(PtxType t) {
        return switch (t) {
            case U16 -> PtxType.U32;
            case S16 -> PtxType.S32;
            case U32 -> PtxType.U64;
            case S32 -> PtxType.S64;
            default -> throw new IllegalArgumentException(t.name());
        };
    }

    private static Insn.Op mad(Mods m, Linker l) {
        String mode = m.oneOf("lo", "hi", "wide");
        boolean sat = m.has("sat");
        PtxType t = integer(m, l);
        if (mode == null) {
            throw l.error("integer mad needs .lo, .hi or .wide");
        }
        if (sat && !(mode.equals("hi") && t == PtxType.S32)) {
            throw l.error(".sat applies only to mad.hi.s32");
        }
        int w = t.bits;
        boolean s = t.isSigned();
        PtxType dt = mode.equals("wide") ? wide(t) : t;
        if (mode.equals("wide") && w == 64) {
            throw l.error("mad.wide is defined for 16- and 32-bit types only");
        }
        List<Ast.Operand> ops = l.operands(4);
        Dst d = l.dst(ops.get(0), dt);
        Src a = l.src(ops.get(1), t);
        Src b = l.src(ops.get(2), t);
        Src c = l.src(ops.get(3), dt);
        return switch (mode) {
            case "lo" -> simple(x -> d.write(x, a.get(x) * b.get(x) + c.get(x)));
            case "hi" -> sat
                    ? simple(x -> d.write(x, clampS32(high(a.get(x), b.get(x), 32, true) + (int) c.get(x))))
                    : simple(x -> d.write(x, high(a.get(x), b.get(x), w, s) + c.get(x)));
            default -> simple(x -> {
                long p = s ? sx(a.get(x), w) * sx(b.get(x), w) : zx(a.get(x), w) * zx(b.get(x), w);
                d.write(x, p + c.get(x));
            });
        };
    }

    private static Insn.Op mul24(boolean mad, Mods m, Linker l) {
        String mode = m.oneOf("lo", "hi");
        PtxType t = integer(m, l);
        if (mode == null || t.bits != 32) {
            throw l.error("mul24/mad24 need .lo or .hi and a 32-bit type");
        }
        boolean s = t.isSigned();
        boolean hi = mode.equals("hi");
        List<Ast.Operand> ops = l.operands(mad ? 4 : 3);
        Dst d = l.dst(ops.get(0), t);
        Src a = l.src(ops.get(1), t);
        Src b = l.src(ops.get(2), t);
        Src c = mad ? l.src(ops.get(3), t) : new Src.Const(0);
        return simple(x -> {
            long p = s ? sx(a.get(x), 24) * sx(b.get(x), 24) : zx(a.get(x), 24) * zx(b.get(x), 24);
            d.write(x, (hi ? p >> 16 : p) + c.get(x));
        });
    }

    private static Insn.Op divRem(boolean rem, Mods m, Linker l) {
        PtxType t = integer(m, l);
        int w = t.bits;
        boolean s = t.isSigned();
        return binary(l, t, t, (a, b) -> {
            long x = s ? sx(a, w) : zx(a, w);
            long y = s ? sx(b, w) : zx(b, w);
            if (y == 0) {
                // the ISA leaves the value unspecified; a kernel that relies on it is wrong
                throw new Fault("integer " + (rem ? "remainder" : "division") + " by zero");
            }
            if (w == 64 && !s) {
                return rem ? Long.remainderUnsigned(x, y) : Long.divideUnsigned(x, y);
            }
            return rem ? x % y : x / y;
        });
    }

    private static Insn.Op minMax(boolean max, Mods m, Linker l) {
        boolean relu = m.has("relu");
        PtxType t = integer(m, l);
        if (relu && t != PtxType.S32) {
            throw l.error(".relu applies only to .s32 here");
        }
        int w = t.bits;
        boolean s = t.isSigned();
        return binary(l, t, t, (a, b) -> {
            long x = s ? sx(a, w) : zx(a, w);
            long y = s ? sx(b, w) : zx(b, w);
            int c = s ? Long.compare(x, y) : Long.compareUnsigned(x, y);
            long r = max ? (c >= 0 ? x : y) : (c <= 0 ? x : y);
            return relu && r < 0 ? 0 : r;
        });
    }

    private static Insn.Op shift(boolean left, Mods m, Linker l) {
        PtxType t = m.type();
        if (!t.isInteger() || t.bits < 16 || t.bits > 64 || left && t.kind != PtxType.Kind.BITS) {
            throw l.error("unsupported type " + t.spelling() + " for a shift");
        }
        int w = t.bits;
        boolean arith = t.isSigned();
        List<Ast.Operand> ops = l.operands(3);
        Dst d = l.dst(ops.get(0), t);
        Src a = l.src(ops.get(1), t);
        Src b = l.src(ops.get(2), PtxType.U32);
        // shift amounts are unsigned and larger ones are clamped to the width
        return simple(x -> {
            long n = Math.min(b.get(x) & 0xffff_ffffL, w);
            long v = a.get(x);
            long r;
            if (left) {
                r = n >= 64 ? 0 : v << n;
            } else if (arith) {
                r = sx(v, w) >> Math.min(n, 63);
            } else {
                r = n >= 64 ? 0 : zx(v, w) >>> n;
            }
            d.write(x, r);
        });
    }

    private static Insn.Op bfe(Mods m, Linker l) {
        PtxType t = m.type();
        if (t != PtxType.U32 && t != PtxType.S32 && t != PtxType.U64 && t != PtxType.S64) {
            throw l.error("bfe needs .u32, .s32, .u64 or .s64");
        }
        int msb = t.bits - 1;
        boolean s = t.isSigned();
        List<Ast.Operand> ops = l.operands(4);
        Dst d = l.dst(ops.get(0), t);
        Src a = l.src(ops.get(1), t);
        Src b = l.src(ops.get(2), PtxType.U32);
        Src c = l.src(ops.get(3), PtxType.U32);
        return simple(x -> {
            long v = a.get(x);
            int pos = (int) (b.get(x) & 0xff);
            int len = (int) (c.get(x) & 0xff);
            long sbit = !s || len == 0 ? 0 : (v >>> Math.min(pos + len - 1, msb)) & 1;
            long r = 0;
            for (int i = 0; i <= msb; i++) {
                long bit = i < len && pos + i <= msb ? (v >>> (pos + i)) & 1 : sbit;
                r |= bit << i;
            }
            d.write(x, r);
        });
    }

    private static Insn.Op bfi(Mods m, Linker l) {
        PtxType t = bits(m, l);
        if (t.bits < 32) {
            throw l.error("bfi needs .b32 or .b64");
        }
        int msb = t.bits - 1;
        List<Ast.Operand> ops = l.operands(5);
        Dst f = l.dst(ops.get(0), t);
        Src a = l.src(ops.get(1), t);
        Src b = l.src(ops.get(2), t);
        Src c = l.src(ops.get(3), PtxType.U32);
        Src d = l.src(ops.get(4), PtxType.U32);
        return simple(x -> {
            long av = a.get(x);
            long r = b.get(x);
            int pos = (int) (c.get(x) & 0xff);
            int len = (int) (d.get(x) & 0xff);
            for (int i = 0; i < len && pos + i <= msb; i++) {
                long bit = 1L << (pos + i);
                r = (r & ~bit) | (((av >>> i) & 1) << (pos + i));
            }
            f.write(x, r);
        });
    }

    private static Insn.Op bfind(Mods m, Linker l) {
        boolean shiftAmt = m.has("shiftamt");
        PtxType t = m.type();
        if (t != PtxType.U32 && t != PtxType.S32 && t != PtxType.U64 && t != PtxType.S64) {
            throw l.error("bfind needs .u32, .s32, .u64 or .s64");
        }
        int msb = t.bits - 1;
        boolean s = t.isSigned();
        List<Ast.Operand> ops = l.operands(2);
        Dst d = l.dst(ops.get(0), PtxType.U32);
        Src a = l.src(ops.get(1), t);
        return simple(x -> {
            long v = zx(a.get(x), t.bits);
            if (s && ((v >>> msb) & 1) == 1) {
                v = zx(~v, t.bits);
            }
            long r = v == 0 ? 0xffff_ffffL : 63 - Long.numberOfLeadingZeros(v);
            if (shiftAmt && r != 0xffff_ffffL) {
                r = msb - r;
            }
            d.write(x, r);
        });
    }

    private static Insn.Op prmt(Mods m, Linker l) {
        PtxType t = m.type();
        if (t != PtxType.B32) {
            throw l.error("prmt needs .b32");
        }
        List<Ast.Operand> ops = l.operands(4);
        Dst d = l.dst(ops.get(0), t);
        Src a = l.src(ops.get(1), t);
        Src b = l.src(ops.get(2), t);
        Src c = l.src(ops.get(3), t);
        return simple(x -> {
            long tmp = (b.get(x) << 32) | (a.get(x) & 0xffff_ffffL);
            long ctl = c.get(x);
            long r = 0;
            for (int i = 0; i < 4; i++) {
                int sel = (int) (ctl >>> (4 * i)) & 0xf;
                long byteVal = (tmp >>> (8 * (sel & 7))) & 0xff;
                if ((sel & 8) != 0) {
                    byteVal = (byteVal & 0x80) != 0 ? 0xff : 0; // replicate the byte's sign
                }
                r |= byteVal << (8 * i);
            }
            d.write(x, r);
        });
    }

    private static Insn.Op lop3(Mods m, Linker l) {
        PtxType t = m.type();
        if (t != PtxType.B32) {
            throw l.error("lop3 needs .b32");
        }
        List<Ast.Operand> ops = l.operands(5);
        Dst d = l.dst(ops.get(0), t);
        Src a = l.src(ops.get(1), t);
        Src b = l.src(ops.get(2), t);
        Src c = l.src(ops.get(3), t);
        if (!(ops.get(4) instanceof Ast.IntImm lut) || lut.value() < 0 || lut.value() > 255) {
            throw l.error("lop3's immLut must be an integer constant 0..255");
        }
        int table = (int) lut.value();
        return simple(x -> {
            long av = a.get(x);
            long bv = b.get(x);
            long cv = c.get(x);
            long r = 0;
            // each set bit i of the table contributes the minterm (a,b,c) = (i>>2, i>>1, i) & 1
            for (int i = 0; i < 8; i++) {
                if ((table >> i & 1) != 0) {
                    r |= ((i & 4) != 0 ? av : ~av) & ((i & 2) != 0 ? bv : ~bv) & ((i & 1) != 0 ? cv : ~cv);
                }
            }
            d.write(x, r);
        });
    }
}
