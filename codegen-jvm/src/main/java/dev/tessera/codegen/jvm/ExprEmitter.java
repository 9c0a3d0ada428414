package dev.tessera.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LUnOp;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Bytecode for loop-IR expressions with loop IR's meaning (see {@code LoopOps} and {@code ScalarMath} in the IR
 * module): f32 operations in float, each rounded; integer division by zero gives 0; min and max propagate NaN
 * ({@link Math#min}); float to int truncates and saturates, NaN to 0; {@code select} evaluates only the chosen
 * operand. Unary math goes through double and rounds once, as the interpreter does, but with {@link Math}
 * (JIT intrinsics) instead of {@link StrictMath}: within an ulp of double, so the f32 result differs only when a
 * double lands within that ulp of a float rounding boundary.
 */
final class ExprEmitter {

    private static final String KERNEL_MATH = "dev/tessera/codegen/jvm/KernelMath";

    private final Env env;
    private final MethodVisitor mv;

    ExprEmitter(Env env) {
        this.env = env;
        this.mv = env.mv;
    }

    /** Pushes the value of {@code e} in its JVM form. */
    void expr(Expr e) {
        switch (e) {
            case Expr.Var v -> env.loadVar(v.name(), v.type());
            case Expr.IntLit i -> {
                if (i.type() == LType.I64) {
                    JvmTypes.pushLong(mv, i.value());
                } else {
                    JvmTypes.pushInt(mv, (int) i.value());
                }
            }
            case Expr.FloatLit f -> {
                if (f.type() == LType.F32) {
                    JvmTypes.pushFloat(mv, (float) f.value());
                } else {
                    JvmTypes.pushDouble(mv, f.value());
                }
            }
            case Expr.BoolLit b -> mv.visitInsn(b.value() ? ICONST_1 : ICONST_0);
            case Expr.Bin b -> binary(b);
            case Expr.Un u -> unary(u.op(), u.x());
            case Expr.Select s -> {
                Label otherwise = new Label();
                Label end = new Label();
                branchIfFalse(s.cond(), otherwise);
                expr(s.a());
                mv.visitJumpInsn(GOTO, end);
                mv.visitLabel(otherwise);
                expr(s.b());
                mv.visitLabel(end);
            }
            case Expr.Conv c -> {
                expr(c.x());
                convert(c.x().type(), c.to());
            }
            case Expr.Load l -> Memory.load(this, env, l);
            case Expr.Special s -> env.special(s.reg(), s.dim());
        }
    }

    /** Pushes an index expression as a long, as memory segments take it. */
    void longIndex(Expr index) {
        switch (index) {
            // Sums and products are widened operand by operand: for (long) row * d + (long) k, unlike for
            // (long) (row * d + k), C2 proves the loop's accesses in range once and hoists the bounds checks
            // (20% on layernorm). Where the int expression would overflow, the long one is the right index.
            case Expr.Bin b when b.type() == LType.I32
                    && (b.op() == LBinOp.ADD || b.op() == LBinOp.SUB || b.op() == LBinOp.MUL) -> {
                longIndex(b.a());
                longIndex(b.b());
                mv.visitInsn(switch (b.op()) {
                    case ADD -> LADD;
                    case SUB -> LSUB;
                    default -> LMUL;
                });
            }
            case Expr.IntLit i -> mv.visitLdcInsn(i.value());
            default -> {
                expr(index);
                if (index.type() != LType.I64) {
                    mv.visitInsn(I2L);
                }
            }
        }
    }

    /** Pushes an index expression as an int, as Java arrays take it. */
    void intIndex(Expr index) {
        expr(index);
        if (index.type() == LType.I64) {
            mv.visitMethodInsn(INVOKESTATIC, KERNEL_MATH, "localIndex", "(J)I", false);
        }
    }

    /**
     * Jumps to {@code target} when the bool {@code cond} is false and falls through when it is true. And and
     * or short-circuit here: their operands have no effects but a failed access, which a correct program has not.
     */
    void branchIfFalse(Expr cond, Label target) {
        switch (cond) {
            case Expr.BoolLit b -> {
                if (!b.value()) {
                    mv.visitJumpInsn(GOTO, target);
                }
            }
            case Expr.Bin b when b.op().isComparison() -> compare(b, target);
            case Expr.Bin b when b.op() == LBinOp.AND && b.a().type() == LType.BOOL -> {
                branchIfFalse(b.a(), target);
                branchIfFalse(b.b(), target);
            }
            case Expr.Bin b when b.op() == LBinOp.OR && b.a().type() == LType.BOOL -> {
                Label second = new Label();
                Label taken = new Label();
                branchIfFalse(b.a(), second);
                mv.visitJumpInsn(GOTO, taken);
                mv.visitLabel(second);
                branchIfFalse(b.b(), target);
                mv.visitLabel(taken);
            }
            case Expr.Un u when u.op() == LUnOp.NOT -> {
                expr(u.x());
                mv.visitJumpInsn(IFNE, target);
            }
            default -> {
                expr(cond);
                mv.visitJumpInsn(IFEQ, target);
            }
        }
    }

    /** A comparison that jumps to {@code target} when false. NaN makes every comparison but ne false. */
    private void compare(Expr.Bin b, Label target) {
        LType t = b.a().type();
        expr(b.a());
        expr(b.b());
        LBinOp op = b.op();
        switch (t) {
            case BOOL, I32 -> {
                mv.visitJumpInsn(switch (op) {
                    case LT -> IF_ICMPGE;
                    case LE -> IF_ICMPGT;
                    case GT -> IF_ICMPLE;
                    case GE -> IF_ICMPLT;
                    case EQ -> IF_ICMPNE;
                    default -> IF_ICMPEQ;
                }, target);
                return;
            }
            case I64 -> mv.visitInsn(LCMP);
            // fcmpg gives 1 on NaN and fcmpl -1: pick the one that makes the negated test jump.
            case F32 -> mv.visitInsn(op == LBinOp.LT || op == LBinOp.LE ? FCMPG : FCMPL);
            case F64 -> mv.visitInsn(op == LBinOp.LT || op == LBinOp.LE ? DCMPG : DCMPL);
        }
        mv.visitJumpInsn(switch (op) {
            case LT -> IFGE;
            case LE -> IFGT;
            case GT -> IFLE;
            case GE -> IFLT;
            case EQ -> IFNE;
            default -> IFEQ;
        }, target);
    }

    private void binary(Expr.Bin b) {
        LBinOp op = b.op();
        if (op.isComparison() || (b.a().type() == LType.BOOL && (op == LBinOp.AND || op == LBinOp.OR))) {
            Label no = new Label();
            Label end = new Label();
            branchIfFalse(b, no);
            mv.visitInsn(ICONST_1);
            mv.visitJumpInsn(GOTO, end);
            mv.visitLabel(no);
            mv.visitInsn(ICONST_0);
            mv.visitLabel(end);
            return;
        }
        LType t = b.a().type();
        expr(b.a());
        expr(b.b());
        boolean wide = t == LType.I64;
        switch (op) {
            case ADD -> mv.visitInsn(typed(t, IADD, LADD, FADD, DADD));
            case SUB -> mv.visitInsn(typed(t, ISUB, LSUB, FSUB, DSUB));
            case MUL -> mv.visitInsn(typed(t, IMUL, LMUL, FMUL, DMUL));
            case DIV, REM -> {
                boolean div = op == LBinOp.DIV;
                if (t.isFloat()) {
                    // Java's float % is C's fmod: exact, like the interpreter's double % rounded to float.
                    mv.visitInsn(div ? typed(t, 0, 0, FDIV, DDIV) : typed(t, 0, 0, FREM, DREM));
                } else if (b.b() instanceof Expr.IntLit c && c.value() != 0) {
                    mv.visitInsn(div ? (wide ? LDIV : IDIV) : (wide ? LREM : IREM));
                } else {
                    mv.visitMethodInsn(INVOKESTATIC, KERNEL_MATH, div ? "div" : "rem", wide ? "(JJ)J" : "(II)I", false);
                }
            }
            case MIN, MAX -> {
                String d = JvmTypes.descriptor(t);
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", op == LBinOp.MIN ? "min" : "max",
                        "(" + d + d + ")" + d, false);
            }
            case AND -> mv.visitInsn(wide ? LAND : IAND);
            case OR -> mv.visitInsn(wide ? LOR : IOR);
            default -> throw new IllegalStateException("comparison " + op);
        }
    }

    private static int typed(LType t, int i32, int i64, int f32, int f64) {
        return switch (t) {
            case BOOL, I32 -> i32;
            case I64 -> i64;
            case F32 -> f32;
            case F64 -> f64;
        };
    }

    private void unary(LUnOp op, Expr x) {
        LType t = x.type();
        if (!t.isFloat()) {
            expr(x);
            switch (op) {
                case NEG -> mv.visitInsn(t == LType.I64 ? LNEG : INEG);
                case ABS -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "abs",
                        t == LType.I64 ? "(J)J" : "(I)I", false);
                case NOT -> {
                    if (t == LType.I64) {
                        JvmTypes.pushLong(mv, -1);
                        mv.visitInsn(LXOR);
                    } else {
                        mv.visitInsn(t == LType.BOOL ? ICONST_1 : ICONST_M1);
                        mv.visitInsn(IXOR);
                    }
                }
                default -> throw new IllegalStateException(op.irName() + " on " + t.irName());
            }
            return;
        }
        boolean f32 = t == LType.F32;
        if (op == LUnOp.RSQRT) {
            mv.visitInsn(DCONST_1); // 1 / sqrt(x) in double, rounded once, as the interpreter computes it
        }
        expr(x);
        switch (op) {
            case NEG -> mv.visitInsn(f32 ? FNEG : DNEG);
            case ABS -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "abs", f32 ? "(F)F" : "(D)D", false);
            case ROUND_F16, ROUND_BF16 -> {
                if (!f32) {
                    mv.visitInsn(D2F);
                }
                mv.visitMethodInsn(INVOKESTATIC, KERNEL_MATH, op == LUnOp.ROUND_F16 ? "roundF16" : "roundBf16",
                        "(F)F", false);
                if (!f32) {
                    mv.visitInsn(F2D);
                }
            }
            case EXP, LOG, SQRT, RSQRT, TANH, ERF -> {
                if (f32) {
                    mv.visitInsn(F2D);
                }
                switch (op) {
                    case EXP -> math("exp");
                    case LOG -> math("log");
                    case SQRT -> math("sqrt");
                    case TANH -> math("tanh");
                    case ERF -> mv.visitMethodInsn(INVOKESTATIC, KERNEL_MATH, "erf", "(D)D", false);
                    default -> {
                        math("sqrt");
                        mv.visitInsn(DDIV);
                    }
                }
                if (f32) {
                    mv.visitInsn(D2F);
                }
            }
            case NOT -> throw new IllegalStateException("not on " + t.irName());
        }
    }

    private void math(String name) {
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", name, "(D)D", false);
    }

    /** Converts the value on the stack, with the interpreter's rules (see {@code LoopOps.convert}). */
    void convert(LType from, LType to) {
        if (from == to || (from == LType.BOOL && to == LType.I32)) {
            return;
        }
        if (to == LType.BOOL) {
            switch (from) {
                case I32 -> { }
                case I64 -> {
                    mv.visitInsn(LCONST_0);
                    mv.visitInsn(LCMP);
                }
                case F32 -> {
                    mv.visitInsn(FCONST_0);
                    mv.visitInsn(FCMPL); // NaN gives -1: true, as NaN != 0
                }
                case F64 -> {
                    mv.visitInsn(DCONST_0);
                    mv.visitInsn(DCMPL);
                }
                case BOOL -> throw new IllegalStateException("unreachable");
            }
            Label zero = new Label();
            Label end = new Label();
            mv.visitJumpInsn(IFEQ, zero);
            mv.visitInsn(ICONST_1);
            mv.visitJumpInsn(GOTO, end);
            mv.visitLabel(zero);
            mv.visitInsn(ICONST_0);
            mv.visitLabel(end);
            return;
        }
        int insn = switch (from) {
            case BOOL, I32 -> typed(to, NOP, I2L, I2F, I2D);
            case I64 -> typed(to, L2I, NOP, L2F, L2D);
            // Java's f2i/d2i truncate toward zero, saturate, and give 0 for NaN: loop IR's conversion exactly.
            case F32 -> typed(to, F2I, F2L, NOP, F2D);
            case F64 -> typed(to, D2I, D2L, D2F, NOP);
        };
        if (insn != NOP) {
            mv.visitInsn(insn);
        }
    }
}
