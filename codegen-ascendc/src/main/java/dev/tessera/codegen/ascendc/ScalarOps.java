package dev.tessera.codegen.ascendc;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.UnaryOp;

/**
 * Scalar C++ for values constant along a tile (row scalars), with the project's semantics spelled by the
 * helpers of the generated prelude: i32 wraps and x/0 = 0, min/max propagate NaN, float-to-int truncates
 * and saturates, bools are 0/1 floats.
 */
final class ScalarOps {

    private ScalarOps() {}

    /** A value read from global memory, converted to its compute type. */
    static String fromStorage(DType stored, String read) {
        return switch (stored) {
            case F32, I32 -> read;
            case F16, BF16 -> "tessera::to_f32(" + read + ")";
            case BOOL -> "(" + read + " != 0 ? 1.0f : 0.0f)";
            case F64 -> throw Cpp.unsupported("f64 tensors");
        };
    }

    static String unary(UnaryOp op, DType t, String x) {
        boolean isInt = Cpp.isInt(t);
        return switch (op) {
            case NEG -> isInt ? "tessera::ineg(" + x + ")" : "(-" + x + ")";
            case ABS -> isInt ? "tessera::iabs(" + x + ")" : "tessera::fabs_f32(" + x + ")";
            case RELU -> isInt ? "(" + x + " > 0 ? " + x + " : 0)" : "tessera::fmax_nan(" + x + ", 0.0f)";
            case NOT -> "(" + x + " != 0.0f ? 0.0f : 1.0f)";
            default -> throw new IllegalStateException(op + " runs on the vector unit");
        };
    }

    static String binary(BinaryOp op, DType operands, String a, String b) {
        boolean isInt = Cpp.isInt(operands);
        if (op.isComparison()) {
            String c = switch (op) {
                case LT -> "<";
                case LE -> "<=";
                case GT -> ">";
                case GE -> ">=";
                case EQ -> "==";
                default -> "!=";
            };
            return "((" + a + " " + c + " " + b + ") ? 1.0f : 0.0f)";
        }
        if (isInt) {
            return switch (op) {
                case ADD -> "tessera::iadd(" + a + ", " + b + ")";
                case SUB -> "tessera::isub(" + a + ", " + b + ")";
                case MUL -> "tessera::imul(" + a + ", " + b + ")";
                case DIV -> "tessera::idiv(" + a + ", " + b + ")";
                case MOD -> "tessera::imod(" + a + ", " + b + ")";
                case MAX -> "(" + a + " > " + b + " ? " + a + " : " + b + ")";
                case MIN -> "(" + a + " < " + b + " ? " + a + " : " + b + ")";
                default -> throw Cpp.unsupported(op.irName() + " of i32");
            };
        }
        return switch (op) {
            case ADD -> "(" + a + " + " + b + ")";
            case SUB -> "(" + a + " - " + b + ")";
            case MUL -> "(" + a + " * " + b + ")";
            case DIV -> "(" + a + " / " + b + ")";
            case MAX -> "tessera::fmax_nan(" + a + ", " + b + ")";
            case MIN -> "tessera::fmin_nan(" + a + ", " + b + ")";
            case AND -> "((" + a + " != 0.0f && " + b + " != 0.0f) ? 1.0f : 0.0f)";
            case OR -> "((" + a + " != 0.0f || " + b + " != 0.0f) ? 1.0f : 0.0f)";
            case MOD -> throw Cpp.unsupported("% of floating-point values (fmod has no exact vector form)");
            default -> throw new IllegalStateException(op.irName());
        };
    }

    static String cast(DType from, DType to, String x) {
        boolean fromInt = Cpp.isInt(from);
        return switch (to) {
            case F32 -> fromInt ? "((float)" + x + ")" : x;
            case F16 -> "tessera::round_f16(" + (fromInt ? "(float)" + x : x) + ")";
            case BF16 -> "tessera::round_bf16(" + (fromInt ? "(float)" + x : x) + ")";
            case I32 -> fromInt ? x : "tessera::f2i(" + x + ")";
            case BOOL -> "((" + x + ") != 0 ? 1.0f : 0.0f)";
            case F64 -> throw Cpp.unsupported("f64 values");
        };
    }

    /** The value a reduction starts from, in the compute type. */
    static String identity(dev.tessera.ir.ReduceOp op, DType t) {
        boolean isInt = Cpp.isInt(t);
        return switch (op) {
            case SUM, MEAN -> isInt ? "0" : "0.0f";
            case MAX -> isInt ? "(-2147483647 - 1)" : "(-tessera::inf_f32())";
            case MIN -> isInt ? "2147483647" : "tessera::inf_f32()";
        };
    }

    static String combine(dev.tessera.ir.ReduceOp op, DType t, String acc, String x) {
        boolean isInt = Cpp.isInt(t);
        return switch (op) {
            case SUM, MEAN -> isInt ? "tessera::iadd(" + acc + ", " + x + ")" : "(" + acc + " + " + x + ")";
            case MAX -> isInt ? "(" + acc + " > " + x + " ? " + acc + " : " + x + ")" : "tessera::fmax_nan(" + acc + ", " + x + ")";
            case MIN -> isInt ? "(" + acc + " < " + x + " ? " + acc + " : " + x + ")" : "tessera::fmin_nan(" + acc + ", " + x + ")";
        };
    }
}
