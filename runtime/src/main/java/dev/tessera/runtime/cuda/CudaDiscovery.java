package dev.tessera.runtime.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the CUDA GPUs of this machine. Never throws: when there are none, the result says why
 * ("no CUDA driver: ...", "no CUDA devices: ...").
 */
public final class CudaDiscovery {

    /** The usable devices and, when there are none, the reason; {@code skipped} names GPUs too old to use. */
    public record Result(List<CudaDevice> devices, List<String> skipped, Optional<String> reason) {
        public Result {
            devices = List.copyOf(devices);
            skipped = List.copyOf(skipped);
        }
    }

    private CudaDiscovery() {}

    public static Result discover() {
        try {
            return discover(CudaLibrary.get());
        } catch (CudaUnavailableException e) {
            return none(e.getMessage(), List.of());
        }
    }

    /** As {@link #discover()}, trying the given library names (for tests of the failure path). */
    public static Result discover(List<String> libraryNames) {
        try {
            return discover(CudaLibrary.load(libraryNames));
        } catch (CudaUnavailableException e) {
            return none(e.getMessage(), List.of());
        }
    }

    private static Result discover(CudaLibrary cu) {
        try {
            return probe(cu);
        } catch (RuntimeException e) {
            // Discovery runs at start-up of every command; a driver that misbehaves must not take it down.
            return none("no CUDA devices: discovery failed: " + e, List.of());
        }
    }

    private static Result probe(CudaLibrary cu) {
        int rc = cu.cuInit(0);
        if (rc != CudaLibrary.CUDA_SUCCESS) {
            return none("no CUDA devices: cuInit failed with " + cu.errorName(rc) + " (" + cu.loadedFrom() + ")",
                    List.of());
        }
        int count;
        int driver;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            cu.check("cuDriverGetVersion", cu.cuDriverGetVersion(out));
            driver = out.get(ValueLayout.JAVA_INT, 0);
            cu.check("cuDeviceGetCount", cu.cuDeviceGetCount(out));
            count = out.get(ValueLayout.JAVA_INT, 0);
        }
        if (count == 0) {
            return none("no CUDA devices: the driver (" + cu.loadedFrom() + ") reports none", List.of());
        }
        List<CudaDevice> devices = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CudaDeviceInfo info = CudaDeviceInfo.read(cu, i, driver);
            if (info.ptxArch().isEmpty()) {
                skipped.add("GPU " + i + " " + info.name() + " is " + info.smName()
                        + "; Tessera's PTX needs sm_80 or newer");
            } else {
                devices.add(new CudaDevice(cu, info));
            }
        }
        if (devices.isEmpty()) {
            return none("no CUDA devices: " + String.join("; ", skipped), skipped);
        }
        return new Result(devices, skipped, Optional.empty());
    }

    private static Result none(String reason, List<String> skipped) {
        return new Result(List.of(), skipped, Optional.of(reason));
    }
}
