package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.InstructionSet.simple;

import java.util.List;

/**
 * cvt between all integer and floating-point types, with the ISA's rules: integer rounding (.rni,
 * .rzi, .rmi, .rpi) for float-to-integer and float-to-integral-float, floating rounding for narrowing
 * and integer-to-float, float-to-integer saturating with NaN to 0, and .ftz, .sat, .relu, .satfinite.
 */
final class Cvt {

    private Cvt() {}

    private enum IntRnd { RNI, RZI, RMI, RPI }

    static Insn.Op compile(Mods m, Linker l) {
        String irndName = m.oneOf("rni", "rzi", "rmi", "rpi");
        IntRnd irnd = irndName == null ? null : IntRnd.valueOf(irndName.toUpperCase());
        String frndName = m.oneOf("rn", "rz", "rm", "rp", "rna");
        Fp.Rnd frnd = frndName == null ? null : Fp.Rnd.valueOf(frndName.toUpperCase());
        if (irnd != null && frnd != null) {
            throw l.error("both an integer and a floating-point rounding modifier");
        }
        boolean ftz = m.has("ftz");
        boolean sat = m.has("sat");
        boolean relu = m.has("relu");
        boolean satfinite = m.has("satfinite");
        List<PtxType> types = m.types();
        if (types.size() != 2) {
            throw l.error("cvt needs a destination and a source type");
        }
        PtxType dt = types.get(0);
        PtxType at = types.get(1);
        if (dt == PtxType.F16X2 || dt == PtxType.BF16X2) {
            return packedPair(dt, at, frnd, relu, satfinite, l);
        }
        if (dt == PtxType.PRED || at == PtxType.PRED || dt.bits > 64 || at.bits > 64 || at == PtxType.F16X2
                || at == PtxType.BF16X2) {
            throw l.error("unsupported cvt types " + dt.spelling() + at.spelling());
        }
        if ((relu || satfinite) && !(dt == PtxType.F16 || dt == PtxType.BF16 || dt == PtxType.TF32)) {
            throw l.error(".relu and .satfinite need an .f16, .bf16 or .tf32 destination");
        }
        if (ftz && dt != PtxType.F32 && at != PtxType.F32) {
            throw l.error(".ftz needs an .f32 source or destination");
        }
        List<Ast.Operand> ops = l.operands(2);
        Dst d = l.dst(ops.get(0), dt == PtxType.TF32 ? PtxType.B32 : dt);
        Src a = l.src(ops.get(1), at);
        boolean dFloat = dt.isFloat();
        boolean aFloat = at.isFloat();
        if (!dFloat && !aFloat) {
            if (irnd != null || frnd != null) {
                throw l.error("integer-to-integer cvt takes no rounding modifier");
            }
            return intToInt(dt, at, sat, d, a);
        }
        if (dFloat && !aFloat) {
            if (frnd == null) {
                throw l.error("integer-to-float cvt needs .rn, .rz, .rm or .rp");
            }
            return intToFloat(dt, at, frnd, sat, d, a, l);
        }
        if (!dFloat) {
            if (irnd == null) {
                throw l.error("float-to-integer cvt needs .rni, .rzi, .rmi or .rpi");
            }
            // float-to-integer conversions always saturate, so .sat changes nothing
            return simple(x -> d.write(x, floatToInt(decode(at, a.get(x), ftz), irnd, dt)));
        }
        return floatToFloat(dt, at, irnd, frnd, ftz, sat, relu, satfinite, d, a, l);
    }

    static double decode(PtxType t, long bits, boolean ftz) {
        return switch (t) {
            case F32 -> ftz ? Fp.ftz(Fp.f32(bits)) : Fp.f32(bits);
            case F64 -> Fp.f64(bits);
            case F16 -> Fp.f16ToF32(bits);
            case BF16 -> Fp.bf16ToF32(bits);
            case TF32 -> Fp.f32(bits & 0xffff_e000L);
            default -> throw new IllegalArgumentException(t.name());
        };
    }

    private static Insn.Op intToInt(PtxType dt, PtxType at, boolean sat, Dst d, Src a) {
        int aw = at.bits;
        boolean as = at.isSigned();
        if (!sat) {
            // truncation or extension by the source's signedness, then the destination's own extension
            return simple(x -> d.write(x, as ? IntOps.sx(a.get(x), aw) : IntOps.zx(a.get(x), aw)));
        }
        int dw = dt.bits;
        boolean ds = dt.isSigned();
        return simple(x -> {
            long v = as ? IntOps.sx(a.get(x), aw) : IntOps.zx(a.get(x), aw);
            d.write(x, saturate(v, as, dw, ds));
        });
    }

    /** Clamps an integer (signed or unsigned 64-bit) into the range of a dw-bit destination. */
    private static long saturate(long v, boolean srcSigned, int dw, boolean dstSigned) {
        if (dstSigned) {
            long max = dw == 64 ? Long.MAX_VALUE : (1L << (dw - 1)) - 1;
            long min = dw == 64 ? Long.MIN_VALUE : -(1L << (dw - 1));
            if (!srcSigned && (v < 0 || v > max)) {
                return max; // unsigned source beyond the signed range (v < 0 means >= 2^63)
            }
            return Math.max(min, Math.min(max, v));
        }
        long max = dw == 64 ? -1L : (1L << dw) - 1;
        if (srcSigned && v < 0) {
            return 0;
        }
        return Long.compareUnsigned(v, max) > 0 ? max : v;
    }

    private static Insn.Op intToFloat(PtxType dt, PtxType at, Fp.Rnd r, boolean sat, Dst d, Src a, Linker l) {
        int aw = at.bits;
        boolean as = at.isSigned();
        return simple(x -> {
            long v = as ? IntOps.sx(a.get(x), aw) : IntOps.zx(a.get(x), aw);
            if (dt == PtxType.F64) {
                double f = Fp.intToF64(v, as, r);
                d.write(x, Double.doubleToRawLongBits(sat ? Fp.saturate(f) : f));
                return;
            }
            Fp.Format fmt = format(dt);
            long bits = Fp.intToFormat(v, as, fmt, r);
            if (sat) {
                bits = Fp.narrow(Fp.saturate(widen(bits, fmt)), fmt, Fp.Rnd.RN);
            }
            d.write(x, dt == PtxType.TF32 ? bits << 13 : bits);
        });
    }

    static Fp.Format format(PtxType t) {
        return switch (t) {
            case F32 -> Fp.Format.F32;
            case F16 -> Fp.Format.F16;
            case BF16 -> Fp.Format.BF16;
            case TF32 -> Fp.Format.TF32;
            default -> throw new IllegalArgumentException(t.name());
        };
    }

    /** Decodes the bits of a narrow format (tf32 given by its 19 significant bits). */
    private static double widen(long bits, Fp.Format fmt) {
        return switch (fmt) {
            case F32 -> Fp.f32(bits);
            case F16 -> Fp.f16ToF32(bits);
            case BF16 -> Fp.bf16ToF32(bits);
            case TF32 -> Fp.f32(bits << 13);
        };
    }

    /** Float to integer: round to an integral value, NaN to 0, then clamp to the destination's range. */
    static long floatToInt(double v, IntRnd r, PtxType dt) {
        if (v != v) {
            return 0;
        }
        double i = switch (r) {
            case RNI -> Math.rint(v);
            case RZI -> v < 0 ? Math.ceil(v) : Math.floor(v);
            case RMI -> Math.floor(v);
            case RPI -> Math.ceil(v);
        };
        int w = dt.bits;
        if (dt.isSigned()) {
            if (w == 64) {
                return i >= 0x1p63 ? Long.MAX_VALUE : i <= -0x1p63 ? Long.MIN_VALUE : (long) i;
            }
            long max = (1L << (w - 1)) - 1;
            return (long) Math.max(-max - 1, Math.min(max, i));
        }
        if (i <= 0) {
            return 0;
        }
        if (w == 64) {
            return i >= 0x1p64 ? -1L : i >= 0x1p63 ? (long) (i - 0x1p63) | Long.MIN_VALUE : (long) i;
        }
        return (long) Math.min((1L << w) - 1, i);
    }

    private static Insn.Op floatToFloat(PtxType dt, PtxType at, IntRnd irnd, Fp.Rnd frnd, boolean ftz, boolean sat,
                                        boolean relu, boolean satfinite, Dst d, Src a, Linker l) {
        boolean narrowing = precision(dt) < precision(at) || dt == PtxType.BF16 && at == PtxType.F16
                || dt == PtxType.F16 && at == PtxType.BF16;
        if (irnd != null) {
            if (dt != at) {
                throw l.error("integer rounding of a float needs equal source and destination types");
            }
        } else if (narrowing && frnd == null) {
            throw l.error("narrowing cvt needs .rn, .rz, .rm or .rp");
        } else if (!narrowing && frnd != null) {
            throw l.error("a rounding modifier is illegal for an exact float conversion");
        }
        if (frnd == Fp.Rnd.RNA && dt != PtxType.TF32) {
            throw l.error(".rna is defined only for conversions to .tf32");
        }
        Fp.Rnd r = frnd == null ? Fp.Rnd.RN : frnd;
        return simple(x -> {
            double v = decode(at, a.get(x), ftz);
            if (irnd != null && v == v && !Double.isInfinite(v)) {
                double i = switch (irnd) {
                    case RNI -> Math.rint(v);
                    case RZI -> v < 0 ? Math.ceil(v) : Math.floor(v);
                    case RMI -> Math.floor(v);
                    case RPI -> Math.ceil(v);
                };
                v = i == 0 ? Math.copySign(0.0, v) : i;
            }
            d.write(x, encode(dt, v, r, ftz, sat, relu, satfinite));
        });
    }

    private static int precision(PtxType t) {
        return switch (t) {
            case F64 -> 53;
            case F32 -> 24;
            case TF32 -> 11;
            case F16 -> 11;
            case BF16 -> 8;
            default -> 0;
        };
    }

    /** Rounds a value (exact in f64) to the destination format and applies the saturation modifiers. */
    static long encode(PtxType dt, double v, Fp.Rnd r, boolean ftz, boolean sat, boolean relu, boolean satfinite) {
        if (sat) {
            v = Fp.saturate(v);
        }
        if (relu && v < 0) {
            v = 0.0;
        }
        if (dt == PtxType.F64) {
            return v != v ? Double.doubleToRawLongBits(Double.NaN) : Double.doubleToRawLongBits(v);
        }
        Fp.Format fmt = format(dt);
        long bits = Fp.narrow(v, fmt, r);
        if (satfinite && v == v) {
            long inf = ((1L << fmt.expBits) - 1) << fmt.fracBits;
            long mag = bits & ((1L << (fmt.expBits + fmt.fracBits)) - 1);
            if (mag == inf) {
                bits = (bits & ~mag) | (inf - 1); // the largest finite value, same sign
            }
        }
        if (dt == PtxType.F32) {
            float f = Fp.f32(bits);
            return Fp.bitsF32(ftz ? Fp.ftz(f) : f);
        }
        return dt == PtxType.TF32 ? bits << 13 : bits;
    }

    private static Insn.Op packedPair(PtxType dt, PtxType at, Fp.Rnd r, boolean relu, boolean satfinite, Linker l) {
        if (at != PtxType.F32 || r == null || r == Fp.Rnd.RNA) {
            throw l.error("cvt to a packed pair needs .rn/.rz/.rm/.rp and an .f32 source");
        }
        List<Ast.Operand> ops = l.operands(3);
        Dst d = l.dst(ops.get(0), PtxType.B32);
        Src a = l.src(ops.get(1), PtxType.F32);
        Src b = l.src(ops.get(2), PtxType.F32);
        PtxType half = dt == PtxType.F16X2 ? PtxType.F16 : PtxType.BF16;
        // the first source lands in the upper half
        return simple(x -> d.write(x, encode(half, Fp.f32(a.get(x)), r, false, false, relu, satfinite) << 16
                | encode(half, Fp.f32(b.get(x)), r, false, false, relu, satfinite)));
    }
}
