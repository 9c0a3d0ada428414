package dev.tessera.passes.loop;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.UnaryOp;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LUnOp;

/**
 * Scalar semantics of tile ops in loop IR: composite functions (sigmoid, gelu, relu) expand into the
 * primitives every target has, so each backend implements only {@link LUnOp}.
 */
final class Scalars {

    private Scalars() {}

    static LType typeOf(DType d) {
        return LType.computeTypeOf(d);
    }

    static Expr constant(double v, LType t) {
        return switch (t) {
            case F32, F64 -> new Expr.FloatLit(t == LType.F32 ? (float) v : v, t);
            case I32, I64 -> new Expr.IntLit((long) v, t);
            case BOOL -> new Expr.BoolLit(v != 0);
        };
    }

    static Expr unary(UnaryOp op, Expr x) {
        LType t = x.type();
        return switch (op) {
            case EXP -> un(LUnOp.EXP, x);
            case LOG -> un(LUnOp.LOG, x);
            case SQRT -> un(LUnOp.SQRT, x);
            case RSQRT -> un(LUnOp.RSQRT, x);
            case TANH -> un(LUnOp.TANH, x);
            case ERF -> un(LUnOp.ERF, x);
            case ABS -> un(LUnOp.ABS, x);
            case NEG -> un(LUnOp.NEG, x);
            case NOT -> un(LUnOp.NOT, x);
            case RELU -> new Expr.Bin(LBinOp.MAX, x, constant(0, t));
            // 1 / (1 + e^-x)
            case SIGMOID -> new Expr.Bin(LBinOp.DIV, constant(1, t),
                    new Expr.Bin(LBinOp.ADD, constant(1, t), un(LUnOp.EXP, un(LUnOp.NEG, x))));
            // 0.5 x (1 + erf(x / sqrt 2)), the exact form the reference computes
            case GELU -> new Expr.Bin(LBinOp.MUL, new Expr.Bin(LBinOp.MUL, constant(0.5, t), x),
                    new Expr.Bin(LBinOp.ADD, constant(1, t),
                            un(LUnOp.ERF, new Expr.Bin(LBinOp.MUL, x, constant(0.7071067811865476, t)))));
        };
    }

    static Expr binary(BinaryOp op, Expr a, Expr b) {
        LBinOp l = switch (op) {
            case ADD -> LBinOp.ADD;
            case SUB -> LBinOp.SUB;
            case MUL -> LBinOp.MUL;
            case DIV -> LBinOp.DIV;
            case MOD -> LBinOp.REM;
            case MAX -> LBinOp.MAX;
            case MIN -> LBinOp.MIN;
            case LT -> LBinOp.LT;
            case LE -> LBinOp.LE;
            case GT -> LBinOp.GT;
            case GE -> LBinOp.GE;
            case EQ -> LBinOp.EQ;
            case NE -> LBinOp.NE;
            case AND -> LBinOp.AND;
            case OR -> LBinOp.OR;
        };
        return new Expr.Bin(l, a, b);
    }

    /** {@code cast<to>}: converted to the compute type, and rounded when the dtype is narrower than it. */
    static Expr convert(Expr x, DType to) {
        LType t = typeOf(to);
        Expr c = x.type() == t ? x : new Expr.Conv(t, x);
        return switch (to) {
            case F16 -> new Expr.Un(LUnOp.ROUND_F16, c);
            case BF16 -> new Expr.Un(LUnOp.ROUND_BF16, c);
            default -> c;
        };
    }

    /** The value a reduction starts from. */
    static Expr identity(ReduceOp op, LType t) {
        return switch (op) {
            case SUM, MEAN -> constant(0, t);
            case MAX -> t.isFloat() ? constant(Double.NEGATIVE_INFINITY, t)
                    : new Expr.Bin(LBinOp.SUB, new Expr.IntLit(-Integer.MAX_VALUE, t), new Expr.IntLit(1, t));
            case MIN -> t.isFloat() ? constant(Double.POSITIVE_INFINITY, t) : new Expr.IntLit(Integer.MAX_VALUE, t);
        };
    }

    static Expr combine(ReduceOp op, Expr acc, Expr x) {
        return switch (op) {
            case SUM, MEAN -> new Expr.Bin(LBinOp.ADD, acc, x);
            case MAX -> new Expr.Bin(LBinOp.MAX, acc, x);
            case MIN -> new Expr.Bin(LBinOp.MIN, acc, x);
        };
    }

    private static Expr un(LUnOp op, Expr x) {
        return new Expr.Un(op, x);
    }
}
