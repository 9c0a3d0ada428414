package dev.tessera.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.SpecialReg;
import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.MethodVisitor;

/**
 * Everything a region method's code reaches, in JVM locals: buffers, local arrays, dims and launch coordinates
 * loaded once as the method starts; variables crossing barriers cached per work-item (see {@link RegionEmitter}).
 */
final class RegionEnv extends Env {

    private final Uses uses;
    private final Map<String, Integer> slots = new HashMap<>();
    private final Map<String, Integer> arrays = new HashMap<>();
    /** The local of each per-work-item variable's array. */
    private final Map<String, Integer> itemArrays = new HashMap<>();
    /** The local of each local id; -1 along dimensions of size one, where it is 0. */
    final int[] localId = {-1, -1, -1};
    private final int[] groupId = {-1, -1, -1};
    private final int[] globalBase = {-1, -1, -1};
    private final int[] numGroups = {-1, -1, -1};
    /** The work-item's number in the group, indexing per-work-item arrays; -1 when none is used. */
    int item = -1;

    RegionEnv(MethodVisitor mv, KernelLayout layout, Uses uses) {
        super(mv, layout, 1);
        this.uses = uses;
    }

    void prologue(VarPlan.RegionVars rv) {
        for (String a : uses.arrays) {
            int slot = newRefLocal();
            if (layout.isBuffer(a)) {
                getField(layout.bufferField(a), KernelLayout.SEGMENT);
            } else {
                getField(layout.localField(a), JvmTypes.arrayDescriptor(layout.local(a).elem()));
            }
            mv.visitVarInsn(ASTORE, slot);
            arrays.put(a, slot);
        }
        for (String n : uses.names) {
            if (layout.isDim(n) && !layout.vars.isDeclared(n)) {
                int slot = newLocal(LType.I32);
                getField(layout.dimField(n), "I");
                mv.visitVarInsn(ISTORE, slot);
                slots.put(n, slot);
            }
        }
        for (int d = 0; d < 3; d++) {
            if (layout.localSize[d] > 1) {
                localId[d] = newLocal(LType.I32);
            }
            boolean global = uses.uses(SpecialReg.GLOBAL_ID, d);
            if (uses.uses(SpecialReg.GROUP_ID, d) || global) {
                groupId[d] = newLocal(LType.I32);
                getField("g" + d, "I");
                mv.visitVarInsn(ISTORE, groupId[d]);
            }
            if (global && layout.localSize[d] > 1) {
                globalBase[d] = newLocal(LType.I32);
                mv.visitVarInsn(ILOAD, groupId[d]);
                JvmTypes.pushInt(mv, layout.localSize[d]);
                mv.visitInsn(IMUL);
                mv.visitVarInsn(ISTORE, globalBase[d]);
            }
            if (uses.uses(SpecialReg.NUM_GROUPS, d)) {
                numGroups[d] = newLocal(LType.I32);
                getField("n" + d, "I");
                mv.visitVarInsn(ISTORE, numGroups[d]);
            }
        }
        for (String n : rv.crossRefs()) {
            VarPlan.Var v = layout.vars.var(n);
            int slot = newLocal(v.type());
            slots.put(n, slot);
            if (v.storage() == VarPlan.Storage.REMAT) {
                JvmTypes.pushZero(mv, v.type()); // computed as each work-item starts
            } else if (v.storage() == VarPlan.Storage.PER_ITEM) {
                int arr = newRefLocal();
                getField(KernelLayout.varField(v), KernelLayout.varFieldDescriptor(v));
                mv.visitVarInsn(ASTORE, arr);
                itemArrays.put(n, arr);
                // The JVM verifier wants the cache assigned on every path, also where a work-item declares it.
                JvmTypes.pushZero(mv, v.type());
            } else {
                getField(KernelLayout.varField(v), KernelLayout.varFieldDescriptor(v));
            }
            mv.visitVarInsn(JvmTypes.storeOp(v.type()), slot);
        }
        if (!itemArrays.isEmpty()) {
            item = newLocal(LType.I32);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, item);
        }
    }

    void itemEntry(VarPlan.RegionVars rv) {
        ExprEmitter exprs = new ExprEmitter(this);
        for (String n : rv.crossRefs()) {
            if (rv.declared().contains(n)) {
                continue;
            }
            VarPlan.Var v = layout.vars.var(n);
            Integer arr = itemArrays.get(n);
            if (arr != null) {
                mv.visitVarInsn(ALOAD, arr);
                mv.visitVarInsn(ILOAD, item);
                mv.visitInsn(JvmTypes.arrayLoadOp(v.type()));
                mv.visitVarInsn(JvmTypes.storeOp(v.type()), slots.get(n));
            } else if (v.storage() == VarPlan.Storage.REMAT) {
                exprs.expr(layout.vars.rematInit(n)); // in declaration order, after what it depends on
                mv.visitVarInsn(JvmTypes.storeOp(v.type()), slots.get(n));
            }
        }
    }

    void itemExit(VarPlan.RegionVars rv) {
        for (String n : rv.crossWrites()) {
            Integer arr = itemArrays.get(n);
            if (arr != null) {
                LType t = layout.vars.var(n).type();
                mv.visitVarInsn(ALOAD, arr);
                mv.visitVarInsn(ILOAD, item);
                mv.visitVarInsn(JvmTypes.loadOp(t), slots.get(n));
                mv.visitInsn(JvmTypes.arrayStoreOp(t));
            }
        }
        if (item >= 0) {
            mv.visitIincInsn(item, 1);
        }
    }

    /** Uniform variables written here go back to their fields; every work-item computed the same value. */
    void epilogue(VarPlan.RegionVars rv) {
        for (String n : rv.crossWrites()) {
            VarPlan.Var v = layout.vars.var(n);
            if (v.storage() == VarPlan.Storage.UNIFORM) {
                mv.visitVarInsn(ALOAD, 0);
                mv.visitVarInsn(JvmTypes.loadOp(v.type()), slots.get(n));
                mv.visitFieldInsn(PUTFIELD, layout.className, KernelLayout.varField(v), JvmTypes.descriptor(v.type()));
            }
        }
    }

    @Override
    void loadVar(String name, LType t) {
        mv.visitVarInsn(JvmTypes.loadOp(t), slot(name));
    }

    @Override
    void storeVar(String name, LType t) {
        Integer slot = slots.get(name);
        if (slot == null) {
            slot = newLocal(t);
            slots.put(name, slot);
        }
        mv.visitVarInsn(JvmTypes.storeOp(t), slot);
    }

    @Override
    int slotOf(String name) {
        return slots.getOrDefault(name, -1);
    }

    private int slot(String name) {
        Integer slot = slots.get(name);
        if (slot == null) {
            throw new IllegalStateException("variable " + name + " has no local in this region");
        }
        return slot;
    }

    @Override
    void special(SpecialReg reg, int d) {
        switch (reg) {
            case LOCAL_ID -> localId(d);
            case GROUP_ID -> mv.visitVarInsn(ILOAD, groupId[d]);
            case GLOBAL_ID -> {
                if (globalBase[d] < 0) {
                    mv.visitVarInsn(ILOAD, groupId[d]); // a group one work-item wide
                } else {
                    mv.visitVarInsn(ILOAD, globalBase[d]);
                    localId(d);
                    mv.visitInsn(IADD);
                }
            }
            case LOCAL_SIZE -> JvmTypes.pushInt(mv, layout.localSize[d]);
            case NUM_GROUPS -> mv.visitVarInsn(ILOAD, numGroups[d]);
        }
    }

    private void localId(int d) {
        if (localId[d] < 0) {
            mv.visitInsn(ICONST_0);
        } else {
            mv.visitVarInsn(ILOAD, localId[d]);
        }
    }

    @Override
    void segment(String buffer) {
        mv.visitVarInsn(ALOAD, arrays.get(buffer));
    }

    @Override
    void localArray(String array) {
        mv.visitVarInsn(ALOAD, arrays.get(array));
    }
}
