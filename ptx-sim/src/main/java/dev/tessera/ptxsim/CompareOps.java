package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.InstructionSet.simple;

import java.util.List;

/** Comparisons and selections: setp, set, selp, slct, with the ISA's ordered and unordered float tests. */
final class CompareOps {

    private CompareOps() {}

    /** A comparison of two decoded operands. */
    @FunctionalInterface
    private interface Test {
        boolean apply(long a, long b);
    }

    static Insn.Op compile(String op, Mods m, Linker l) {
        return switch (op) {
            case "setp", "set" -> setp(op.equals("set"), m, l);
            case "selp" -> {
                PtxType t = m.type();
                if (t == PtxType.PRED || t.bits < 16 || t.bits > 64) {
                    throw l.error("unsupported selp type " + t.spelling());
                }
                List<Ast.Operand> ops = l.operands(4);
                Dst d = l.dst(ops.get(0), t);
                Src a = l.src(ops.get(1), t);
                Src b = l.src(ops.get(2), t);
                Src c = l.src(ops.get(3), PtxType.PRED);
                yield simple(x -> d.write(x, c.get(x) != 0 ? a.get(x) : b.get(x)));
            }
            case "slct" -> slct(m, l);
            default -> throw l.error("unsupported comparison " + op);
        };
    }

    private static final String[] CMP = {"eq", "ne", "lt", "le", "gt", "ge", "lo", "ls", "hi", "hs",
        "equ", "neu", "ltu", "leu", "gtu", "geu", "num", "nan"};

    private static Insn.Op setp(boolean set, Mods m, Linker l) {
        String cmp = m.oneOf(CMP);
        if (cmp == null) {
            throw l.error("missing comparison operator");
        }
        String bool = m.oneOf("and", "or", "xor");
        boolean ftz = m.has("ftz");
        List<PtxType> types = m.types();
        PtxType dtype = null;
        PtxType t;
        if (set) {
            if (types.size() != 2) {
                throw l.error("set needs a destination and a source type");
            }
            dtype = types.get(0);
            t = types.get(1);
            if (dtype != PtxType.U32 && dtype != PtxType.S32 && dtype != PtxType.F32) {
                throw l.error("set's destination type must be .u32, .s32 or .f32");
            }
        } else {
            if (types.size() != 1) {
                throw l.error("setp needs one type");
            }
            t = types.get(0);
        }
        if (ftz && t != PtxType.F32 && t != PtxType.F16 && t != PtxType.F16X2) {
            throw l.error(".ftz needs .f32 or .f16");
        }
        boolean pair = t == PtxType.F16X2 || t == PtxType.BF16X2;
        if (pair && set) {
            throw l.error("set with packed 16-bit types is not supported");
        }
        Test test = test(cmp, t, ftz, l);
        List<Ast.Operand> ops = l.operands(bool == null ? 3 : 4);
        Dst p;
        Dst q = null;
        Ast.Operand dest = ops.get(0);
        PtxType destType = set ? dtype : PtxType.PRED;
        if (dest instanceof Ast.PredOut po) {
            if (set) {
                throw l.error("set has no second destination");
            }
            p = l.dst(po.value(), PtxType.PRED);
            q = l.dst(po.pred(), PtxType.PRED);
        } else {
            if (pair) {
                throw l.error("packed setp needs two predicates p|q");
            }
            p = l.dst(dest, destType);
        }
        PtxType srcType = pair ? PtxType.B32 : t;
        Src a = l.src(ops.get(1), srcType);
        Src b = l.src(ops.get(2), srcType);
        Src c = bool == null ? null : l.src(ops.get(3), PtxType.PRED);
        Dst qq = q;
        long trueValue = dtype == null ? 1 : dtype == PtxType.F32 ? Float.floatToRawIntBits(1.0f) : 0xffff_ffffL;
        if (pair) {
            return simple(x -> {
                long av = a.get(x);
                long bv = b.get(x);
                boolean t0 = test.apply(av & 0xffff, bv & 0xffff);
                boolean t1 = test.apply(av >>> 16 & 0xffff, bv >>> 16 & 0xffff);
                p.write(x, combine(bool, t0, c, x) ? 1 : 0);
                qq.write(x, combine(bool, t1, c, x) ? 1 : 0);
            });
        }
        boolean halfScalar = t == PtxType.F16 || t == PtxType.BF16;
        if (halfScalar && qq != null) {
            throw l.error("scalar 16-bit setp writes only one predicate");
        }
        return simple(x -> {
            boolean r = test.apply(a.get(x), b.get(x));
            p.write(x, combine(bool, r, c, x) ? trueValue : 0);
            if (qq != null) {
                qq.write(x, combine(bool, !r, c, x) ? 1 : 0);
            }
        });
    }

    private static boolean combine(String bool, boolean t, Src c, ThreadCtx x) {
        if (bool == null) {
            return t;
        }
        boolean cv = c.get(x) != 0;
        return switch (bool) {
            case "and" -> t && cv;
            case "or" -> t || cv;
            default -> t ^ cv;
        };
    }

    private static Test test(String cmp, PtxType t, boolean ftz, Linker l) {
        if (t.isFloat()) {
            if (cmp.equals("lo") || cmp.equals("ls") || cmp.equals("hi") || cmp.equals("hs")) {
                throw l.error("." + cmp + " is for unsigned integers");
            }
            Decoder dec = switch (t) {
                case F32 -> ftz ? v -> Fp.ftz(Fp.f32(v)) : v -> Fp.f32(v);
                case F64 -> Fp::f64;
                case F16, F16X2 -> ftz ? v -> flush16(v) : v -> Fp.f16ToF32(v);
                case BF16, BF16X2 -> v -> Fp.bf16ToF32(v);
                default -> throw l.error("unsupported comparison type " + t.spelling());
            };
            return (a, b) -> floatCompare(cmp, dec.decode(a), dec.decode(b));
        }
        if (t == PtxType.PRED || t.bits < 16 || t.bits > 64) {
            throw l.error("unsupported comparison type " + t.spelling());
        }
        if (cmp.endsWith("u") && !cmp.equals("lo") || cmp.equals("num") || cmp.equals("nan")) {
            throw l.error("." + cmp + " is a floating-point comparison");
        }
        if (t.kind == PtxType.Kind.BITS && !cmp.equals("eq") && !cmp.equals("ne")) {
            throw l.error("bit-size types compare only with .eq and .ne");
        }
        int w = t.bits;
        boolean signed = t.isSigned() && !cmp.equals("lo") && !cmp.equals("ls") && !cmp.equals("hi") && !cmp.equals("hs");
        if (t.isSigned() && !signed) {
            throw l.error("." + cmp + " is for unsigned integers");
        }
        return (a, b) -> {
            long x = signed ? IntOps.sx(a, w) : IntOps.zx(a, w);
            long y = signed ? IntOps.sx(b, w) : IntOps.zx(b, w);
            int c = signed ? Long.compare(x, y) : Long.compareUnsigned(x, y);
            return switch (cmp) {
                case "eq" -> c == 0;
                case "ne" -> c != 0;
                case "lt", "lo" -> c < 0;
                case "le", "ls" -> c <= 0;
                case "gt", "hi" -> c > 0;
                default -> c >= 0;
            };
        };
    }

    private static double flush16(long v) {
        double d = Fp.f16ToF32(v);
        return Math.abs(d) < 0x1p-14 ? Math.copySign(0.0, d) : d;
    }

    @FunctionalInterface
    private interface Decoder {
        double decode(long bits);
    }

    /** Ordered tests are false on NaN, unordered ones true; num and nan test for NaN only. */
    static boolean floatCompare(String cmp, double a, double b) {
        boolean unordered = a != a || b != b;
        return switch (cmp) {
            case "eq" -> a == b;
            case "ne" -> !unordered && a != b;
            case "lt" -> a < b;
            case "le" -> a <= b;
            case "gt" -> a > b;
            case "ge" -> a >= b;
            case "equ" -> unordered || a == b;
            case "neu" -> unordered || a != b;
            case "ltu" -> unordered || a < b;
            case "leu" -> unordered || a <= b;
            case "gtu" -> unordered || a > b;
            case "geu" -> unordered || a >= b;
            case "num" -> !unordered;
            case "nan" -> unordered;
            default -> throw new IllegalStateException(cmp);
        };
    }

    private static Insn.Op slct(Mods m, Linker l) {
        boolean ftz = m.has("ftz");
        List<PtxType> types = m.types();
        if (types.size() != 2 || types.get(1) != PtxType.S32 && types.get(1) != PtxType.F32) {
            throw l.error("slct needs .dtype.s32 or .dtype.f32");
        }
        PtxType dt = types.get(0);
        boolean f = types.get(1) == PtxType.F32;
        if (ftz && !f) {
            throw l.error(".ftz needs an .f32 selector");
        }
        List<Ast.Operand> ops = l.operands(4);
        Dst d = l.dst(ops.get(0), dt);
        Src a = l.src(ops.get(1), dt);
        Src b = l.src(ops.get(2), dt);
        Src c = l.src(ops.get(3), types.get(1));
        return simple(x -> {
            long cv = c.get(x);
            // -0.0 counts as zero; a NaN selector is not >= 0 and picks b
            boolean pickA = f ? (ftz ? Fp.ftz(Fp.f32(cv)) : Fp.f32(cv)) >= 0 : (int) cv >= 0;
            d.write(x, pickA ? a.get(x) : b.get(x));
        });
    }
}
