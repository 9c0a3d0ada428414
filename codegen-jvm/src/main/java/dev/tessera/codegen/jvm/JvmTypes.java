package dev.tessera.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.tessera.ir.loop.LType;
import org.objectweb.asm.MethodVisitor;

/** How loop-IR scalar types live on the JVM: i32 and bool (0 or 1) as int, i64 long, f32 float, f64 double. */
final class JvmTypes {

    private JvmTypes() {}

    static String descriptor(LType t) {
        return switch (t) {
            case BOOL, I32 -> "I";
            case I64 -> "J";
            case F32 -> "F";
            case F64 -> "D";
        };
    }

    /** Local-variable slots a value takes. */
    static int size(LType t) {
        return t == LType.I64 || t == LType.F64 ? 2 : 1;
    }

    static int loadOp(LType t) {
        return switch (t) {
            case BOOL, I32 -> ILOAD;
            case I64 -> LLOAD;
            case F32 -> FLOAD;
            case F64 -> DLOAD;
        };
    }

    static int storeOp(LType t) {
        return switch (t) {
            case BOOL, I32 -> ISTORE;
            case I64 -> LSTORE;
            case F32 -> FSTORE;
            case F64 -> DSTORE;
        };
    }

    /** Local arrays: bool as bytes, the rest as their JVM type. */
    static String arrayDescriptor(LType t) {
        return switch (t) {
            case BOOL -> "[B";
            case I32 -> "[I";
            case I64 -> "[J";
            case F32 -> "[F";
            case F64 -> "[D";
        };
    }

    static int arrayLoadOp(LType t) {
        return switch (t) {
            case BOOL -> BALOAD;
            case I32 -> IALOAD;
            case I64 -> LALOAD;
            case F32 -> FALOAD;
            case F64 -> DALOAD;
        };
    }

    static int arrayStoreOp(LType t) {
        return switch (t) {
            case BOOL -> BASTORE;
            case I32 -> IASTORE;
            case I64 -> LASTORE;
            case F32 -> FASTORE;
            case F64 -> DASTORE;
        };
    }

    /** Emits {@code new T[length]} for an array of {@code t} elements. */
    static void newArray(MethodVisitor mv, LType t, int length) {
        pushInt(mv, length);
        mv.visitIntInsn(NEWARRAY, switch (t) {
            case BOOL -> T_BYTE;
            case I32 -> T_INT;
            case I64 -> T_LONG;
            case F32 -> T_FLOAT;
            case F64 -> T_DOUBLE;
        });
    }

    static void pushInt(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    static void pushLong(MethodVisitor mv, long v) {
        if (v == 0 || v == 1) {
            mv.visitInsn(LCONST_0 + (int) v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    static void pushFloat(MethodVisitor mv, float v) {
        // FCONST_0 is +0.0 only: -0.0 and NaN payloads go through the constant pool.
        if (Float.floatToRawIntBits(v) == 0) {
            mv.visitInsn(FCONST_0);
        } else if (v == 1f || v == 2f) {
            mv.visitInsn(FCONST_0 + (int) v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    static void pushDouble(MethodVisitor mv, double v) {
        if (Double.doubleToRawLongBits(v) == 0) {
            mv.visitInsn(DCONST_0);
        } else if (v == 1d) {
            mv.visitInsn(DCONST_1);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    /** Pushes the zero of {@code t}. */
    static void pushZero(MethodVisitor mv, LType t) {
        switch (t) {
            case BOOL, I32 -> mv.visitInsn(ICONST_0);
            case I64 -> mv.visitInsn(LCONST_0);
            case F32 -> mv.visitInsn(FCONST_0);
            case F64 -> mv.visitInsn(DCONST_0);
        }
    }
}
