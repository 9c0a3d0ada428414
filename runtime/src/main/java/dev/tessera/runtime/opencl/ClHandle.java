package dev.tessera.runtime.opencl;

import java.lang.foreign.MemorySegment;

/** An OpenCL object this process owns: released exactly once, and unusable afterwards. */
public abstract sealed class ClHandle implements AutoCloseable
        permits ClContext, ClQueue, ClBuffer, ClProgram, ClKernel, ClEvent {

    final ClLibrary cl;
    private final MemorySegment handle;
    private boolean released;

    ClHandle(ClLibrary cl, MemorySegment handle) {
        this.cl = cl;
        this.handle = handle;
    }

    /** The raw handle for calls; fails fast once released, rather than handing a dangling pointer to C. */
    MemorySegment handle() {
        if (released) {
            throw new IllegalStateException(getClass().getSimpleName() + " used after close");
        }
        return handle;
    }

    /** Calls the matching clRelease* function. */
    abstract int release(MemorySegment h);

    abstract String releaseFunction();

    @Override
    public final void close() {
        if (!released) {
            released = true;
            ClErrors.check(release(handle), releaseFunction());
        }
    }
}
