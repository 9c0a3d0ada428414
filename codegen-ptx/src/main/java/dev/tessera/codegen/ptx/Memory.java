package dev.tessera.codegen.ptx;

import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopParam;

/**
 * Loads and stores of buffer parameters (global memory, 64-bit addresses) and local arrays (shared memory,
 * 32-bit addresses), with each storage type's conversion: f16 through {@code cvt}, bf16 as the upper half
 * of an f32 (stores round to nearest even), bool as a byte 0/1.
 */
final class Memory {

    private final KernelScope scope;
    private final PtxCode code;

    Memory(KernelScope scope) {
        this.scope = scope;
        this.code = scope.code;
    }

    /** The element in its compute type (f32 for f16 and bf16). */
    Val load(String array, Val index) {
        LocalArray local = scope.locals.get(array);
        if (local != null) {
            String addr = sharedAddress(local, index);
            return switch (local.elem()) {
                case BOOL -> {
                    String b = code.fresh(RegClass.B32);
                    code.op("ld.shared.u8", b, addr);
                    yield toPred(b);
                }
                default -> {
                    Val v = code.fresh(local.elem());
                    code.op("ld.shared" + PtxTypes.bits(local.elem()), v, addr);
                    yield v;
                }
            };
        }
        LoopParam.BufferParam b = buffer(array, "load from");
        String addr = globalAddress(b, index);
        // The read-only data cache path is valid only for memory no thread writes during the launch.
        String ld = scope.isReadOnly(b.name()) ? "ld.global.nc" : "ld.global";
        return switch (b.elem()) {
            case F32 -> loadAs(ld + ".f32", LType.F32, addr);
            case F64 -> loadAs(ld + ".f64", LType.F64, addr);
            case I32 -> loadAs(ld + ".b32", LType.I32, addr);
            case F16 -> {
                String h = code.fresh(RegClass.B16);
                code.op(ld + ".b16", h, addr);
                Val f = code.fresh(LType.F32);
                code.op("cvt.f32.f16", f, h);
                yield f;
            }
            case BF16 -> {
                // bf16 is the upper half of an f32, so widening is a shift and exact.
                String raw = code.fresh(RegClass.B32);
                code.op(ld + ".u16", raw, addr);
                String bits = code.fresh(RegClass.B32);
                code.op("shl.b32", bits, raw, 16);
                Val f = code.fresh(LType.F32);
                code.op("mov.b32", f, bits);
                yield f;
            }
            case BOOL -> {
                String raw = code.fresh(RegClass.B32);
                code.op(ld + ".u8", raw, addr);
                yield toPred(raw);
            }
        };
    }

    /** Stores {@code value}, already in the array's compute type. */
    void store(String array, Val index, Val value) {
        LocalArray local = scope.locals.get(array);
        if (local != null) {
            String addr = sharedAddress(local, index);
            if (local.elem() == LType.BOOL) {
                code.op("st.shared.u8", addr, byteOf(value));
            } else {
                code.op("st.shared" + PtxTypes.bits(local.elem()), addr, value);
            }
            return;
        }
        LoopParam.BufferParam b = buffer(array, "store to");
        if (!b.written()) {
            throw scope.bad("store to '" + array + "', which is not a written buffer parameter");
        }
        String addr = globalAddress(b, index);
        switch (b.elem()) {
            case F32 -> code.op("st.global.f32", addr, value);
            case F64 -> code.op("st.global.f64", addr, value);
            case I32 -> code.op("st.global.b32", addr, value);
            case F16 -> {
                String h = code.fresh(RegClass.B16);
                code.op("cvt.rn.f16.f32", h, value);
                code.op("st.global.b16", addr, h);
            }
            case BF16 -> code.op("st.global.u16", addr, bf16Bits(value));
            case BOOL -> code.op("st.global.u8", addr, byteOf(value));
        }
    }

    /**
     * The bf16 bits of an f32 (in the low half of a 32-bit register), rounded to nearest even as the
     * reference does: add 0x7FFF plus the lowest kept bit, then truncate. A NaN keeps its sign and top
     * payload bits and is made quiet, since rounding could carry its payload into the exponent (an infinity).
     */
    String bf16Bits(Val f32) {
        String bits = code.fresh(RegClass.B32);
        code.op("mov.b32", bits, f32);
        String lsb = code.fresh(RegClass.B32);
        code.op("bfe.u32", lsb, bits, 16, 1);
        String bias = code.fresh(RegClass.B32);
        code.op("add.s32", bias, lsb, 0x7FFF);
        String rounded = code.fresh(RegClass.B32);
        code.op("add.s32", rounded, bits, bias);
        String hi = code.fresh(RegClass.B32);
        code.op("shr.u32", hi, rounded, 16);
        String top = code.fresh(RegClass.B32);
        code.op("shr.u32", top, bits, 16);
        String quiet = code.fresh(RegClass.B32);
        code.op("or.b32", quiet, top, "0x40");
        String nan = code.fresh(RegClass.PRED);
        code.op("setp.nan.f32", nan, f32, f32);
        String out = code.fresh(RegClass.B32);
        code.op("selp.b32", out, quiet, hi, nan);
        return out;
    }

    private Val loadAs(String opcode, LType t, String addr) {
        Val v = code.fresh(t);
        code.op(opcode, v, addr);
        return v;
    }

    private Val toPred(String byteReg) {
        Val p = code.fresh(LType.BOOL);
        code.op("setp.ne.s32", p, byteReg, 0);
        return p;
    }

    private String byteOf(Val pred) {
        String b = code.fresh(RegClass.B32);
        code.op("selp.u32", b, 1, 0, pred);
        return b;
    }

    private LoopParam.BufferParam buffer(String array, String what) {
        LoopParam.BufferParam b = scope.buffers.get(array);
        if (b == null) {
            throw scope.bad(what + " '" + array + "', which is neither a buffer parameter nor a local array");
        }
        return b;
    }

    /** {@code [base + index * size]}: a constant index folds into the offset, others widen to 64 bits. */
    private String globalAddress(LoopParam.BufferParam b, Val index) {
        String base = scope.base(b.name());
        int size = b.elem().byteSize();
        if (index.immediate()) {
            return "[" + base + offset(PtxLiterals.value(index), size) + "]";
        }
        String addr = code.fresh(RegClass.B64);
        if (index.type() == LType.I32) {
            String wide = code.fresh(RegClass.B64);
            code.op("mul.wide.s32", wide, index, size);
            code.op("add.s64", addr, base, wide);
        } else if (index.type() == LType.I64) {
            code.op("mad.lo.s64", addr, index, size, base);
        } else {
            throw scope.bad("index of " + b.name() + " is " + index.type().irName() + ", not an integer");
        }
        return "[" + addr + "]";
    }

    /** Shared memory is addressed with 32 bits: a work-group's arrays are far smaller than 4 GiB. */
    private String sharedAddress(LocalArray a, Val index) {
        String symbol = scope.sharedName(a.name());
        int size = a.elem() == LType.BOOL ? 1 : a.elem() == LType.I64 || a.elem() == LType.F64 ? 8 : 4;
        if (index.immediate()) {
            return "[" + symbol + offset(PtxLiterals.value(index), size) + "]";
        }
        String i32 = index.text();
        if (index.type() == LType.I64) {
            i32 = code.fresh(RegClass.B32);
            code.op("cvt.u32.u64", i32, index);
        } else if (index.type() != LType.I32) {
            throw scope.bad("index of " + a.name() + " is " + index.type().irName() + ", not an integer");
        }
        String addr = code.fresh(RegClass.B32);
        code.op("mad.lo.s32", addr, i32, size, scope.sharedBase(a.name()));
        return "[" + addr + "]";
    }

    /** A constant index as a byte offset; one beyond 32 bits cannot address an element of any array. */
    private String offset(long index, int size) {
        long bytes = index * size;
        if (Math.abs(index) > Integer.MAX_VALUE || bytes < Integer.MIN_VALUE || bytes > Integer.MAX_VALUE) {
            throw scope.bad("constant index " + index + " is out of range of every array");
        }
        return bytes == 0 ? "" : "+" + bytes;
    }
}
