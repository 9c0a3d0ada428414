package dev.tessera.codegen.ascendc;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.UnaryOp;

/**
 * Emits Ascend C count-form vector instructions for one elementwise operation on whole tiles: the
 * primitives the unit has (Add, Exp, ...) directly, and gelu, tanh, sigmoid and erf composed from them.
 * Operands are float (f32, and f16/bf16/bool values, which are computed in f32) or int32 tensors.
 */
final class VectorOps {

    private VectorOps() {}

    /** Abramowitz and Stegun 7.1.26: erf(a) = 1 - (a1 t + ... + a5 t^5) e^(-a^2), t = 1 / (1 + p a), a >= 0. */
    static final double ERF_P = 0.3275911;
    static final double[] ERF_A = {0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429};

    static void floatUnary(UnaryOp op, String d, String x, Scratch s) {
        String n = s.n;
        switch (op) {
            case EXP -> s.line("AscendC::Exp(" + d + ", " + x + ", " + n + ");");
            case LOG -> s.line("AscendC::Ln(" + d + ", " + x + ", " + n + ");");
            case SQRT -> s.line("AscendC::Sqrt(" + d + ", " + x + ", " + n + ");");
            case RSQRT -> s.line("AscendC::Rsqrt(" + d + ", " + x + ", " + n + ");");
            case ABS -> s.line("AscendC::Abs(" + d + ", " + x + ", " + n + ");");
            case RELU -> s.line("AscendC::Relu(" + d + ", " + x + ", " + n + ");");
            case NEG -> s.line("AscendC::Muls(" + d + ", " + x + ", -1.0f, " + n + ");");
            case NOT -> {
                // bool is 0/1: not x = 1 - x
                s.line("AscendC::Muls(" + d + ", " + x + ", -1.0f, " + n + ");");
                s.line("AscendC::Adds(" + d + ", " + d + ", 1.0f, " + n + ");");
            }
            case SIGMOID -> {
                // 1 / (1 + e^-x); e^-x overflows to inf for very negative x, giving 0 as it should
                Scratch.Temp one = s.take("float");
                s.line("AscendC::Muls(" + d + ", " + x + ", -1.0f, " + n + ");");
                s.line("AscendC::Exp(" + d + ", " + d + ", " + n + ");");
                s.line("AscendC::Adds(" + d + ", " + d + ", 1.0f, " + n + ");");
                s.line("AscendC::Duplicate(" + one.name() + ", 1.0f, " + n + ");");
                s.line("AscendC::Div(" + d + ", " + one.name() + ", " + d + ", " + n + ");");
                s.give(one);
            }
            case TANH -> {
                // tanh x = 1 - 2 / (e^2x + 1): saturates to +-1 through inf and 0 without a branch
                Scratch.Temp two = s.take("float");
                s.line("AscendC::Muls(" + d + ", " + x + ", 2.0f, " + n + ");");
                s.line("AscendC::Exp(" + d + ", " + d + ", " + n + ");");
                s.line("AscendC::Adds(" + d + ", " + d + ", 1.0f, " + n + ");");
                s.line("AscendC::Duplicate(" + two.name() + ", 2.0f, " + n + ");");
                s.line("AscendC::Div(" + d + ", " + two.name() + ", " + d + ", " + n + ");");
                s.line("AscendC::Muls(" + d + ", " + d + ", -1.0f, " + n + ");");
                s.line("AscendC::Adds(" + d + ", " + d + ", 1.0f, " + n + ");");
                s.give(two);
            }
            case ERF -> erf(d, x, s);
            case GELU -> {
                // 0.5 x (1 + erf(x / sqrt 2)), the erf form the reference computes
                Scratch.Temp h = s.take("float");
                s.line("AscendC::Muls(" + h.name() + ", " + x + ", 0.70710678118654752f, " + n + ");");
                erf(d, h.name(), s);
                s.give(h);
                s.line("AscendC::Adds(" + d + ", " + d + ", 1.0f, " + n + ");");
                s.line("AscendC::Mul(" + d + ", " + d + ", " + x + ", " + n + ");");
                s.line("AscendC::Muls(" + d + ", " + d + ", 0.5f, " + n + ");");
            }
        }
    }

    /**
     * erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, within the f32 tolerance against an
     * output's RMS) on |x|, with the sign restored by Compare/Select; d must not alias x.
     */
    private static void erf(String d, String x, Scratch s) {
        String n = s.n;
        Scratch.Temp a = s.take("float");
        Scratch.Temp t = s.take("float");
        Scratch.Temp e = s.take("float");
        s.line("AscendC::Abs(" + a.name() + ", " + x + ", " + n + ");");
        s.line("AscendC::Muls(" + t.name() + ", " + a.name() + ", " + f(ERF_P) + ", " + n + ");");
        s.line("AscendC::Adds(" + t.name() + ", " + t.name() + ", 1.0f, " + n + ");");
        s.line("AscendC::Duplicate(" + e.name() + ", 1.0f, " + n + ");");
        s.line("AscendC::Div(" + t.name() + ", " + e.name() + ", " + t.name() + ", " + n + ");");
        // Horner: q = ((((a5 t + a4) t + a3) t + a2) t + a1) t
        s.line("AscendC::Muls(" + d + ", " + t.name() + ", " + f(ERF_A[4]) + ", " + n + ");");
        for (int i = 3; i >= 0; i--) {
            s.line("AscendC::Adds(" + d + ", " + d + ", " + f(ERF_A[i]) + ", " + n + ");");
            s.line("AscendC::Mul(" + d + ", " + d + ", " + t.name() + ", " + n + ");");
        }
        s.line("AscendC::Mul(" + e.name() + ", " + a.name() + ", " + a.name() + ", " + n + ");");
        s.line("AscendC::Muls(" + e.name() + ", " + e.name() + ", -1.0f, " + n + ");");
        s.line("AscendC::Exp(" + e.name() + ", " + e.name() + ", " + n + ");");
        s.line("AscendC::Mul(" + d + ", " + d + ", " + e.name() + ", " + n + ");");
        s.line("AscendC::Muls(" + d + ", " + d + ", -1.0f, " + n + ");");
        s.line("AscendC::Adds(" + d + ", " + d + ", 1.0f, " + n + ");");
        // erf is odd: where x < 0 take -erf(|x|)
        Scratch.Temp m = s.mask();
        s.line("AscendC::Duplicate(" + a.name() + ", 0.0f, " + n + ");");
        s.line("AscendC::Compare(" + m.name() + ", " + x + ", " + a.name() + ", AscendC::CMPMODE::LT, " + n + ");");
        s.line("AscendC::Muls(" + e.name() + ", " + d + ", -1.0f, " + n + ");");
        s.line("AscendC::Select(" + d + ", " + m.name() + ", " + e.name() + ", " + d
                + ", AscendC::SELMODE::VSEL_TENSOR_TENSOR_MODE, " + n + ");");
        s.giveMask(m);
        s.give(a);
        s.give(t);
        s.give(e);
    }

    /** int32 unary ops the vector unit has (abs by max(x, -x), which wraps for INT_MIN like Java). */
    static void intUnary(UnaryOp op, String d, String x, Scratch s) {
        String n = s.n;
        switch (op) {
            case NEG -> s.line("AscendC::Muls(" + d + ", " + x + ", (int32_t)-1, " + n + ");");
            case RELU -> s.line("AscendC::Relu(" + d + ", " + x + ", " + n + ");");
            case ABS -> {
                s.line("AscendC::Muls(" + d + ", " + x + ", (int32_t)-1, " + n + ");");
                s.line("AscendC::Max(" + d + ", " + d + ", " + x + ", " + n + ");");
            }
            default -> throw Cpp.unsupported(op.irName() + " of i32 (the DSL types it as float-only)");
        }
    }

    /** Elementwise float arithmetic, min/max and logic (bool operands are 0/1 floats). */
    static void floatBinary(BinaryOp op, String d, String a, String b, Scratch s) {
        String n = s.n;
        String fn = switch (op) {
            case ADD -> "Add";
            case SUB -> "Sub";
            case MUL, AND -> "Mul";
            case DIV -> "Div";
            case MAX, OR -> "Max";
            case MIN -> "Min";
            case MOD -> throw Cpp.unsupported("% of floating-point values (fmod has no exact vector form)");
            default -> null;
        };
        if (fn != null) {
            s.line("AscendC::" + fn + "(" + d + ", " + a + ", " + b + ", " + n + ");");
            return;
        }
        // comparisons: bit mask by Compare, then 1/0 by Select
        Scratch.Temp m = s.mask();
        s.line("AscendC::Compare(" + m.name() + ", " + a + ", " + b + ", AscendC::CMPMODE::" + cmp(op) + ", " + n + ");");
        select01(d, m.name(), s);
        s.giveMask(m);
    }

    /** d = mask ? 1 : 0, as floats. */
    static void select01(String d, String mask, Scratch s) {
        String n = s.n;
        Scratch.Temp one = s.take("float");
        Scratch.Temp zero = s.take("float");
        s.line("AscendC::Duplicate(" + one.name() + ", 1.0f, " + n + ");");
        s.line("AscendC::Duplicate(" + zero.name() + ", 0.0f, " + n + ");");
        s.line("AscendC::Select(" + d + ", " + mask + ", " + one.name() + ", " + zero.name()
                + ", AscendC::SELMODE::VSEL_TENSOR_TENSOR_MODE, " + n + ");");
        s.give(one);
        s.give(zero);
    }

    /** d = (x != 0) as 0/1 floats. */
    static void nonZero(String d, String x, Scratch s) {
        Scratch.Temp zero = s.take("float");
        Scratch.Temp m = s.mask();
        s.line("AscendC::Duplicate(" + zero.name() + ", 0.0f, " + s.n + ");");
        s.line("AscendC::Compare(" + m.name() + ", " + x + ", " + zero.name() + ", AscendC::CMPMODE::NE, " + s.n + ");");
        s.give(zero);
        select01(d, m.name(), s);
        s.giveMask(m);
    }

    /** d = cond != 0 ? a : b for float tensors. */
    static void floatSelect(String d, String cond, String a, String b, Scratch s) {
        Scratch.Temp zero = s.take("float");
        Scratch.Temp m = s.mask();
        s.line("AscendC::Duplicate(" + zero.name() + ", 0.0f, " + s.n + ");");
        s.line("AscendC::Compare(" + m.name() + ", " + cond + ", " + zero.name() + ", AscendC::CMPMODE::NE, " + s.n + ");");
        s.line("AscendC::Select(" + d + ", " + m.name() + ", " + a + ", " + b
                + ", AscendC::SELMODE::VSEL_TENSOR_TENSOR_MODE, " + s.n + ");");
        s.give(zero);
        s.giveMask(m);
    }

    static String cmp(BinaryOp op) {
        return switch (op) {
            case LT -> "LT";
            case LE -> "LE";
            case GT -> "GT";
            case GE -> "GE";
            case EQ -> "EQ";
            case NE -> "NE";
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    static String f(double v) {
        return Cpp.literal(v, dev.tessera.ir.DType.F32);
    }

    /** Writes a compute-type tile into a VECOUT tensor of the buffer's storage type. */
    static void toStorage(String o, DType t, String v, Scratch s) {
        switch (t) {
            case F32, I32 -> s.line("AscendC::DataCopy(" + o + ", " + v + ", " + s.n + ");");
            case F16, BF16 -> s.line("AscendC::Cast(" + o + ", " + v + ", AscendC::RoundMode::CAST_RINT, " + s.n + ");");
            case BOOL -> {
                // float 0/1 -> half -> uint8: the vector unit narrows to bytes only from half
                Scratch.Temp h = s.take("half");
                s.line("AscendC::Cast(" + h.name() + ", " + v + ", AscendC::RoundMode::CAST_NONE, " + s.n + ");");
                s.line("AscendC::Cast(" + o + ", " + h.name() + ", AscendC::RoundMode::CAST_NONE, " + s.n + ");");
                s.give(h);
            }
            case F64 -> throw Cpp.unsupported("f64 tensors");
        }
    }
}
