package dev.tessera.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.SpecialReg;
import org.objectweb.asm.MethodVisitor;

/**
 * How the code of one generated method reaches variables, launch coordinates and memory. A region method
 * keeps everything it touches in JVM locals; the group driver, which evaluates the bounds of loops with
 * barriers, reads the task's fields.
 */
abstract class Env {

    final MethodVisitor mv;
    final KernelLayout layout;
    private int nextLocal;

    /** @param firstLocal the first JVM local slot after {@code this} and the method's parameters */
    Env(MethodVisitor mv, KernelLayout layout, int firstLocal) {
        this.mv = mv;
        this.layout = layout;
        this.nextLocal = firstLocal;
    }

    /** A fresh JVM local for a value of {@code t}; slots are never reused, so each keeps one type. */
    int newLocal(LType t) {
        int slot = nextLocal;
        nextLocal += JvmTypes.size(t);
        return slot;
    }

    /** A fresh JVM local for a reference. */
    int newRefLocal() {
        return nextLocal++;
    }

    /** Pushes the value of a variable or dimension parameter. */
    abstract void loadVar(String name, LType t);

    /** Pops a value into a variable, giving it a JVM local on its declaration where it has none. */
    abstract void storeVar(String name, LType t);

    /** The JVM local a variable is in, or -1. */
    abstract int slotOf(String name);

    /** Pushes a launch coordinate (an int). */
    abstract void special(SpecialReg reg, int dim);

    /** Pushes the {@code MemorySegment} of a buffer parameter. */
    abstract void segment(String buffer);

    /** Pushes the Java array of a local array. */
    abstract void localArray(String array);

    /** Pushes field {@code name} of {@code this}. */
    final void getField(String name, String descriptor) {
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, layout.className, name, descriptor);
    }
}
