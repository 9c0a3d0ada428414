package dev.tessera.runtime.opencl;

import java.lang.foreign.MemorySegment;

/** A buffer in device global memory. */
public final class ClBuffer extends ClHandle {

    private final long bytes;

    ClBuffer(ClLibrary cl, MemorySegment h, long bytes) {
        super(cl, h);
        this.bytes = bytes;
    }

    /** The size asked for, which may be 0 (the device object itself is never empty). */
    public long bytes() {
        return bytes;
    }

    @Override
    int release(MemorySegment h) {
        return cl.clReleaseMemObject(h);
    }

    @Override
    String releaseFunction() {
        return "clReleaseMemObject";
    }
}
