package dev.tessera.runtime.opencl;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An OpenCL device and the properties Tessera reports or relies on, read once when it is found. */
public record ClDevice(
        MemorySegment handle,
        ClPlatform platform,
        int index,
        String name,
        String vendor,
        String version,
        String driverVersion,
        String openClCVersion,
        long type,
        long computeUnits,
        long globalMemBytes,
        long localMemBytes,
        long maxAllocBytes,
        long maxWorkGroupSize,
        long singleFpConfig,
        String extensions) {

    private static final int CL_DEVICE_TYPE = 0x1000;
    private static final int CL_DEVICE_MAX_COMPUTE_UNITS = 0x1002;
    private static final int CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004;
    private static final int CL_DEVICE_MAX_MEM_ALLOC_SIZE = 0x1010;
    private static final int CL_DEVICE_SINGLE_FP_CONFIG = 0x101B;
    private static final int CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F;
    private static final int CL_DEVICE_LOCAL_MEM_SIZE = 0x1023;
    private static final int CL_DEVICE_NAME = 0x102B;
    private static final int CL_DEVICE_VENDOR = 0x102C;
    private static final int CL_DRIVER_VERSION = 0x102D;
    private static final int CL_DEVICE_VERSION = 0x102F;
    private static final int CL_DEVICE_EXTENSIONS = 0x1030;
    private static final int CL_DEVICE_OPENCL_C_VERSION = 0x103D;
    private static final long CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT = 1L << 7;
    private static final Pattern OPENCL_C_VERSION = Pattern.compile("OpenCL C (\\d+)\\.(\\d+)");

    static ClDevice query(ClLibrary cl, ClPlatform platform, int index, MemorySegment h) {
        ClInfo.Query q = (param, size, value, ret) -> cl.clGetDeviceInfo(h, param, size, value, ret);
        String f = "clGetDeviceInfo";
        return new ClDevice(h, platform, index,
                ClInfo.string(q, CL_DEVICE_NAME, f),
                ClInfo.string(q, CL_DEVICE_VENDOR, f),
                ClInfo.string(q, CL_DEVICE_VERSION, f),
                ClInfo.string(q, CL_DRIVER_VERSION, f),
                ClInfo.string(q, CL_DEVICE_OPENCL_C_VERSION, f),
                ClInfo.u64(q, CL_DEVICE_TYPE, f),
                ClInfo.u32(q, CL_DEVICE_MAX_COMPUTE_UNITS, f),
                ClInfo.u64(q, CL_DEVICE_GLOBAL_MEM_SIZE, f),
                ClInfo.u64(q, CL_DEVICE_LOCAL_MEM_SIZE, f),
                ClInfo.u64(q, CL_DEVICE_MAX_MEM_ALLOC_SIZE, f),
                ClInfo.u64(q, CL_DEVICE_MAX_WORK_GROUP_SIZE, f),
                ClInfo.u64(q, CL_DEVICE_SINGLE_FP_CONFIG, f),
                ClInfo.string(q, CL_DEVICE_EXTENSIONS, f));
    }

    /** The device type bits as words, e.g. "CPU" or "GPU". */
    public String typeName() {
        List<String> kinds = new ArrayList<>();
        if ((type & 1) != 0) {
            kinds.add("DEFAULT");
        }
        if ((type & 2) != 0) {
            kinds.add("CPU");
        }
        if ((type & 4) != 0) {
            kinds.add("GPU");
        }
        if ((type & 8) != 0) {
            kinds.add("ACCELERATOR");
        }
        if ((type & 16) != 0) {
            kinds.add("CUSTOM");
        }
        return kinds.isEmpty() ? "UNKNOWN" : String.join("|", kinds);
    }

    public boolean hasExtension(String ext) {
        return List.of(extensions.split("\\s+")).contains(ext);
    }

    public boolean hasFp64() {
        return hasExtension("cl_khr_fp64");
    }

    /** Whether f32 division and sqrt can be asked to round correctly, as the reference does. */
    public boolean correctlyRoundedDivideSqrt() {
        return (singleFpConfig & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
    }

    /** The "major.minor" of the OpenCL C version as major*10+minor, e.g. 12; 0 when unreadable. */
    public int openClCLevel() {
        Matcher m = OPENCL_C_VERSION.matcher(openClCVersion);
        return m.find() ? Integer.parseInt(m.group(1)) * 10 + Integer.parseInt(m.group(2)) : 0;
    }
}
