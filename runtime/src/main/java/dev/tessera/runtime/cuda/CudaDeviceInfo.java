package dev.tessera.runtime.cuda;

import dev.tessera.codegen.ptx.PtxArch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/** What the driver reports about one GPU, read once at discovery. */
public record CudaDeviceInfo(int ordinal, int handle, String name, int ccMajor, int ccMinor, int multiprocessors,
        long globalMemBytes, int sharedMemPerBlock, int maxThreadsPerBlock, int maxGridX, int maxGridY, int maxGridZ,
        int driverVersion) {

    static final int MAX_THREADS_PER_BLOCK = 1;
    static final int MAX_GRID_DIM_X = 5;
    static final int MAX_GRID_DIM_Y = 6;
    static final int MAX_GRID_DIM_Z = 7;
    static final int MAX_SHARED_MEMORY_PER_BLOCK = 8;
    static final int MULTIPROCESSOR_COUNT = 16;
    static final int COMPUTE_CAPABILITY_MAJOR = 75;
    static final int COMPUTE_CAPABILITY_MINOR = 76;

    static CudaDeviceInfo read(CudaLibrary cu, int ordinal, int driverVersion) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            cu.check("cuDeviceGet", cu.cuDeviceGet(out, ordinal));
            int dev = out.get(ValueLayout.JAVA_INT, 0);
            MemorySegment name = arena.allocate(256);
            cu.check("cuDeviceGetName", cu.cuDeviceGetName(name, 256, dev));
            cu.check("cuDeviceTotalMem", cu.cuDeviceTotalMem(out, dev));
            long mem = out.get(ValueLayout.JAVA_LONG, 0);
            return new CudaDeviceInfo(ordinal, dev, name.getString(0), attr(cu, dev, COMPUTE_CAPABILITY_MAJOR),
                    attr(cu, dev, COMPUTE_CAPABILITY_MINOR), attr(cu, dev, MULTIPROCESSOR_COUNT), mem,
                    attr(cu, dev, MAX_SHARED_MEMORY_PER_BLOCK), attr(cu, dev, MAX_THREADS_PER_BLOCK),
                    attr(cu, dev, MAX_GRID_DIM_X), attr(cu, dev, MAX_GRID_DIM_Y), attr(cu, dev, MAX_GRID_DIM_Z),
                    driverVersion);
        }
    }

    private static int attr(CudaLibrary cu, int dev, int attribute) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            cu.check("cuDeviceGetAttribute", cu.cuDeviceGetAttribute(v, attribute, dev), "attribute " + attribute);
            return v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** e.g. sm_89. */
    public String smName() {
        return "sm_" + ccMajor + ccMinor;
    }

    /** The PTX target to emit for this device, if it is new enough. */
    public Optional<PtxArch> ptxArch() {
        return archFor(ccMajor, ccMinor);
    }

    /**
     * The newest supported PTX target a GPU of this compute capability runs: PTX JIT-compiles forward, so a
     * Blackwell (sm_100, sm_120) runs sm_90 PTX and an sm_87 runs sm_86. Older than sm_80 is unsupported: the
     * emitted PTX uses sm_80 instructions.
     */
    public static Optional<PtxArch> archFor(int major, int minor) {
        int cc = major * 10 + minor;
        if (cc >= 90) {
            return Optional.of(PtxArch.SM_90);
        }
        if (cc >= 89) {
            return Optional.of(PtxArch.SM_89);
        }
        if (cc >= 86) {
            return Optional.of(PtxArch.SM_86);
        }
        if (cc >= 80) {
            return Optional.of(PtxArch.SM_80);
        }
        return Optional.empty();
    }

    /** The driver's CUDA version as major.minor (12040 is 12.4). */
    public String driverVersionText() {
        return driverVersion / 1000 + "." + (driverVersion % 1000) / 10;
    }
}
