package dev.tessera.passes.loop;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;

/** Builders for loop-IR expressions that fold integer constants, so index arithmetic stays readable. */
final class Ex {

    private Ex() {}

    static Expr i32(long v) {
        return new Expr.IntLit(v, LType.I32);
    }

    static Expr var(String name, LType t) {
        return new Expr.Var(name, t);
    }

    static Expr bin(LBinOp op, Expr a, Expr b) {
        if (a instanceof Expr.IntLit x && b instanceof Expr.IntLit y && a.type() == b.type()) {
            Long folded = switch (op) {
                case ADD -> x.value() + y.value();
                case SUB -> x.value() - y.value();
                case MUL -> x.value() * y.value();
                case DIV -> y.value() == 0 ? null : x.value() / y.value();
                case REM -> y.value() == 0 ? null : x.value() % y.value();
                case MIN -> Math.min(x.value(), y.value());
                case MAX -> Math.max(x.value(), y.value());
                default -> null;
            };
            if (folded != null && folded == (int) (long) folded) {
                return new Expr.IntLit(folded, a.type());
            }
        }
        return new Expr.Bin(op, a, b);
    }

    static Expr add(Expr a, Expr b) {
        if (isInt(a, 0)) {
            return b;
        }
        return isInt(b, 0) ? a : bin(LBinOp.ADD, a, b);
    }

    static Expr sub(Expr a, Expr b) {
        return isInt(b, 0) ? a : bin(LBinOp.SUB, a, b);
    }

    static Expr mul(Expr a, Expr b) {
        if (isInt(a, 0) || isInt(b, 0)) {
            return i32(0);
        }
        if (isInt(a, 1)) {
            return b;
        }
        return isInt(b, 1) ? a : bin(LBinOp.MUL, a, b);
    }

    static Expr div(Expr a, Expr b) {
        return isInt(b, 1) ? a : bin(LBinOp.DIV, a, b);
    }

    static Expr rem(Expr a, Expr b) {
        return isInt(b, 1) ? i32(0) : bin(LBinOp.REM, a, b);
    }

    static Expr lt(Expr a, Expr b) {
        return new Expr.Bin(LBinOp.LT, a, b);
    }

    static Expr and(Expr a, Expr b) {
        return new Expr.Bin(LBinOp.AND, a, b);
    }

    /** {@code ceil(a / b) * b} for positive b: a launch size rounded up to whole work-groups. */
    static Expr roundUp(Expr a, int b) {
        return mul(div(add(a, i32(b - 1)), i32(b)), i32(b));
    }

    static Expr ceilDiv(Expr a, int b) {
        return div(add(a, i32(b - 1)), i32(b));
    }

    private static boolean isInt(Expr e, long v) {
        return e instanceof Expr.IntLit l && l.value() == v;
    }
}
