package dev.tessera.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.Stmt;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/** Bytecode for the barrier-free statements of a region, run by one work-item. */
final class StmtEmitter {

    private static final String KERNEL_MATH = "dev/tessera/codegen/jvm/KernelMath";

    private final Env env;
    private final MethodVisitor mv;
    private final ExprEmitter exprs;

    StmtEmitter(Env env) {
        this.env = env;
        this.mv = env.mv;
        this.exprs = new ExprEmitter(env);
    }

    ExprEmitter exprs() {
        return exprs;
    }

    void block(List<Stmt> body) {
        for (Stmt s : body) {
            stmt(s);
        }
    }

    private void stmt(Stmt s) {
        switch (s) {
            case Stmt.Decl d -> {
                exprs.expr(d.init());
                env.storeVar(d.var().name(), d.var().type());
            }
            case Stmt.Assign a -> {
                exprs.expr(a.value());
                env.storeVar(a.var().name(), a.var().type());
            }
            case Stmt.Store st -> Memory.store(exprs, env, st.array(), st.index(), st.value());
            case Stmt.For f -> loop(f);
            case Stmt.If i -> {
                Label otherwise = new Label();
                exprs.branchIfFalse(i.cond(), otherwise);
                block(i.then());
                if (i.otherwise().isEmpty()) {
                    mv.visitLabel(otherwise);
                } else {
                    Label end = new Label();
                    mv.visitJumpInsn(GOTO, end);
                    mv.visitLabel(otherwise);
                    block(i.otherwise());
                    mv.visitLabel(end);
                }
            }
            case Stmt.Barrier b -> throw new IllegalStateException("a barrier inside a region");
        }
    }

    /**
     * {@code for (v = lo; v < hi; v += step)} with {@code hi} and {@code step} evaluated every iteration, as the
     * interpreter does; the body cannot assign {@code v} (the verifier forbids it).
     */
    private void loop(Stmt.For f) {
        String v = f.var().name();
        LType t = f.var().type();
        exprs.expr(f.lo());
        env.storeVar(v, t);
        Label top = new Label();
        Label end = new Label();
        mv.visitLabel(top);
        exprs.branchIfFalse(new Expr.Bin(dev.tessera.ir.loop.LBinOp.LT, f.var(), f.hi()), end);
        block(f.body());
        step(f, env);
        mv.visitJumpInsn(GOTO, top);
        mv.visitLabel(end);
    }

    /** Adds the loop's step to its variable, refusing a step that is not positive (it would never end). */
    static void step(Stmt.For f, Env env) {
        MethodVisitor mv = env.mv;
        ExprEmitter exprs = new ExprEmitter(env);
        String v = f.var().name();
        LType t = f.var().type();
        int slot = env.slotOf(v);
        if (f.step() instanceof Expr.IntLit lit && lit.value() > 0) {
            if (t == LType.I32 && slot >= 0 && lit.value() <= Short.MAX_VALUE) {
                mv.visitIincInsn(slot, (int) lit.value());
                return;
            }
            env.loadVar(v, t);
            exprs.expr(f.step());
            mv.visitInsn(t == LType.I64 ? LADD : IADD);
            env.storeVar(v, t);
            return;
        }
        int step = env.newLocal(t);
        exprs.expr(f.step());
        mv.visitVarInsn(JvmTypes.storeOp(t), step);
        mv.visitVarInsn(JvmTypes.loadOp(t), step);
        if (t == LType.I64) {
            mv.visitInsn(LCONST_0);
            mv.visitInsn(LCMP);
        }
        Label ok = new Label();
        mv.visitJumpInsn(IFGT, ok);
        mv.visitLdcInsn(v);
        mv.visitVarInsn(JvmTypes.loadOp(t), step);
        if (t != LType.I64) {
            mv.visitInsn(I2L);
        }
        mv.visitMethodInsn(INVOKESTATIC, KERNEL_MATH, "badStep", "(Ljava/lang/String;J)Ljava/lang/IllegalStateException;",
                false);
        mv.visitInsn(ATHROW);
        mv.visitLabel(ok);
        env.loadVar(v, t);
        mv.visitVarInsn(JvmTypes.loadOp(t), step);
        mv.visitInsn(t == LType.I64 ? LADD : IADD);
        env.storeVar(v, t);
    }
}
