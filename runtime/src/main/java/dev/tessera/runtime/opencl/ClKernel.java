package dev.tessera.runtime.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A kernel of a built program. Arguments are state of this object, so one kernel must not be set up and
 * launched from two threads at once.
 */
public final class ClKernel extends ClHandle {

    private final String name;

    ClKernel(ClLibrary cl, MemorySegment h, String name) {
        super(cl, h);
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void setArg(int index, ClBuffer buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(ValueLayout.ADDRESS, buffer.handle());
            ClErrors.check(cl.clSetKernelArg(handle(), index, ValueLayout.ADDRESS.byteSize(), v), "clSetKernelArg",
                    "kernel " + name + ", argument " + index + " (buffer)");
        }
    }

    /** A {@code cl_int} argument. */
    public void setArg(int index, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(ValueLayout.JAVA_INT, value);
            ClErrors.check(cl.clSetKernelArg(handle(), index, 4, v), "clSetKernelArg",
                    "kernel " + name + ", argument " + index + " (int)");
        }
    }

    @Override
    int release(MemorySegment h) {
        return cl.clReleaseKernel(h);
    }

    @Override
    String releaseFunction() {
        return "clReleaseKernel";
    }
}
