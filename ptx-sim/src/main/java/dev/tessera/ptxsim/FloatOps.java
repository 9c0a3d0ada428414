package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.InstructionSet.simple;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * f32 and f64 arithmetic with the ISA's rounding, flush-to-zero and saturation modifiers.
 *
 * <p>Approximate instructions (.approx: ex2, lg2, sin, cos, tanh, rsqrt, rcp, sqrt, div, and div.full)
 * are simulated by the exactly rounded result of the mathematical function. The hardware's results
 * differ by a few ulps at most; tests of kernels that use them need tolerances, not bit equality.
 */
final class FloatOps {

    private FloatOps() {}

    /** A two-operand f32 operation. */
    @FunctionalInterface
    interface F2 {
        float apply(float a, float b);
    }

    /** A three-operand f32 operation. */
    @FunctionalInterface
    interface F3 {
        float apply(float a, float b, float c);
    }

    /** A one-operand f32 operation. */
    @FunctionalInterface
    interface F1 {
        float apply(float a);
    }

    static Insn.Op compile(String op, Mods m, Linker l) {
        return switch (op) {
            case "add", "sub", "mul" -> addSubMul(op, m, l);
            case "fma", "mad" -> fma(op, m, l);
            case "div" -> div(m, l);
            case "min", "max" -> minMax(op.equals("max"), m, l);
            case "neg", "abs" -> {
                boolean ftz = m.has("ftz");
                PtxType t = floatType(m, l, ftz);
                boolean neg = op.equals("neg");
                // only the sign bit changes; NaN payloads pass through (the ISA leaves them unspecified)
                if (t == PtxType.F32) {
                    yield unary32(l, ftz, false, neg ? a -> -a : Math::abs);
                }
                yield unary64(l, neg ? a -> -a : Math::abs);
            }
            case "sqrt" -> {
                String approx = m.oneOf("approx");
                Fp.Rnd r = approx != null ? Fp.Rnd.RN : m.rounding(null);
                boolean ftz = m.has("ftz");
                PtxType t = floatType(m, l, ftz);
                if (t == PtxType.F64 && approx != null) {
                    throw l.error("sqrt.approx is defined for .f32 only");
                }
                yield t == PtxType.F32 ? unary32(l, ftz, false, a -> Fp.sqrt(a, r)) : unary64(l, a -> Fp.sqrt(a, r));
            }
            case "rsqrt" -> {
                approx(m, l);
                boolean ftz = m.has("ftz");
                PtxType t = floatType(m, l, false);
                yield t == PtxType.F32 ? unary32(l, ftz, false, a -> (float) (1.0 / Math.sqrt(a)))
                        : unary64(l, a -> 1.0 / Math.sqrt(a));
            }
            case "rcp" -> {
                String approx = m.oneOf("approx");
                Fp.Rnd r = approx != null ? Fp.Rnd.RN : m.rounding(null);
                boolean ftz = m.has("ftz");
                PtxType t = floatType(m, l, false);
                yield t == PtxType.F32 ? unary32(l, ftz, false, a -> Fp.div(1f, a, r)) : unary64(l, a -> Fp.div(1.0, a, r));
            }
            case "ex2", "lg2", "sin", "cos", "tanh" -> {
                approx(m, l);
                boolean ftz = m.has("ftz");
                PtxType t = m.type();
                if (t != PtxType.F32) {
                    throw l.error(op + " is supported for .f32 only");
                }
                if (ftz && op.equals("tanh")) {
                    throw l.error("tanh has no .ftz form");
                }
                F1 f = switch (op) {
                    case "ex2" -> a -> (float) Math.pow(2.0, a);
                    case "lg2" -> a -> (float) (Math.log(a) / Math.log(2.0));
                    case "sin" -> a -> (float) Math.sin(a);
                    case "cos" -> a -> (float) Math.cos(a);
                    default -> a -> (float) Math.tanh(a);
                };
                yield unary32(l, ftz, false, f);
            }
            case "copysign" -> {
                PtxType t = floatType(m, l, false);
                List<Ast.Operand> ops = l.operands(3);
                Dst d = l.dst(ops.get(0), t);
                Src a = l.src(ops.get(1), t);
                Src b = l.src(ops.get(2), t);
                long sign = t == PtxType.F32 ? 0x8000_0000L : Long.MIN_VALUE;
                yield simple(x -> d.write(x, (a.get(x) & sign) | (b.get(x) & ~sign)));
            }
            case "testp" -> testp(m, l);
            default -> throw l.error("unsupported floating-point instruction " + op);
        };
    }

    private static void approx(Mods m, Linker l) {
        if (!m.has("approx")) {
            throw l.error("only the .approx form exists");
        }
    }

    private static PtxType floatType(Mods m, Linker l, boolean ftz) {
        PtxType t = m.type();
        if (t != PtxType.F32 && t != PtxType.F64) {
            throw l.error("expected .f32 or .f64, found " + t.spelling());
        }
        if (ftz && t != PtxType.F32) {
            throw l.error(".ftz applies to .f32 only");
        }
        return t;
    }

    private static Insn.Op addSubMul(String op, Mods m, Linker l) {
        Fp.Rnd r = m.rounding(Fp.Rnd.RN);
        boolean ftz = m.has("ftz");
        boolean sat = m.has("sat");
        PtxType t = floatType(m, l, ftz || sat);
        if (t == PtxType.F32) {
            return binary32(l, ftz, sat, switch (op) {
                case "add" -> (a, b) -> Fp.add(a, b, r);
                case "sub" -> (a, b) -> Fp.add(a, -b, r);
                default -> (a, b) -> Fp.mul(a, b, r);
            });
        }
        return binary64(l, switch (op) {
            case "add" -> (a, b) -> Fp.add(a, b, r);
            case "sub" -> (a, b) -> Fp.add(a, -b, r);
            default -> (a, b) -> Fp.mul(a, b, r);
        });
    }

    private static Insn.Op fma(String op, Mods m, Linker l) {
        Fp.Rnd r = m.rounding(null);
        boolean ftz = m.has("ftz");
        boolean sat = m.has("sat");
        PtxType t = floatType(m, l, ftz || sat);
        List<Ast.Operand> ops = l.operands(4);
        Dst d = l.dst(ops.get(0), t);
        Src a = l.src(ops.get(1), t);
        Src b = l.src(ops.get(2), t);
        Src c = l.src(ops.get(3), t);
        if (t == PtxType.F64) {
            return simple(x -> d.write(x, Double.doubleToRawLongBits(
                    Fp.fma(Fp.f64(a.get(x)), Fp.f64(b.get(x)), Fp.f64(c.get(x)), r))));
        }
        return simple(x -> d.write(x, out32(Fp.fma(in32(a, x, ftz), in32(b, x, ftz), in32(c, x, ftz), r), ftz, sat)));
    }

    private static Insn.Op div(Mods m, Linker l) {
        String kind = m.oneOf("approx", "full");
        Fp.Rnd r = kind == null ? m.rounding(null) : Fp.Rnd.RN;
        boolean ftz = m.has("ftz");
        PtxType t = floatType(m, l, ftz);
        if (t == PtxType.F64) {
            if (kind != null) {
                throw l.error("div.approx and div.full are defined for .f32 only");
            }
            return binary64(l, (a, b) -> Fp.div(a, b, r));
        }
        // .approx and .full flush subnormals whether or not .ftz is written
        return binary32(l, ftz || kind != null, false, (a, b) -> Fp.div(a, b, r));
    }

    private static Insn.Op minMax(boolean max, Mods m, Linker l) {
        boolean ftz = m.has("ftz");
        boolean nan = m.has("NaN");
        boolean xorsign = m.has("xorsign");
        boolean abs = m.has("abs");
        if (xorsign != abs) {
            throw l.error(".xorsign and .abs must be used together");
        }
        PtxType t = floatType(m, l, ftz);
        if (t == PtxType.F64 && (nan || xorsign)) {
            throw l.error(".NaN and .xorsign.abs are defined for .f32 only");
        }
        if (t == PtxType.F64) {
            return binary64(l, (a, b) -> pick(a, b, max, false));
        }
        return binary32(l, ftz, false, (a, b) -> {
            boolean sign = xorsign && (Float.floatToRawIntBits(a) ^ Float.floatToRawIntBits(b)) < 0;
            float x = abs ? Math.abs(a) : a;
            float y = abs ? Math.abs(b) : b;
            float d = (float) pick(x, y, max, nan);
            return xorsign && d == d ? (sign ? -Math.abs(d) : Math.abs(d)) : d;
        });
    }

    /**
     * PTX min/max: a NaN operand yields the other operand (unless .NaN), two NaNs give NaN, and
     * -0.0 counts as less than +0.0.
     */
    static double pick(double a, double b, boolean max, boolean propagateNaN) {
        boolean na = a != a;
        boolean nb = b != b;
        if (na && nb || propagateNaN && (na || nb)) {
            return Double.NaN;
        }
        if (na) {
            return b;
        }
        if (nb) {
            return a;
        }
        if (a == b && a == 0) {
            boolean aNeg = Double.doubleToRawLongBits(a) < 0;
            return max == aNeg ? b : a;
        }
        return max ? (a > b ? a : b) : (a < b ? a : b);
    }

    private static Insn.Op testp(Mods m, Linker l) {
        String test = m.oneOf("finite", "infinite", "number", "notanumber", "normal", "subnormal");
        if (test == null) {
            throw l.error("testp needs .finite, .infinite, .number, .notanumber, .normal or .subnormal");
        }
        PtxType t = floatType(m, l, false);
        List<Ast.Operand> ops = l.operands(2);
        Dst d = l.dst(ops.get(0), PtxType.PRED);
        Src a = l.src(ops.get(1), t);
        boolean single = t == PtxType.F32;
        return simple(x -> {
            double v = single ? Fp.f32(a.get(x)) : Fp.f64(a.get(x));
            double minNormal = single ? Float.MIN_NORMAL : Double.MIN_NORMAL;
            boolean r = switch (test) {
                case "finite" -> Double.isFinite(v);
                case "infinite" -> Double.isInfinite(v);
                case "number" -> v == v;
                case "notanumber" -> v != v;
                // zero counts as normal, as the ISA states
                case "normal" -> Double.isFinite(v) && (v == 0 || Math.abs(v) >= minNormal);
                default -> v != 0 && Math.abs(v) < minNormal;
            };
            d.write(x, r ? 1 : 0);
        });
    }

    // ---- plumbing ------------------------------------------------------------------------------------

    static float in32(Src s, ThreadCtx t, boolean ftz) {
        float v = Fp.f32(s.get(t));
        return ftz ? Fp.ftz(v) : v;
    }

    static long out32(float v, boolean ftz, boolean sat) {
        if (sat) {
            v = (float) Fp.saturate(v);
        }
        return Fp.bitsF32(ftz ? Fp.ftz(v) : v);
    }

    static Insn.Op binary32(Linker l, boolean ftz, boolean sat, F2 f) {
        List<Ast.Operand> ops = l.operands(3);
        Dst d = l.dst(ops.get(0), PtxType.F32);
        Src a = l.src(ops.get(1), PtxType.F32);
        Src b = l.src(ops.get(2), PtxType.F32);
        return simple(x -> d.write(x, out32(f.apply(in32(a, x, ftz), in32(b, x, ftz)), ftz, sat)));
    }

    static Insn.Op unary32(Linker l, boolean ftz, boolean sat, F1 f) {
        List<Ast.Operand> ops = l.operands(2);
        Dst d = l.dst(ops.get(0), PtxType.F32);
        Src a = l.src(ops.get(1), PtxType.F32);
        return simple(x -> d.write(x, out32(f.apply(in32(a, x, ftz)), ftz, sat)));
    }

    static Insn.Op binary64(Linker l, DoubleBinaryOperator f) {
        List<Ast.Operand> ops = l.operands(3);
        Dst d = l.dst(ops.get(0), PtxType.F64);
        Src a = l.src(ops.get(1), PtxType.F64);
        Src b = l.src(ops.get(2), PtxType.F64);
        return simple(x -> d.write(x, Double.doubleToRawLongBits(f.applyAsDouble(Fp.f64(a.get(x)), Fp.f64(b.get(x))))));
    }

    static Insn.Op unary64(Linker l, DoubleUnaryOperator f) {
        List<Ast.Operand> ops = l.operands(2);
        Dst d = l.dst(ops.get(0), PtxType.F64);
        Src a = l.src(ops.get(1), PtxType.F64);
        return simple(x -> d.write(x, Double.doubleToRawLongBits(f.applyAsDouble(Fp.f64(a.get(x))))));
    }
}
