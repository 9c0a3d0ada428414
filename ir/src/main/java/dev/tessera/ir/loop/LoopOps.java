package dev.tessera.ir.loop;

import dev.tessera.ir.loop.Lane.DNode;
import dev.tessera.ir.loop.Lane.LNode;

/**
 * The interpreter's nodes for operators and conversions: f32 results rounded to float after every operation,
 * f64 in double, i32 wrapping to 32 bits, i64 to 64; bools are 0 and 1.
 */
final class LoopOps {

    private LoopOps() {}

    /** @param type the operands' type; the result is an {@link LNode} for comparisons and int/bool operands */
    static Object binary(LBinOp op, LType type, Object a, Object b) {
        if (type.isFloat()) {
            DNode x = (DNode) a;
            DNode y = (DNode) b;
            if (op.isComparison()) {
                return compare(op, x, y);
            }
            DNode r = switch (op) {
                case ADD -> t -> x.eval(t) + y.eval(t);
                case SUB -> t -> x.eval(t) - y.eval(t);
                case MUL -> t -> x.eval(t) * y.eval(t);
                case DIV -> t -> x.eval(t) / y.eval(t);
                // Java's % on doubles is C's fmod, exact, so rounding afterwards is right for f32 too.
                case REM -> t -> x.eval(t) % y.eval(t);
                case MIN -> t -> ScalarMath.fmin(x.eval(t), y.eval(t));
                case MAX -> t -> ScalarMath.fmax(x.eval(t), y.eval(t));
                default -> throw new IllegalArgumentException(op.irName() + " on " + type);
            };
            // Double then float rounding is exact for + - * / of floats: double has more than 2 * 24 + 2 bits.
            return type == LType.F32 ? (DNode) t -> (float) r.eval(t) : r;
        }
        LNode x = (LNode) a;
        LNode y = (LNode) b;
        LNode r = switch (op) {
            case ADD -> t -> x.eval(t) + y.eval(t);
            case SUB -> t -> x.eval(t) - y.eval(t);
            case MUL -> t -> x.eval(t) * y.eval(t);
            case DIV -> t -> ScalarMath.div(x.eval(t), y.eval(t));
            case REM -> t -> ScalarMath.rem(x.eval(t), y.eval(t));
            case MIN -> t -> Math.min(x.eval(t), y.eval(t));
            case MAX -> t -> Math.max(x.eval(t), y.eval(t));
            case AND -> t -> x.eval(t) & y.eval(t);
            case OR -> t -> x.eval(t) | y.eval(t);
            case LT -> t -> x.eval(t) < y.eval(t) ? 1 : 0;
            case LE -> t -> x.eval(t) <= y.eval(t) ? 1 : 0;
            case GT -> t -> x.eval(t) > y.eval(t) ? 1 : 0;
            case GE -> t -> x.eval(t) >= y.eval(t) ? 1 : 0;
            case EQ -> t -> x.eval(t) == y.eval(t) ? 1 : 0;
            case NE -> t -> x.eval(t) != y.eval(t) ? 1 : 0;
        };
        return type == LType.I32 && !op.isComparison() ? (LNode) t -> (int) r.eval(t) : r;
    }

    private static LNode compare(LBinOp op, DNode x, DNode y) {
        return switch (op) {
            case LT -> t -> x.eval(t) < y.eval(t) ? 1 : 0;
            case LE -> t -> x.eval(t) <= y.eval(t) ? 1 : 0;
            case GT -> t -> x.eval(t) > y.eval(t) ? 1 : 0;
            case GE -> t -> x.eval(t) >= y.eval(t) ? 1 : 0;
            case EQ -> t -> x.eval(t) == y.eval(t) ? 1 : 0;
            case NE -> t -> x.eval(t) != y.eval(t) ? 1 : 0;
            default -> throw new IllegalArgumentException(op.irName() + " is not a comparison");
        };
    }

    static Object unary(LUnOp op, LType type, Object a) {
        if (type.isFloat()) {
            DNode x = (DNode) a;
            DNode r = switch (op) {
                case NEG -> t -> -x.eval(t);
                case ABS -> t -> Math.abs(x.eval(t));
                case NOT -> throw new IllegalArgumentException("not on " + type);
                default -> t -> ScalarMath.math(op, x.eval(t));
            };
            return type == LType.F32 ? (DNode) t -> (float) r.eval(t) : r;
        }
        LNode x = (LNode) a;
        LNode r = switch (op) {
            case NEG -> t -> -x.eval(t);
            case ABS -> t -> Math.abs(x.eval(t));
            case NOT -> type == LType.BOOL ? t -> x.eval(t) ^ 1 : t -> ~x.eval(t);
            default -> throw new IllegalArgumentException(op.irName() + " on " + type);
        };
        return type == LType.I32 ? (LNode) t -> (int) r.eval(t) : r;
    }

    /** Float to int truncates (NaN to 0, saturating); to bool is {@code != 0} (NaN is true); i64 to i32 wraps. */
    static Object convert(LType from, LType to, Object a) {
        if (from.isFloat()) {
            DNode x = (DNode) a;
            return switch (to) {
                case F32 -> (DNode) t -> (float) x.eval(t);
                case F64 -> x;
                case I32 -> (LNode) t -> ScalarMath.toI32(x.eval(t));
                case I64 -> (LNode) t -> ScalarMath.toI64(x.eval(t));
                case BOOL -> (LNode) t -> x.eval(t) != 0 ? 1 : 0;
            };
        }
        LNode x = (LNode) a;
        return switch (to) {
            case F32 -> (DNode) t -> (float) x.eval(t);
            case F64 -> (DNode) t -> (double) x.eval(t);
            case I32 -> from == LType.I32 || from == LType.BOOL ? x : (LNode) t -> (int) x.eval(t);
            case I64 -> x;
            case BOOL -> from == LType.BOOL ? x : (LNode) t -> x.eval(t) != 0 ? 1 : 0;
        };
    }
}
