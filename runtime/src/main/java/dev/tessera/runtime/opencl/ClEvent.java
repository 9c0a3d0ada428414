package dev.tessera.runtime.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The event of one enqueued command; with a profiling queue it knows when the device ran it. */
public final class ClEvent extends ClHandle {

    private static final int CL_PROFILING_COMMAND_START = 0x1282;
    private static final int CL_PROFILING_COMMAND_END = 0x1283;

    ClEvent(ClLibrary cl, MemorySegment h) {
        super(cl, h);
    }

    /** Device time at which the command started, in ns; valid once the command has completed. */
    public long startNs() {
        return profile(CL_PROFILING_COMMAND_START);
    }

    public long endNs() {
        return profile(CL_PROFILING_COMMAND_END);
    }

    public long durationNs() {
        return endNs() - startNs();
    }

    private long profile(int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ValueLayout.JAVA_LONG);
            ClErrors.check(cl.clGetEventProfilingInfo(handle(), param, 8, v, MemorySegment.NULL),
                    "clGetEventProfilingInfo");
            return v.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    @Override
    int release(MemorySegment h) {
        return cl.clReleaseEvent(h);
    }

    @Override
    String releaseFunction() {
        return "clReleaseEvent";
    }
}
