package dev.tessera.ptxsim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Simulated GPU global memory: byte allocations addressed by 64-bit pointers, little-endian like every
 * NVIDIA GPU.
 *
 * <p>Allocations are 256-byte aligned (as cudaMalloc's are) and separated by unmapped guard gaps, so an
 * access just past the end of a buffer fails instead of touching its neighbour. New memory is zeroed.
 * Pointers from {@link #alloc} are also valid generic addresses inside kernels.
 */
public final class DeviceMemory {

    /** First global address; far from 0 so that a null or small integer used as a pointer faults. */
    static final long BASE = 0x0000_7000_0000_0000L;
    private static final long ALIGN = 256;

    private final TreeMap<Long, byte[]> allocations = new TreeMap<>();
    private long next = BASE;

    /** Allocates {@code bytes} zeroed bytes and returns their device address. */
    public long alloc(long bytes) {
        if (bytes <= 0 || bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        long ptr = next;
        allocations.put(ptr, new byte[(int) bytes]);
        next = ptr + ((bytes + ALIGN - 1) / ALIGN) * ALIGN + ALIGN; // one guard block between buffers
        return ptr;
    }

    /** Allocates a buffer holding {@code values} (f32, little-endian). */
    public long allocFloats(float... values) {
        long ptr = alloc(Math.max(4L, 4L * values.length));
        writeFloats(ptr, values);
        return ptr;
    }

    /** Allocates a buffer holding {@code values} (32-bit integers, little-endian). */
    public long allocInts(int... values) {
        long ptr = alloc(Math.max(4L, 4L * values.length));
        writeInts(ptr, values);
        return ptr;
    }

    /** Releases an allocation; later accesses to it fault. */
    public void free(long ptr) {
        if (allocations.remove(ptr) == null) {
            throw new IllegalArgumentException("0x" + Long.toHexString(ptr) + " is not the start of an allocation");
        }
    }

    /** Copies {@code data} to device memory at {@code ptr}. */
    public void write(long ptr, byte[] data) {
        Block b = block(ptr, data.length);
        System.arraycopy(data, 0, b.data, b.offset, data.length);
    }

    /** Copies {@code len} bytes from device memory at {@code ptr}. */
    public byte[] read(long ptr, int len) {
        Block b = block(ptr, len);
        return Arrays.copyOfRange(b.data, b.offset, b.offset + len);
    }

    public void writeFloats(long ptr, float... values) {
        Block b = block(ptr, 4L * values.length);
        for (int i = 0; i < values.length; i++) {
            I32.set(b.data, b.offset + 4 * i, Float.floatToRawIntBits(values[i]));
        }
    }

    public float[] readFloats(long ptr, int count) {
        Block b = block(ptr, 4L * count);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = Float.intBitsToFloat((int) I32.get(b.data, b.offset + 4 * i));
        }
        return out;
    }

    public void writeInts(long ptr, int... values) {
        Block b = block(ptr, 4L * values.length);
        for (int i = 0; i < values.length; i++) {
            I32.set(b.data, b.offset + 4 * i, values[i]);
        }
    }

    public int[] readInts(long ptr, int count) {
        Block b = block(ptr, 4L * count);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = (int) I32.get(b.data, b.offset + 4 * i);
        }
        return out;
    }

    /** Writes 16-bit values, e.g. f16 or bf16 bit patterns. */
    public void writeShorts(long ptr, short... values) {
        Block b = block(ptr, 2L * values.length);
        for (int i = 0; i < values.length; i++) {
            I16.set(b.data, b.offset + 2 * i, values[i]);
        }
    }

    public short[] readShorts(long ptr, int count) {
        Block b = block(ptr, 2L * count);
        short[] out = new short[count];
        for (int i = 0; i < count; i++) {
            out[i] = (short) I16.get(b.data, b.offset + 2 * i);
        }
        return out;
    }

    public void writeDoubles(long ptr, double... values) {
        Block b = block(ptr, 8L * values.length);
        for (int i = 0; i < values.length; i++) {
            I64.set(b.data, b.offset + 8 * i, Double.doubleToRawLongBits(values[i]));
        }
    }

    public double[] readDoubles(long ptr, int count) {
        Block b = block(ptr, 8L * count);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = Double.longBitsToDouble((long) I64.get(b.data, b.offset + 8 * i));
        }
        return out;
    }

    private final java.util.IdentityHashMap<ModuleLayout, long[]> moduleGlobals = new java.util.IdentityHashMap<>();

    /** Addresses of a module's .global variables here, allocated and initialised on first use. */
    long[] moduleGlobals(ModuleLayout layout) {
        return moduleGlobals.computeIfAbsent(layout, l -> {
            long[] addrs = new long[l.globals().size()];
            for (int i = 0; i < addrs.length; i++) {
                Ast.Var v = l.globals().get(i);
                addrs[i] = alloc(Math.max(1, v.bytes()));
                if (v.init() != null) {
                    write(addrs[i], v.init());
                }
            }
            return addrs;
        });
    }

    // ---- kernel-side access ----------------------------------------------------------------------

    /** A resolved address: the allocation's bytes and the offset within them. */
    record Block(byte[] data, int offset) {}

    /** Resolves {@code size} bytes at {@code addr}, failing loudly when they are not all inside one allocation. */
    Block block(long addr, long size) {
        Map.Entry<Long, byte[]> e = allocations.floorEntry(addr);
        if (e == null || addr - e.getKey() + size > e.getValue().length || size < 0) {
            throw new Fault(describeMiss(addr, size));
        }
        return new Block(e.getValue(), (int) (addr - e.getKey()));
    }

    private String describeMiss(long addr, long size) {
        String where = "0x" + Long.toHexString(addr);
        Map.Entry<Long, byte[]> e = allocations.floorEntry(addr);
        if (e != null && addr < e.getKey() + e.getValue().length + ALIGN) {
            long over = addr - e.getKey();
            return "out-of-bounds global access of " + size + " bytes at " + where + ": offset " + over
                    + " in an allocation of " + e.getValue().length + " bytes at 0x" + Long.toHexString(e.getKey());
        }
        return "global access of " + size + " bytes at " + where + " is outside every allocation";
    }

    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
}
