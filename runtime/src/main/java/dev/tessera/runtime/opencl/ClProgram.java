package dev.tessera.runtime.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** An OpenCL program built from source for one device. */
public final class ClProgram extends ClHandle {

    private static final int CL_PROGRAM_BUILD_LOG = 0x1183;

    private final ClDevice device;
    private final String buildLog;

    private ClProgram(ClLibrary cl, MemorySegment h, ClDevice device, String buildLog) {
        super(cl, h);
        this.device = device;
        this.buildLog = buildLog;
    }

    static ClProgram build(ClContext context, String source, String options) {
        ClLibrary cl = context.cl;
        ClDevice device = context.device();
        MemorySegment h;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocateFrom(source);
            MemorySegment strings = arena.allocateFrom(ValueLayout.ADDRESS, text);
            MemorySegment err = arena.allocate(ValueLayout.JAVA_INT);
            // A null lengths array means the string is NUL-terminated, which allocateFrom guarantees.
            h = cl.clCreateProgramWithSource(context.handle(), 1, strings, MemorySegment.NULL, err);
            ClErrors.check(err.get(ValueLayout.JAVA_INT, 0), "clCreateProgramWithSource");
            MemorySegment devices = arena.allocateFrom(ValueLayout.ADDRESS, device.handle());
            int rc = cl.clBuildProgram(h, 1, devices, arena.allocateFrom(options));
            String log = rc == ClErrors.CL_SUCCESS || rc == ClErrors.CL_BUILD_PROGRAM_FAILURE
                    ? log(cl, h, device) : "";
            if (rc != ClErrors.CL_SUCCESS) {
                cl.clReleaseProgram(h);
                if (rc == ClErrors.CL_BUILD_PROGRAM_FAILURE) {
                    throw new ClBuildException(rc, log);
                }
                ClErrors.check(rc, "clBuildProgram", "options '" + options + "'");
            }
            return new ClProgram(cl, h, device, log);
        }
    }

    private static String log(ClLibrary cl, MemorySegment program, ClDevice device) {
        return ClInfo.string((param, size, value, ret) ->
                cl.clGetProgramBuildInfo(program, device.handle(), param, size, value, ret),
                CL_PROGRAM_BUILD_LOG, "clGetProgramBuildInfo");
    }

    /** The compiler's messages from a successful build (warnings), often empty. */
    public String buildLog() {
        return buildLog;
    }

    public ClDevice device() {
        return device;
    }

    /** The kernel named {@code name} (its C function name). */
    public ClKernel kernel(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment h = cl.clCreateKernel(handle(), arena.allocateFrom(name), err);
            ClErrors.check(err.get(ValueLayout.JAVA_INT, 0), "clCreateKernel", name);
            return new ClKernel(cl, h, name);
        }
    }

    @Override
    int release(MemorySegment h) {
        return cl.clReleaseProgram(h);
    }

    @Override
    String releaseFunction() {
        return "clReleaseProgram";
    }
}
