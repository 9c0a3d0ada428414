package dev.tessera.api;

import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.Rounding;
import dev.tessera.runtime.StorageCodec;
import dev.tessera.runtime.StoredTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A dense row-major tensor in native memory owned by a {@link Tessera} runtime: a dtype, a shape and the
 * elements in the layout devices use (f32 as float, f16/bf16 as 16 bits, i32 as int, bool as one byte 0/1,
 * f64 as double; native byte order).
 *
 * <p>Copies from and to Java arrays convert as the DSL's {@code cast} does: into a float dtype by rounding to
 * nearest, into i32 by truncating toward zero (NaN to 0, out of range saturating), into bool as "not zero".
 * Closing a tensor frees its memory at once; closing the runtime frees every tensor it made. Either way any
 * later use throws {@link IllegalStateException}.
 */
public final class Tensor implements AutoCloseable {

    private final Tessera owner;
    private final DType dtype;
    private final long[] shape;
    private final int size;
    private final Arena arena;
    private final MemorySegment segment;
    private volatile boolean closed;

    Tensor(Tessera owner, DType dtype, long[] shape) {
        this.owner = owner;
        this.dtype = dtype;
        this.shape = shape.clone();
        long n;
        try {
            n = HostTensor.count(this.shape);
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more elements than a "
                    + "Java array or the generated code's i32 indices can hold");
        }
        this.size = (int) n;
        this.arena = Arena.ofShared();
        long bytes = StorageCodec.byteSize(dtype.ir(), size);
        this.segment = arena.allocate(Math.max(1, bytes), 8).asSlice(0, bytes);
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    /** The elements in native memory, valid until the tensor or its runtime is closed. */
    public MemorySegment segment() {
        checkOpen();
        return segment;
    }

    public Tensor copyFrom(float[] values) {
        checkLength(values.length);
        if (dtype == DType.F32) {
            checkOpen();
            MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_FLOAT, 0, size);
            return this;
        }
        double[] d = new double[size];
        for (int i = 0; i < size; i++) {
            d[i] = values[i];
        }
        return store(d);
    }

    public Tensor copyFrom(double[] values) {
        checkLength(values.length);
        return store(values.clone());
    }

    public Tensor copyFrom(int[] values) {
        checkLength(values.length);
        if (dtype == DType.I32) {
            checkOpen();
            MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_INT, 0, size);
            return this;
        }
        double[] d = new double[size];
        for (int i = 0; i < size; i++) {
            d[i] = values[i];
        }
        return store(d);
    }

    public Tensor copyFrom(boolean[] values) {
        checkLength(values.length);
        double[] d = new double[size];
        for (int i = 0; i < size; i++) {
            d[i] = values[i] ? 1 : 0;
        }
        return store(d);
    }

    public float[] toFloatArray() {
        float[] r = new float[size];
        if (dtype == DType.F32) {
            checkOpen();
            MemorySegment.copy(segment, ValueLayout.JAVA_FLOAT, 0, r, 0, size);
            return r;
        }
        double[] d = load();
        for (int i = 0; i < size; i++) {
            r[i] = (float) d[i];
        }
        return r;
    }

    public double[] toDoubleArray() {
        return load();
    }

    public int[] toIntArray() {
        int[] r = new int[size];
        if (dtype == DType.I32) {
            checkOpen();
            MemorySegment.copy(segment, ValueLayout.JAVA_INT, 0, r, 0, size);
            return r;
        }
        double[] d = load();
        for (int i = 0; i < size; i++) {
            r[i] = (int) Rounding.toI32(d[i]);
        }
        return r;
    }

    public boolean[] toBooleanArray() {
        double[] d = load();
        boolean[] r = new boolean[size];
        for (int i = 0; i < size; i++) {
            r[i] = d[i] != 0;
        }
        return r;
    }

    /** Frees the tensor's memory now rather than when the runtime closes; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        arena.close();
        owner.forget(this);
    }

    /** Closing by the runtime: it forgets all its tensors at once itself. */
    void free() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        arena.close();
    }

    /** The segment without the open check, for tests that look at its liveness. */
    MemorySegment storage() {
        return segment;
    }

    boolean isClosed() {
        return closed;
    }

    Tessera owner() {
        return owner;
    }

    /** The tensor as a device reads it: its own memory, not a copy. */
    StoredTensor stored() {
        checkOpen();
        return new StoredTensor(dtype.ir(), shape, segment);
    }

    HostTensor toHost() {
        checkOpen();
        return StorageCodec.decode(dtype.ir(), shape, segment);
    }

    void storeHost(HostTensor t) {
        checkOpen();
        StorageCodec.encode(t, segment);
    }

    private Tensor store(double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Rounding.round(dtype.ir(), values[i]);
        }
        storeHost(new HostTensor(dtype.ir(), shape, values));
        return this;
    }

    private double[] load() {
        return toHost().data();
    }

    private void checkLength(int n) {
        if (n != size) {
            throw new IllegalArgumentException("tensor " + this + " has " + size + " elements but the array has " + n);
        }
    }

    void checkOpen() {
        owner.checkOpen();
        if (closed) {
            throw new IllegalStateException("tensor " + this + " is closed");
        }
    }

    /** {@code f32[2, 3]}. */
    @Override
    public String toString() {
        return dtype.dslName() + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
