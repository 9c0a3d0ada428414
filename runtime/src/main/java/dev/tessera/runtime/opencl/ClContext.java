package dev.tessera.runtime.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** An OpenCL context on one device; buffers, programs and queues are made from it. */
public final class ClContext extends ClHandle {

    private static final long CL_CONTEXT_PLATFORM = 0x1084;
    private static final long CL_MEM_READ_WRITE = 1;

    private final ClDevice device;

    private ClContext(ClLibrary cl, MemorySegment h, ClDevice device) {
        super(cl, h);
        this.device = device;
    }

    public static ClContext create(ClLibrary cl, ClDevice device) {
        try (Arena arena = Arena.ofConfined()) {
            // Naming the platform is what the ICD loader needs to route the call; a null list is a vendor extension.
            MemorySegment props = arena.allocate(ValueLayout.JAVA_LONG, 3);
            props.setAtIndex(ValueLayout.JAVA_LONG, 0, CL_CONTEXT_PLATFORM);
            props.setAtIndex(ValueLayout.JAVA_LONG, 1, device.platform().handle().address());
            props.setAtIndex(ValueLayout.JAVA_LONG, 2, 0);
            MemorySegment devices = arena.allocateFrom(ValueLayout.ADDRESS, device.handle());
            MemorySegment err = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment h = cl.clCreateContext(props, 1, devices, err);
            ClErrors.check(err.get(ValueLayout.JAVA_INT, 0), "clCreateContext", device.name());
            return new ClContext(cl, h, device);
        }
    }

    public ClDevice device() {
        return device;
    }

    /** An in-order queue; with {@code profiling} its events carry device start and end times. */
    public ClQueue createQueue(boolean profiling) {
        return ClQueue.create(this, profiling);
    }

    /** A read-write device buffer of {@code bytes} bytes (at least one: OpenCL rejects empty buffers). */
    public ClBuffer createBuffer(long bytes) {
        long size = Math.max(bytes, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment h = cl.clCreateBuffer(handle(), CL_MEM_READ_WRITE, size, MemorySegment.NULL, err);
            ClErrors.check(err.get(ValueLayout.JAVA_INT, 0), "clCreateBuffer", size + " bytes");
            return new ClBuffer(cl, h, bytes);
        }
    }

    /** Compiles {@code source} for this context's device; a compiler error is a {@link ClBuildException}. */
    public ClProgram buildProgram(String source, String options) {
        return ClProgram.build(this, source, options);
    }

    /**
     * Loads a binary that {@link ClProgram#binary()} read on this device and driver, and builds it with the
     * options the source was built with; a binary the driver refuses is an {@link OpenClException}.
     */
    public ClProgram loadProgram(byte[] binary, String options) {
        return ClProgram.fromBinary(this, binary, options);
    }

    @Override
    int release(MemorySegment h) {
        return cl.clReleaseContext(h);
    }

    @Override
    String releaseFunction() {
        return "clReleaseContext";
    }
}
