package dev.tessera.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * One region as a method {@code r<id>()} of the kernel class: the work-item loop. It loads what the region
 * touches from the task's fields into JVM locals once, then runs the region's statements for every work-item
 * of the group in turn (nested loops over the local dimensions larger than one). A variable that crosses a
 * barrier is cached in a local too: per-work-item ones are read from their array as the work-item starts and
 * written back as it ends, uniform ones read before the loop and written back after it. So inner loops run on
 * locals only, which the JIT keeps in registers.
 */
final class RegionEmitter {

    private RegionEmitter() {}

    /** Emits the method and returns its bytecode size, which decides whether the JIT compiles it at all. */
    static int emit(ClassVisitor cv, KernelLayout layout, Phase.Region region) {
        MethodVisitor mv = cv.visitMethod(ACC_PRIVATE, methodName(region), "()V", null, null);
        mv.visitCode();
        VarPlan.RegionVars rv = layout.vars.region(region.id());
        Uses uses = Uses.of(region.body());
        for (String n : rv.crossRefs()) {
            if (layout.vars.var(n).storage() == VarPlan.Storage.REMAT) {
                uses.expr(layout.vars.rematInit(n));
            }
        }
        RegionEnv env = new RegionEnv(mv, layout, uses);
        env.prologue(rv);
        if (region.strided()) {
            stridedItems(env, rv, region);
        } else if (onlyUniformDecls(layout, region)) {
            // Every work-item would compute the same values and store nothing: one does it for all.
            for (int d = 0; d < 3; d++) {
                if (env.localId[d] >= 0) {
                    mv.visitInsn(ICONST_0);
                    mv.visitVarInsn(ISTORE, env.localId[d]);
                }
            }
            item(env, rv, region);
        } else if (guard(layout, region) instanceof Guard g) {
            guardedItems(env, rv, region, g);
        } else {
            allItems(env, rv, region);
        }
        env.epilogue(rv);
        mv.visitInsn(RETURN);
        Label end = new Label();
        mv.visitLabel(end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        return end.getOffset();
    }

    private static void item(RegionEnv env, VarPlan.RegionVars rv, Phase.Region region) {
        env.itemEntry(rv);
        new StmtEmitter(env).block(region.body());
        env.itemExit(rv);
    }

    /** Nested loops over the local dimensions larger than one; work-group sizes are at least 1, so each tests last. */
    private static void allItems(RegionEnv env, VarPlan.RegionVars rv, Phase.Region region) {
        MethodVisitor mv = env.mv;
        List<Integer> dims = new ArrayList<>();
        for (int d = 2; d >= 0; d--) {
            if (env.layout.localSize[d] > 1) {
                dims.add(d);
            }
        }
        Label[] tops = new Label[dims.size()];
        for (int i = 0; i < dims.size(); i++) {
            int d = dims.get(i);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, env.localId[d]);
            tops[i] = new Label();
            mv.visitLabel(tops[i]);
        }
        item(env, rv, region);
        for (int i = dims.size() - 1; i >= 0; i--) {
            int d = dims.get(i);
            mv.visitIincInsn(env.localId[d], 1);
            mv.visitVarInsn(ILOAD, env.localId[d]);
            JvmTypes.pushInt(mv, env.layout.localSize[d]);
            mv.visitJumpInsn(IF_ICMPLT, tops[i]);
        }
    }

    /**
     * A region that is one {@code if (id < e)} (or {@code == e}) with a group-wide {@code e}, where {@code id} is
     * {@code local_id(0)} or {@code global_id(0)}, runs only the work-items that pass: the tree reductions'
     * later steps and the row stores touch a few work-items of many, and a pointwise kernel's mask cuts only
     * the last group short. The loop's bounds are exactly the work-items that pass, so the {@code if} goes: the
     * loop has no branch per work-item, which lets the JIT vectorise it.
     */
    private static void guardedItems(RegionEnv env, VarPlan.RegionVars rv, Phase.Region region, Guard g) {
        MethodVisitor mv = env.mv;
        ExprEmitter exprs = new ExprEmitter(env);
        Expr.Bin guard = g.cond();
        int size = env.layout.localSize[0];
        // Every work-item would compute the group-wide values alike: once, before the loop.
        new StmtEmitter(env).block(g.groupWide());
        int lo = env.newLocal(LType.I32);
        int hi = env.newLocal(LType.I32);
        // The bound as a local id: e, or e less the group's first global id (both are ints at least 0, so the
        // difference cannot overflow).
        Runnable bound = () -> {
            exprs.expr(guard.b());
            if (g.global()) {
                env.getField("g0", "I");
                JvmTypes.pushInt(mv, size);
                mv.visitInsn(IMUL);
                mv.visitInsn(ISUB);
            }
        };
        if (guard.op() == LBinOp.LT) {
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, lo);
            bound.run();
        } else {
            bound.run();
            mv.visitInsn(DUP);
            mv.visitInsn(ICONST_0);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "max", "(II)I", false);
            mv.visitVarInsn(ISTORE, lo);
            // e + 1 cannot overflow past the clamp below: it is compared with the group size only.
            mv.visitInsn(ICONST_1);
            mv.visitInsn(IADD);
        }
        JvmTypes.pushInt(mv, size);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        mv.visitVarInsn(ISTORE, hi);
        int lx = env.localId[0];
        mv.visitVarInsn(ILOAD, lo);
        mv.visitVarInsn(ISTORE, lx);
        if (env.item >= 0) {
            mv.visitVarInsn(ILOAD, lo);
            mv.visitVarInsn(ISTORE, env.item); // one-dimensional: the work-item's number is its local id
        }
        Label top = new Label();
        Label end = new Label();
        mv.visitLabel(top);
        mv.visitVarInsn(ILOAD, lx);
        mv.visitVarInsn(ILOAD, hi);
        mv.visitJumpInsn(IF_ICMPGE, end);
        env.itemEntry(rv);
        StmtEmitter stmts = new StmtEmitter(env);
        if (g.id() != null) {
            stmts.block(List.of(g.id()));
        }
        stmts.block(((Stmt.If) region.body().getLast()).then());
        env.itemExit(rv);
        mv.visitIincInsn(lx, 1);
        mv.visitJumpInsn(GOTO, top);
        mv.visitLabel(end);
    }

    /**
     * A strided loop, interchanged with the work-item loop: steps of the group's size over the range, and in
     * each step the work-items that still have an iteration, in order. Work-item {@code l} runs iterations
     * {@code l, l + size, ...} in that order, as before; its variables wait in their arrays between steps.
     */
    private static void stridedItems(RegionEnv env, VarPlan.RegionVars rv, Phase.Region region) {
        MethodVisitor mv = env.mv;
        Stmt.For f = (Stmt.For) region.body().getFirst();
        int size = env.layout.localSize[0];
        int hi = env.newLocal(LType.I32);
        int k0 = env.newLocal(LType.I32);
        int n = env.newLocal(LType.I32);
        int lx = env.localId[0];
        new ExprEmitter(env).expr(f.hi()); // uniform and reads no memory, so the same every iteration
        mv.visitVarInsn(ISTORE, hi);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, k0);
        Label step = new Label();
        Label end = new Label();
        mv.visitLabel(step);
        mv.visitVarInsn(ILOAD, k0);
        mv.visitVarInsn(ILOAD, hi);
        mv.visitJumpInsn(IF_ICMPGE, end);
        // n = min(size, hi - k0): hi > k0 >= 0, so the difference cannot overflow.
        mv.visitVarInsn(ILOAD, hi);
        mv.visitVarInsn(ILOAD, k0);
        mv.visitInsn(ISUB);
        JvmTypes.pushInt(mv, size);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        mv.visitVarInsn(ISTORE, n);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, lx);
        Label item = new Label();
        mv.visitLabel(item);
        if (env.item >= 0) {
            mv.visitVarInsn(ILOAD, lx);
            mv.visitVarInsn(ISTORE, env.item);
        }
        env.itemEntry(rv);
        mv.visitVarInsn(ILOAD, k0);
        mv.visitVarInsn(ILOAD, lx);
        mv.visitInsn(IADD);
        env.storeVar(f.var().name(), f.var().type());
        new StmtEmitter(env).block(f.body());
        env.itemExit(rv);
        mv.visitIincInsn(lx, 1);
        mv.visitVarInsn(ILOAD, lx);
        mv.visitVarInsn(ILOAD, n);
        mv.visitJumpInsn(IF_ICMPLT, item);
        // The last step ends the loop before k0 + size could overflow.
        mv.visitVarInsn(ILOAD, hi);
        mv.visitVarInsn(ILOAD, k0);
        mv.visitInsn(ISUB);
        JvmTypes.pushInt(mv, size);
        mv.visitJumpInsn(IF_ICMPLE, end);
        mv.visitIincInsn(k0, size);
        mv.visitJumpInsn(GOTO, step);
        mv.visitLabel(end);
    }

    /**
     * A region's guard: {@code id < e} or {@code id == e}, the id local or global, with the declarations before
     * the {@code if}: of group-wide values, and of the id (or null).
     */
    private record Guard(Expr.Bin cond, boolean global, List<Stmt> groupWide, Stmt.Decl id) {}

    /**
     * The region's guard, where a guarded loop applies, else null: the region is the {@code if}, after
     * declarations of group-wide values and at most one of the id it tests.
     */
    private static Guard guard(KernelLayout layout, Phase.Region region) {
        List<Stmt> body = region.body();
        List<Stmt> groupWide = new ArrayList<>();
        Stmt.Decl id = null;
        for (Stmt s : body.subList(0, Math.max(0, body.size() - 1))) {
            if (!(s instanceof Stmt.Decl d)) {
                return null;
            } else if (layout.vars.isUniformValue(d.var().name())) {
                groupWide.add(d);
            } else if (id == null) {
                id = d;
            } else {
                return null;
            }
        }
        if (layout.localSize[0] < 2 || layout.localSize[1] != 1 || layout.localSize[2] != 1
                || body.isEmpty() || !(body.getLast() instanceof Stmt.If i)
                || !i.otherwise().isEmpty() || !(i.cond() instanceof Expr.Bin b)
                || (b.op() != LBinOp.LT && b.op() != LBinOp.EQ) || b.b().type() != LType.I32
                || !layout.vars.isUniformWithoutLoads(b.b())) {
            return null;
        }
        Stmt.Decl declared = id;
        Expr tested = switch (b.a()) {
            case Expr.Var v when declared != null && declared.var().equals(v) -> declared.init();
            case Expr.Var v when layout.vars.var(v.name()) != null
                    && layout.vars.var(v.name()).storage() == VarPlan.Storage.REMAT -> layout.vars.rematInit(v.name());
            default -> b.a();
        };
        if (id != null && !id.init().equals(tested)) {
            return null; // the declaration is of something else
        }
        if (tested.equals(new Expr.Special(SpecialReg.LOCAL_ID, 0))) {
            return new Guard(b, false, groupWide, id);
        }
        return tested.equals(new Expr.Special(SpecialReg.GLOBAL_ID, 0)) ? new Guard(b, true, groupWide, id) : null;
    }

    /** A region of declarations of group-wide values only. */
    private static boolean onlyUniformDecls(KernelLayout layout, Phase.Region region) {
        return region.body().stream().allMatch(s -> s instanceof Stmt.Decl d && layout.vars.isUniformValue(d.var().name()));
    }

    static String methodName(Phase.Region r) {
        return "r" + r.id();
    }
}
