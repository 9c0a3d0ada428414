package dev.tessera.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.SpecialReg;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Writes the class of one kernel: fields for the launch's state (see {@link KernelLayout}), a constructor that
 * binds a task, {@code bind}, one method per region ({@link RegionEmitter}) and {@code run}, the driver that walks
 * the task's work-groups and, within each, the kernel's phases in order.
 */
final class KernelClassWriter {

    private static final String BASE = "dev/tessera/codegen/jvm/KernelCode";
    private static final String BIND = "([Ljava/lang/foreign/MemorySegment;[I)";

    /** The class file and the bytecode size of each region method, by region number. */
    record Written(byte[] bytes, Map<Integer, Integer> regionSizes) {}

    private final KernelLayout layout;
    private final ClassWriter cw;
    private final Map<Integer, Integer> regionSizes = new HashMap<>();

    private KernelClassWriter(KernelLayout layout) {
        this.layout = layout;
        // Frames are computed from the code; the only reference types that ever meet are identical ones.
        this.cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return a.equals(b) ? a : "java/lang/Object";
            }
        };
    }

    static Written write(KernelLayout layout, List<Phase> phases) {
        KernelClassWriter w = new KernelClassWriter(layout);
        w.cw.visit(V21, ACC_FINAL | ACC_SUPER, layout.className, null, BASE, null);
        w.fields();
        w.constructors();
        w.bind();
        w.run(phases);
        w.cw.visitEnd();
        return new Written(w.cw.toByteArray(), Map.copyOf(w.regionSizes));
    }

    private void field(String name, String descriptor) {
        cw.visitField(ACC_PRIVATE, name, descriptor, null, null).visitEnd();
    }

    private void fields() {
        for (int i = 0; i < layout.bufferParams.size(); i++) {
            field("b" + i, KernelLayout.SEGMENT);
        }
        for (int i = 0; i < layout.dimParams.size(); i++) {
            field("d" + i, "I");
        }
        for (int d = 0; d < 3; d++) {
            field("n" + d, "I");
            field("g" + d, "I");
        }
        for (int i = 0; i < layout.kernel.locals().size(); i++) {
            field("a" + i, JvmTypes.arrayDescriptor(layout.kernel.locals().get(i).elem()));
        }
        for (VarPlan.Var v : layout.vars.all()) {
            if (v.storage() != VarPlan.Storage.LOCAL && v.storage() != VarPlan.Storage.REMAT) {
                field(KernelLayout.varField(v), KernelLayout.varFieldDescriptor(v));
            }
        }
    }

    private void constructors() {
        MethodVisitor mv = cw.visitMethod(0, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, BASE, "<init>", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = cw.visitMethod(ACC_PRIVATE, "<init>", BIND + "V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, BASE, "<init>", "()V", false);
        for (int i = 0; i < layout.bufferParams.size(); i++) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ALOAD, 1);
            JvmTypes.pushInt(mv, i);
            mv.visitInsn(AALOAD);
            mv.visitFieldInsn(PUTFIELD, layout.className, "b" + i, KernelLayout.SEGMENT);
        }
        int dims = layout.dimParams.size();
        for (int i = 0; i < dims + 3; i++) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ALOAD, 2);
            JvmTypes.pushInt(mv, i);
            mv.visitInsn(IALOAD);
            mv.visitFieldInsn(PUTFIELD, layout.className, i < dims ? "d" + i : "n" + (i - dims), "I");
        }
        // Local memory and per-work-item variables belong to the task: a work-group sees only its own.
        for (int i = 0; i < layout.kernel.locals().size(); i++) {
            LocalArray a = layout.kernel.locals().get(i);
            mv.visitVarInsn(ALOAD, 0);
            JvmTypes.newArray(mv, a.elem(), a.length());
            mv.visitFieldInsn(PUTFIELD, layout.className, "a" + i, JvmTypes.arrayDescriptor(a.elem()));
        }
        for (VarPlan.Var v : layout.vars.withStorage(VarPlan.Storage.PER_ITEM)) {
            mv.visitVarInsn(ALOAD, 0);
            JvmTypes.newArray(mv, v.type(), layout.groupSize);
            mv.visitFieldInsn(PUTFIELD, layout.className, KernelLayout.varField(v), KernelLayout.varFieldDescriptor(v));
        }
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private void bind() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "bind", BIND + "L" + BASE + ";", null, null);
        mv.visitCode();
        mv.visitTypeInsn(NEW, layout.className);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitVarInsn(ALOAD, 2);
        mv.visitMethodInsn(INVOKESPECIAL, layout.className, "<init>", BIND + "V", false);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code run(from, to)}: locals 1 and 2 are the range, 3 the group, 4 and 5 the group counts, 6 a temporary. */
    private void run(List<Phase> phases) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "run", "(II)V", null, null);
        mv.visitCode();
        DriverEnv env = new DriverEnv(mv, layout);
        final int g = 3, n0 = 4, n1 = 5, rest = 6;
        env.getField("n0", "I");
        mv.visitVarInsn(ISTORE, n0);
        env.getField("n1", "I");
        mv.visitVarInsn(ISTORE, n1);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitVarInsn(ISTORE, g);
        Label top = new Label();
        Label end = new Label();
        mv.visitLabel(top);
        mv.visitVarInsn(ILOAD, g);
        mv.visitVarInsn(ILOAD, 2);
        mv.visitJumpInsn(IF_ICMPGE, end);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ILOAD, g);
        mv.visitVarInsn(ILOAD, n0);
        mv.visitInsn(IREM);
        mv.visitFieldInsn(PUTFIELD, layout.className, "g0", "I");
        mv.visitVarInsn(ILOAD, g);
        mv.visitVarInsn(ILOAD, n0);
        mv.visitInsn(IDIV);
        mv.visitVarInsn(ISTORE, rest);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ILOAD, rest);
        mv.visitVarInsn(ILOAD, n1);
        mv.visitInsn(IREM);
        mv.visitFieldInsn(PUTFIELD, layout.className, "g1", "I");
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ILOAD, rest);
        mv.visitVarInsn(ILOAD, n1);
        mv.visitInsn(IDIV);
        mv.visitFieldInsn(PUTFIELD, layout.className, "g2", "I");
        phases(phases, env);
        mv.visitIincInsn(g, 1);
        mv.visitJumpInsn(GOTO, top);
        mv.visitLabel(end);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private void phases(List<Phase> phases, DriverEnv env) {
        MethodVisitor mv = env.mv;
        for (Phase p : phases) {
            switch (p) {
                case Phase.Region r -> {
                    regionSizes.put(r.id(), RegionEmitter.emit(cw, layout, r));
                    mv.visitVarInsn(ALOAD, 0);
                    mv.visitMethodInsn(INVOKESPECIAL, layout.className, RegionEmitter.methodName(r), "()V", false);
                }
                case Phase.Loop l -> loop(l, env);
            }
        }
    }

    /** A loop with barriers, run once for the group: its variable is a driver local, mirrored in a field. */
    private void loop(Phase.Loop l, DriverEnv env) {
        MethodVisitor mv = env.mv;
        ExprEmitter exprs = new ExprEmitter(env);
        String v = l.loop().var().name();
        LType t = l.loop().var().type();
        exprs.expr(l.loop().lo());
        env.storeVar(v, t);
        Label top = new Label();
        Label end = new Label();
        mv.visitLabel(top);
        exprs.branchIfFalse(new dev.tessera.ir.loop.Expr.Bin(dev.tessera.ir.loop.LBinOp.LT, l.loop().var(),
                l.loop().hi()), end);
        mv.visitVarInsn(ALOAD, 0);
        env.loadVar(v, t);
        mv.visitFieldInsn(PUTFIELD, layout.className, KernelLayout.varField(layout.vars.var(v)), JvmTypes.descriptor(t));
        phases(l.body(), env);
        StmtEmitter.step(l.loop(), env);
        mv.visitJumpInsn(GOTO, top);
        mv.visitLabel(end);
    }

    /**
     * The group driver's view: loop variables of barrier loops in its locals, everything else read from the
     * task's fields. Bounds of such loops are uniform, so a per-work-item variable is read at work-item 0.
     */
    private static final class DriverEnv extends Env {

        private final Map<String, Integer> loopSlots = new HashMap<>();

        DriverEnv(MethodVisitor mv, KernelLayout layout) {
            super(mv, layout, 7);
        }

        @Override
        void loadVar(String name, LType t) {
            Integer slot = loopSlots.get(name);
            if (slot != null) {
                mv.visitVarInsn(JvmTypes.loadOp(t), slot);
                return;
            }
            if (!layout.vars.isDeclared(name)) {
                getField(layout.dimField(name), "I");
                return;
            }
            VarPlan.Var v = layout.vars.var(name);
            if (v.storage() == VarPlan.Storage.REMAT) {
                new ExprEmitter(this).expr(layout.vars.rematInit(name));
                return;
            }
            getField(KernelLayout.varField(v), KernelLayout.varFieldDescriptor(v));
            if (v.storage() == VarPlan.Storage.PER_ITEM) {
                mv.visitInsn(ICONST_0);
                mv.visitInsn(JvmTypes.arrayLoadOp(t));
            }
        }

        @Override
        void storeVar(String name, LType t) {
            Integer slot = loopSlots.get(name);
            if (slot == null) {
                slot = newLocal(t);
                loopSlots.put(name, slot);
            }
            mv.visitVarInsn(JvmTypes.storeOp(t), slot);
        }

        @Override
        int slotOf(String name) {
            return loopSlots.getOrDefault(name, -1);
        }

        @Override
        void special(SpecialReg reg, int d) {
            switch (reg) {
                case LOCAL_ID -> mv.visitInsn(ICONST_0);
                case GROUP_ID -> getField("g" + d, "I");
                case GLOBAL_ID -> {
                    getField("g" + d, "I");
                    JvmTypes.pushInt(mv, layout.localSize[d]);
                    mv.visitInsn(IMUL);
                }
                case LOCAL_SIZE -> JvmTypes.pushInt(mv, layout.localSize[d]);
                case NUM_GROUPS -> getField("n" + d, "I");
            }
        }

        @Override
        void segment(String buffer) {
            getField(layout.bufferField(buffer), KernelLayout.SEGMENT);
        }

        @Override
        void localArray(String array) {
            getField(layout.localField(array), JvmTypes.arrayDescriptor(layout.local(array).elem()));
        }
    }
}
