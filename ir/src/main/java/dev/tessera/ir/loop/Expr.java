package dev.tessera.ir.loop;

import java.util.List;

/** A scalar expression of loop IR, evaluated by one thread. */
public sealed interface Expr {

    LType type();

    /** The expressions this one is computed from directly, in order. */
    default List<Expr> operands() {
        return switch (this) {
            case Bin b -> List.of(b.a(), b.b());
            case Un u -> List.of(u.x());
            case Select s -> List.of(s.cond(), s.a(), s.b());
            case Conv c -> List.of(c.x());
            case Load l -> List.of(l.index());
            case Var v -> List.of();
            case IntLit i -> List.of();
            case FloatLit f -> List.of();
            case BoolLit b -> List.of();
            case Special s -> List.of();
        };
    }

    /** A local variable or a dimension parameter. */
    record Var(String name, LType type) implements Expr {
        public Var {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("bad variable name '" + name + "'");
            }
        }
    }

    record IntLit(long value, LType type) implements Expr {
        public IntLit {
            if (!type.isInt()) {
                throw new IllegalArgumentException("int literal of type " + type);
            }
        }
    }

    record FloatLit(double value, LType type) implements Expr {
        public FloatLit {
            if (!type.isFloat()) {
                throw new IllegalArgumentException("float literal of type " + type);
            }
        }
    }

    record BoolLit(boolean value) implements Expr {
        public LType type() {
            return LType.BOOL;
        }
    }

    /** Both operands have the same type; comparisons yield bool. */
    record Bin(LBinOp op, Expr a, Expr b) implements Expr {
        public LType type() {
            return op.isComparison() ? LType.BOOL : a.type();
        }
    }

    record Un(LUnOp op, Expr x) implements Expr {
        public LType type() {
            return x.type();
        }
    }

    /** {@code c ? a : b}; a and b have the same type. */
    record Select(Expr cond, Expr a, Expr b) implements Expr {
        public LType type() {
            return a.type();
        }
    }

    /** Conversion (float to int truncates toward zero; to bool is {@code != 0}). */
    record Conv(LType to, Expr x) implements Expr {
        public LType type() {
            return to;
        }
    }

    /** Element {@code index} of a buffer parameter or a local array, in its compute type. */
    record Load(String array, Expr index, LType type) implements Expr {}

    /** A launch coordinate along dimension 0, 1 or 2. */
    record Special(SpecialReg reg, int dim) implements Expr {
        public Special {
            if (dim < 0 || dim > 2) {
                throw new IllegalArgumentException("launch dimension " + dim);
            }
        }

        public LType type() {
            return LType.I32;
        }
    }
}
