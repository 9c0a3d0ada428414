package dev.tessera.codegen.opencl;

/**
 * Small OpenCL C functions the emitted kernels call where a C operator or builtin does not have Tessera's
 * semantics. Only the helpers a program uses are emitted, in declaration order.
 */
enum Helper {
    DIV_I32("tessera_div_i32", """
            // Tessera defines x / 0 == 0, and INT_MIN / -1 wraps; C leaves both undefined.
            int tessera_div_i32(int a, int b) {
                return b == 0 ? 0 : b == -1 ? (int)(0u - (uint)a) : a / b;
            }
            """),
    REM_I32("tessera_rem_i32", """
            // x % 0 == 0 in Tessera, and INT_MIN % -1 is 0 rather than a trap.
            int tessera_rem_i32(int a, int b) {
                return b == 0 || b == -1 ? 0 : a % b;
            }
            """),
    DIV_I64("tessera_div_i64", """
            long tessera_div_i64(long a, long b) {
                return b == 0 ? 0 : b == -1 ? (long)(0ul - (ulong)a) : a / b;
            }
            """),
    REM_I64("tessera_rem_i64", """
            long tessera_rem_i64(long a, long b) {
                return b == 0 || b == -1 ? 0 : a % b;
            }
            """),
    FMIN_F32("tessera_fmin_f32", """
            // fmin/fmax return the other operand when one is NaN; Tessera propagates the NaN.
            float tessera_fmin_f32(float a, float b) {
                return isnan(a) || isnan(b) ? NAN : fmin(a, b);
            }
            """),
    FMAX_F32("tessera_fmax_f32", """
            float tessera_fmax_f32(float a, float b) {
                return isnan(a) || isnan(b) ? NAN : fmax(a, b);
            }
            """),
    FMIN_F64("tessera_fmin_f64", """
            double tessera_fmin_f64(double a, double b) {
                return isnan(a) || isnan(b) ? (double)NAN : fmin(a, b);
            }
            """),
    FMAX_F64("tessera_fmax_f64", """
            double tessera_fmax_f64(double a, double b) {
                return isnan(a) || isnan(b) ? (double)NAN : fmax(a, b);
            }
            """),
    BF16_TO_F32("tessera_bf16_to_f32", """
            // bf16 is the upper half of an f32, so widening is exact.
            float tessera_bf16_to_f32(ushort h) {
                return as_float((uint)h << 16);
            }
            """),
    F32_TO_BF16("tessera_f32_to_bf16", """
            // Round to nearest even, as the reference does; a NaN keeps its sign and top payload, made quiet.
            ushort tessera_f32_to_bf16(float f) {
                uint bits = as_uint(f);
                if (isnan(f)) {
                    return (ushort)((bits >> 16) | 0x40u);
                }
                return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
            }
            """),
    ROUND_F16("tessera_round_f16", """
            // cast<f16> inside a kernel: round through half storage (vstore_half_rte needs no fp16 extension).
            float tessera_round_f16(float f) {
                ushort h;
                vstore_half_rte(f, 0, (__private half*)&h);
                return vload_half(0, (__private const half*)&h);
            }
            """),
    ROUND_BF16("tessera_round_bf16", """
            // cast<bf16> inside a kernel: round to nearest even in the upper 16 bits, NaN made quiet.
            float tessera_round_bf16(float f) {
                uint bits = as_uint(f);
                if (isnan(f)) {
                    return as_float(bits | 0x00400000u);
                }
                return as_float(((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16) << 16);
            }
            """);

    private final String cName;
    private final String source;

    Helper(String cName, String source) {
        this.cName = cName;
        this.source = source;
    }

    String cName() {
        return cName;
    }

    String source() {
        return source;
    }

    boolean needsFp64() {
        return this == FMIN_F64 || this == FMAX_F64;
    }
}
