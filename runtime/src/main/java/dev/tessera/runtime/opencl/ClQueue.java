package dev.tessera.runtime.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/** An in-order command queue: each command starts after the previous one has finished. */
public final class ClQueue extends ClHandle {

    private static final long CL_QUEUE_PROFILING_ENABLE = 1L << 1;

    private ClQueue(ClLibrary cl, MemorySegment h) {
        super(cl, h);
    }

    static ClQueue create(ClContext context, boolean profiling) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(ValueLayout.JAVA_INT);
            // clCreateCommandQueue is 1.2 API; deprecated in 2.0 but every loader still exports it.
            MemorySegment h = context.cl.clCreateCommandQueue(context.handle(), context.device().handle(),
                    profiling ? CL_QUEUE_PROFILING_ENABLE : 0, err);
            ClErrors.check(err.get(ValueLayout.JAVA_INT, 0), "clCreateCommandQueue");
            return new ClQueue(context.cl, h);
        }
    }

    /**
     * Enqueues copying {@code src} to the start of {@code dst}; later commands see the copy. {@code src} must stay
     * allocated and unchanged until the queue has finished: the driver may read it at any time until then. Not
     * waiting saves a round trip to the driver's threads per input (PoCL: tens of microseconds each).
     */
    public void enqueueWrite(ClBuffer dst, MemorySegment src) {
        checkFits(dst, src);
        if (src.byteSize() > 0) {
            ClErrors.check(cl.clEnqueueWriteBuffer(handle(), dst.handle(), false, 0, src.byteSize(), src,
                    MemorySegment.NULL), "clEnqueueWriteBuffer", src.byteSize() + " bytes");
        }
    }

    /** Copies the start of {@code src} into {@code dst} and returns when the copy is done. */
    public void read(ClBuffer src, MemorySegment dst) {
        checkFits(src, dst);
        if (dst.byteSize() > 0) {
            ClErrors.check(cl.clEnqueueReadBuffer(handle(), src.handle(), true, 0, dst.byteSize(), dst,
                    MemorySegment.NULL), "clEnqueueReadBuffer", dst.byteSize() + " bytes");
        }
    }

    /** Enqueues setting every byte of {@code dst} to {@code value}; later commands see the result. */
    public void fill(ClBuffer dst, byte value) {
        if (dst.bytes() == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pattern = arena.allocateFrom(ValueLayout.JAVA_BYTE, value);
            ClErrors.check(cl.clEnqueueFillBuffer(handle(), dst.handle(), pattern, 1, 0, dst.bytes(),
                    MemorySegment.NULL), "clEnqueueFillBuffer", dst.bytes() + " bytes");
        }
    }

    /**
     * Enqueues {@code kernel} over {@code global} work-items in groups of {@code local} (same length, 1 to 3)
     * and returns its event, which the caller closes.
     */
    public ClEvent launch(ClKernel kernel, long[] global, long[] local) {
        if (global.length != local.length || global.length < 1 || global.length > 3) {
            throw new IllegalArgumentException("launch needs 1 to 3 dimensions, global and local alike");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment g = arena.allocateFrom(ValueLayout.JAVA_LONG, global);
            MemorySegment l = arena.allocateFrom(ValueLayout.JAVA_LONG, local);
            MemorySegment event = arena.allocate(ValueLayout.ADDRESS);
            ClErrors.check(cl.clEnqueueNDRangeKernel(handle(), kernel.handle(), global.length, g, l, event),
                    "clEnqueueNDRangeKernel", "kernel " + kernel.name() + ", global "
                            + Arrays.toString(global) + ", local " + Arrays.toString(local));
            return new ClEvent(cl, event.get(ValueLayout.ADDRESS, 0));
        }
    }

    /** Waits until every enqueued command has completed. */
    public void finish() {
        ClErrors.check(cl.clFinish(handle()), "clFinish");
    }

    private static void checkFits(ClBuffer buffer, MemorySegment host) {
        if (host.byteSize() > buffer.bytes()) {
            throw new IllegalArgumentException(
                    "copy of " + host.byteSize() + " bytes does not fit a buffer of " + buffer.bytes());
        }
    }

    @Override
    int release(MemorySegment h) {
        return cl.clReleaseCommandQueue(h);
    }

    @Override
    String releaseFunction() {
        return "clReleaseCommandQueue";
    }
}
