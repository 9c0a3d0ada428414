package dev.tessera.runtime.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** An OpenCL platform (one installed driver) and what it says about itself. */
public record ClPlatform(MemorySegment handle, int index, String name, String vendor, String version) {

    private static final int CL_PLATFORM_VERSION = 0x0901;
    private static final int CL_PLATFORM_NAME = 0x0902;
    private static final int CL_PLATFORM_VENDOR = 0x0903;
    private static final long CL_DEVICE_TYPE_ALL = 0xFFFFFFFFL;

    /** Every platform the ICD loader knows; empty when it reports none (CL_PLATFORM_NOT_FOUND_KHR). */
    public static List<ClPlatform> all(ClLibrary cl) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            int rc = cl.clGetPlatformIDs(0, MemorySegment.NULL, count);
            if (rc == ClErrors.CL_PLATFORM_NOT_FOUND_KHR) {
                return List.of();
            }
            ClErrors.check(rc, "clGetPlatformIDs");
            int n = count.get(ValueLayout.JAVA_INT, 0);
            if (n == 0) {
                return List.of();
            }
            MemorySegment ids = arena.allocate(ValueLayout.ADDRESS, n);
            ClErrors.check(cl.clGetPlatformIDs(n, ids, MemorySegment.NULL), "clGetPlatformIDs");
            List<ClPlatform> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                MemorySegment h = ids.getAtIndex(ValueLayout.ADDRESS, i);
                ClInfo.Query q = (param, size, value, ret) -> cl.clGetPlatformInfo(h, param, size, value, ret);
                out.add(new ClPlatform(h, i, ClInfo.string(q, CL_PLATFORM_NAME, "clGetPlatformInfo"),
                        ClInfo.string(q, CL_PLATFORM_VENDOR, "clGetPlatformInfo"),
                        ClInfo.string(q, CL_PLATFORM_VERSION, "clGetPlatformInfo")));
            }
            return List.copyOf(out);
        }
    }

    /** Every device of every type on this platform; empty when it has none (CL_DEVICE_NOT_FOUND). */
    public List<ClDevice> devices(ClLibrary cl) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            int rc = cl.clGetDeviceIDs(handle, CL_DEVICE_TYPE_ALL, 0, MemorySegment.NULL, count);
            if (rc == ClErrors.CL_DEVICE_NOT_FOUND) {
                return List.of();
            }
            ClErrors.check(rc, "clGetDeviceIDs", "platform " + name);
            int n = count.get(ValueLayout.JAVA_INT, 0);
            if (n == 0) {
                return List.of();
            }
            MemorySegment ids = arena.allocate(ValueLayout.ADDRESS, n);
            ClErrors.check(cl.clGetDeviceIDs(handle, CL_DEVICE_TYPE_ALL, n, ids, MemorySegment.NULL),
                    "clGetDeviceIDs", "platform " + name);
            List<ClDevice> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(ClDevice.query(cl, this, i, ids.getAtIndex(ValueLayout.ADDRESS, i)));
            }
            return List.copyOf(out);
        }
    }
}
