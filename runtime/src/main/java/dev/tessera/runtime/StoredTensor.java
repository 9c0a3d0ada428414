package dev.tessera.runtime;

import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A tensor already in the form devices keep ({@link StorageCodec}'s layout) in native memory: what
 * {@link Device#runStored} reads without converting it.
 *
 * @param data exactly the tensor's bytes, native and aligned to its element size
 */
public record StoredTensor(DType dtype, long[] shape, MemorySegment data) {

    public StoredTensor {
        shape = shape.clone();
        long bytes = StorageCodec.byteSize(dtype, HostTensor.count(shape));
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException("a " + dtype.irName() + Arrays.toString(shape) + " tensor takes "
                    + bytes + " bytes, but its segment has " + data.byteSize());
        }
        if (!data.isNative() || data.address() % dtype.byteSize() != 0) {
            throw new IllegalArgumentException("a stored tensor's segment must be native memory aligned to "
                    + dtype.byteSize() + " bytes, got " + data);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The elements as doubles, for devices that only run host tensors. */
    public HostTensor decode() {
        return StorageCodec.decode(dtype, shape, data);
    }

    @Override
    public String toString() {
        return dtype.irName() + Arrays.toString(shape);
    }
}
