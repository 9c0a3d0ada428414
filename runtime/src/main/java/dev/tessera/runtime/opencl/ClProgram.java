package dev.tessera.runtime.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** An OpenCL program built for one device, from source or from a binary it exported earlier. */
public final class ClProgram extends ClHandle {

    private static final int CL_PROGRAM_BINARY_SIZES = 0x1165;
    private static final int CL_PROGRAM_BINARIES = 0x1166;
    private static final int CL_PROGRAM_BUILD_LOG = 0x1183;
    private static final int CL_INVALID_BINARY = -42;

    private final ClDevice device;
    private final String buildLog;

    private ClProgram(ClLibrary cl, MemorySegment h, ClDevice device, String buildLog) {
        super(cl, h);
        this.device = device;
        this.buildLog = buildLog;
    }

    static ClProgram build(ClContext context, String source, String options) {
        ClLibrary cl = context.cl;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocateFrom(source);
            MemorySegment strings = arena.allocateFrom(ValueLayout.ADDRESS, text);
            MemorySegment err = arena.allocate(ValueLayout.JAVA_INT);
            // A null lengths array means the string is NUL-terminated, which allocateFrom guarantees.
            MemorySegment h = cl.clCreateProgramWithSource(context.handle(), 1, strings, MemorySegment.NULL, err);
            ClErrors.check(err.get(ValueLayout.JAVA_INT, 0), "clCreateProgramWithSource");
            return buildCreated(cl, h, context.device(), options);
        }
    }

    /**
     * A program from a binary that {@link #binary()} read on the same device and driver. The driver says
     * whether it accepts the binary, both through the error code and the device's binary status; the spec
     * then requires a build, in which no OpenCL C front end runs (PoCL only unpacks its archive).
     *
     * @throws OpenClException when the driver refuses the binary or its build; nothing is left allocated
     */
    static ClProgram fromBinary(ClContext context, byte[] binary, String options) {
        ClLibrary cl = context.cl;
        ClDevice device = context.device();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(Math.max(binary.length, 1));
            MemorySegment.copy(binary, 0, bytes, ValueLayout.JAVA_BYTE, 0, binary.length);
            MemorySegment lengths = arena.allocateFrom(ValueLayout.JAVA_LONG, binary.length);
            MemorySegment binaries = arena.allocateFrom(ValueLayout.ADDRESS, bytes);
            MemorySegment devices = arena.allocateFrom(ValueLayout.ADDRESS, device.handle());
            // Preset to a failure: a driver that returns success without setting the status is not trusted.
            MemorySegment status = arena.allocateFrom(ValueLayout.JAVA_INT, CL_INVALID_BINARY);
            MemorySegment err = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment h = cl.clCreateProgramWithBinary(context.handle(), 1, devices, lengths, binaries, status,
                    err);
            int rc = err.get(ValueLayout.JAVA_INT, 0);
            int st = status.get(ValueLayout.JAVA_INT, 0);
            if (rc != ClErrors.CL_SUCCESS || st != ClErrors.CL_SUCCESS) {
                if (rc == ClErrors.CL_SUCCESS && !h.equals(MemorySegment.NULL)) {
                    cl.clReleaseProgram(h);
                }
                throw new OpenClException("clCreateProgramWithBinary", rc != ClErrors.CL_SUCCESS ? rc : st,
                        binary.length + " bytes, binary status " + ClErrors.name(st));
            }
            return buildCreated(cl, h, device, options);
        }
    }

    /** Builds a program just created for {@code device}; a failed build releases it. */
    private static ClProgram buildCreated(ClLibrary cl, MemorySegment h, ClDevice device, String options) {
        try (Arena arena = Arena.ofConfined()) {
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

    /**
     * The program's binary for its one device (CL_PROGRAM_BINARIES), in the driver's own format; empty when
     * the driver has none to give.
     */
    public byte[] binary() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sizeRet = arena.allocate(ValueLayout.JAVA_LONG);
            ClErrors.check(cl.clGetProgramInfo(handle(), CL_PROGRAM_BINARY_SIZES, 0, MemorySegment.NULL, sizeRet),
                    "clGetProgramInfo", "size of CL_PROGRAM_BINARY_SIZES");
            long devices = sizeRet.get(ValueLayout.JAVA_LONG, 0) / Long.BYTES;
            if (devices != 1) {
                throw new IllegalStateException("a program for one device reports " + devices + " binaries");
            }
            MemorySegment sizes = arena.allocate(ValueLayout.JAVA_LONG);
            ClErrors.check(cl.clGetProgramInfo(handle(), CL_PROGRAM_BINARY_SIZES, Long.BYTES, sizes,
                    MemorySegment.NULL), "clGetProgramInfo", "CL_PROGRAM_BINARY_SIZES");
            long size = sizes.get(ValueLayout.JAVA_LONG, 0);
            if (size <= 0) {
                return new byte[0];
            }
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("program binary of " + size + " bytes");
            }
            MemorySegment buffer = arena.allocate(size);
            MemorySegment pointers = arena.allocateFrom(ValueLayout.ADDRESS, buffer);
            ClErrors.check(cl.clGetProgramInfo(handle(), CL_PROGRAM_BINARIES, ValueLayout.ADDRESS.byteSize(),
                    pointers, MemorySegment.NULL), "clGetProgramInfo", "CL_PROGRAM_BINARIES");
            return buffer.toArray(ValueLayout.JAVA_BYTE);
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
