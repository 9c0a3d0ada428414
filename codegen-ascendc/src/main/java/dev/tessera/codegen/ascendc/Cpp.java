package dev.tessera.codegen.ascendc;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.DType;
import dev.tessera.ir.GeneratedNames;
import dev.tessera.ir.SourceSpan;

/** C++ spellings shared by the writers: element types in memory and in computation, literals, comment text. */
final class Cpp {

    private Cpp() {}

    /** The element type a buffer holds in global memory and in VECIN/VECOUT queues. */
    static String storage(DType d) {
        return switch (d) {
            case F32 -> "float";
            case F16 -> "half";
            case BF16 -> "bfloat16_t";
            case I32 -> "int32_t";
            case BOOL -> "uint8_t";
            case F64 -> throw unsupported("f64 tensors (the Ascend vector unit has no double arithmetic)");
        };
    }

    /**
     * The element type a value is computed in: f16 and bf16 are computed in f32 (the project's semantics),
     * bool as 0/1 floats so that Compare/Select and Mul/Max implement comparisons and logic.
     */
    static String compute(DType d) {
        return switch (d) {
            case F32, F16, BF16, BOOL -> "float";
            case I32 -> "int32_t";
            case F64 -> throw unsupported("f64 values (the Ascend vector unit has no double arithmetic)");
        };
    }

    static boolean isInt(DType d) {
        return d == DType.I32;
    }

    static int storageBytes(DType d) {
        return d.byteSize();
    }

    static String literal(double v, DType computeOf) {
        if (compute(computeOf).equals("int32_t")) {
            long l = (long) v;
            return l == Integer.MIN_VALUE ? "(-2147483647 - 1)" : Long.toString(l);
        }
        float f = (float) v;
        if (Float.isNaN(f)) {
            return "tessera::nan_f32()";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "tessera::inf_f32()" : "(-tessera::inf_f32())";
        }
        String s = Float.toString(f);
        if (s.contains("E")) {
            s = s.replace("E", "e");
        }
        return "(" + s + "f)";
    }

    /**
     * Text fit for a {@code //} comment ({@link GeneratedNames#commentSafe}), and, as in OpenCL C, no backslash:
     * at the end of a line it would splice the next line into the comment.
     */
    static String comment(String s) {
        return GeneratedNames.commentSafe(s.replace('\\', '?'));
    }

    static CompileException unsupported(String what) {
        return new CompileException(SourceSpan.UNKNOWN, "the Ascend C backend does not support " + what);
    }
}
