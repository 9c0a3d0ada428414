package dev.tessera.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.tessera.ir.DType;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LocalArray;
import org.objectweb.asm.MethodVisitor;

/**
 * Loads and stores of buffer elements in their storage format, through {@code MemorySegment.getAtIndex} and
 * {@code setAtIndex} with the layout constants of {@code ValueLayout} (static finals, so the JIT folds the
 * access down to a bounds-checked move), and of local-array elements through Java arrays. Layouts are the
 * unaligned ones: x86 and ARM do not care, and the JIT then has no alignment check to keep.
 */
final class Memory {

    private static final String SEGMENT = "java/lang/foreign/MemorySegment";
    private static final String LAYOUT = "java/lang/foreign/ValueLayout";

    private Memory() {}

    /** The layout constant and JVM type of one stored element. */
    private record Access(String field, String layoutClass, String jvmType) {}

    private static Access access(DType d) {
        return switch (d) {
            case F32 -> new Access("JAVA_FLOAT_UNALIGNED", "OfFloat", "F");
            case F16, BF16 -> new Access("JAVA_SHORT_UNALIGNED", "OfShort", "S");
            case I32 -> new Access("JAVA_INT_UNALIGNED", "OfInt", "I");
            case BOOL -> new Access("JAVA_BYTE", "OfByte", "B");
            case F64 -> new Access("JAVA_DOUBLE_UNALIGNED", "OfDouble", "D");
        };
    }

    private static String layoutDescriptor(Access a) {
        return "L" + LAYOUT + "$" + a.layoutClass() + ";";
    }

    /** Pushes element {@code l.index()} of a buffer or local array, in its compute type. */
    static void load(ExprEmitter exprs, Env env, Expr.Load l) {
        MethodVisitor mv = env.mv;
        if (!env.layout.isBuffer(l.array())) {
            LocalArray a = env.layout.local(l.array());
            env.localArray(l.array());
            exprs.intIndex(l.index());
            mv.visitInsn(JvmTypes.arrayLoadOp(a.elem()));
            return;
        }
        DType d = env.layout.bufferType(l.array());
        Access a = access(d);
        env.segment(l.array());
        mv.visitFieldInsn(GETSTATIC, LAYOUT, a.field(), layoutDescriptor(a));
        exprs.longIndex(l.index());
        mv.visitMethodInsn(INVOKEINTERFACE, SEGMENT, "getAtIndex", "(" + layoutDescriptor(a) + "J)" + a.jvmType(), true);
        switch (d) {
            case F16 -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "float16ToFloat", "(S)F", false);
            case BF16 -> mv.visitMethodInsn(INVOKESTATIC, "dev/tessera/codegen/jvm/KernelMath", "bf16ToFloat", "(S)F",
                    false);
            case BOOL -> mv.visitMethodInsn(INVOKESTATIC, "dev/tessera/codegen/jvm/KernelMath", "boolOf", "(B)I", false);
            case F32, I32, F64 -> { }
        }
    }

    /** Stores {@code value} (in the array's compute type) to element {@code index}, rounding to the storage type. */
    static void store(ExprEmitter exprs, Env env, String array, Expr index, Expr value) {
        MethodVisitor mv = env.mv;
        if (!env.layout.isBuffer(array)) {
            LocalArray a = env.layout.local(array);
            env.localArray(array);
            exprs.intIndex(index);
            exprs.expr(value);
            if (a.elem() == LType.BOOL) {
                mv.visitInsn(I2B);
            }
            mv.visitInsn(JvmTypes.arrayStoreOp(a.elem()));
            return;
        }
        DType d = env.layout.bufferType(array);
        Access a = access(d);
        env.segment(array);
        mv.visitFieldInsn(GETSTATIC, LAYOUT, a.field(), layoutDescriptor(a));
        exprs.longIndex(index);
        exprs.expr(value);
        switch (d) {
            // Float.floatToFloat16 rounds to nearest even, as the reference's Rounding does.
            case F16 -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToFloat16", "(F)S", false);
            case BF16 -> mv.visitMethodInsn(INVOKESTATIC, "dev/tessera/codegen/jvm/KernelMath", "floatToBf16", "(F)S",
                    false);
            case BOOL -> mv.visitInsn(I2B);
            case F32, I32, F64 -> { }
        }
        mv.visitMethodInsn(INVOKEINTERFACE, SEGMENT, "setAtIndex", "(" + layoutDescriptor(a) + "J" + a.jvmType() + ")V",
                true);
    }
}
