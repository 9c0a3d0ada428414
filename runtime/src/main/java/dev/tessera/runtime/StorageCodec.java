package dev.tessera.runtime;

import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.Rounding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Converts host tensors (doubles) to and from the bytes a device keeps for each storage dtype: f32 float,
 * f16 IEEE half, bf16 the upper 16 bits of an f32, i32 int, bool one byte 0/1, f64 double; native
 * (little-endian) byte order.
 */
public final class StorageCodec {

    private StorageCodec() {}

    public static long byteSize(DType d, long elements) {
        return Math.multiplyExact(elements, (long) d.byteSize());
    }

    /** A fresh native segment of {@code arena} holding {@code t} in storage form. */
    public static MemorySegment encode(Arena arena, HostTensor t) {
        MemorySegment seg = arena.allocate(Math.max(1, byteSize(t.dtype(), t.size())), 8);
        encode(t, seg);
        return seg.asSlice(0, byteSize(t.dtype(), t.size()));
    }

    public static void encode(HostTensor t, MemorySegment dst) {
        double[] d = t.data();
        // One loop per dtype rather than a switch per element: tensors can hold millions of elements.
        switch (t.dtype()) {
            case F32 -> {
                for (int i = 0; i < d.length; i++) {
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) d[i]);
                }
            }
            case F16 -> {
                for (int i = 0; i < d.length; i++) {
                    dst.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16((float) d[i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < d.length; i++) {
                    dst.setAtIndex(ValueLayout.JAVA_SHORT, i, Rounding.floatToBf16((float) d[i]));
                }
            }
            case I32 -> {
                for (int i = 0; i < d.length; i++) {
                    dst.setAtIndex(ValueLayout.JAVA_INT, i, (int) d[i]);
                }
            }
            case BOOL -> {
                for (int i = 0; i < d.length; i++) {
                    dst.set(ValueLayout.JAVA_BYTE, i, d[i] != 0 ? (byte) 1 : (byte) 0);
                }
            }
            case F64 -> {
                for (int i = 0; i < d.length; i++) {
                    dst.setAtIndex(ValueLayout.JAVA_DOUBLE, i, d[i]);
                }
            }
        }
    }

    /**
     * The tensor stored in {@code src}. A bool byte other than 0 or 1 reads as NaN: no kernel stores such a
     * byte, so it is an element nobody wrote (the poison pattern), and NaN makes any comparison fail.
     */
    public static HostTensor decode(DType dtype, long[] shape, MemorySegment src) {
        double[] d = new double[Math.toIntExact(HostTensor.count(shape))];
        switch (dtype) {
            case F32 -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = src.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                }
            }
            case F16 -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = Float.float16ToFloat(src.getAtIndex(ValueLayout.JAVA_SHORT, i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = Rounding.bf16ToFloat(src.getAtIndex(ValueLayout.JAVA_SHORT, i));
                }
            }
            case I32 -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = src.getAtIndex(ValueLayout.JAVA_INT, i);
                }
            }
            case BOOL -> {
                for (int i = 0; i < d.length; i++) {
                    byte b = src.get(ValueLayout.JAVA_BYTE, i);
                    d[i] = b == 0 ? 0 : b == 1 ? 1 : Double.NaN;
                }
            }
            case F64 -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = src.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
                }
            }
        }
        return new HostTensor(dtype, shape, d);
    }
}
