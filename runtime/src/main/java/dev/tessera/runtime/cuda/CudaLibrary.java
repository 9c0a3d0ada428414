package dev.tessera.runtime.cuda;

import dev.tessera.runtime.NativeLibraries;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

/**
 * The CUDA driver API entry points Tessera calls, bound to libcuda through the foreign function API (no JNI,
 * no CUDA toolkit at run time: the driver alone JIT-compiles PTX). Wrappers are thin and typed and return
 * the CUresult; {@link #check} turns a failure into a {@link CudaException} naming the function.
 */
public final class CudaLibrary {

    /** The driver's soname; the unversioned name exists only where development files are installed. */
    public static final List<String> DEFAULT_NAMES = List.of("libcuda.so.1", "libcuda.so");

    static final int CUDA_SUCCESS = 0;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;

    private static CudaLibrary shared;
    private static CudaUnavailableException sharedFailure;

    private final String loadedFrom;
    private final MethodHandle init;
    private final MethodHandle driverGetVersion;
    private final MethodHandle deviceGetCount;
    private final MethodHandle deviceGet;
    private final MethodHandle deviceGetName;
    private final MethodHandle deviceGetAttribute;
    private final MethodHandle deviceTotalMem;
    private final MethodHandle primaryCtxRetain;
    private final MethodHandle primaryCtxRelease;
    private final MethodHandle ctxSetCurrent;
    private final MethodHandle ctxSynchronize;
    private final MethodHandle moduleLoadDataEx;
    private final MethodHandle moduleGetFunction;
    private final MethodHandle moduleUnload;
    private final MethodHandle memAlloc;
    private final MethodHandle memFree;
    private final MethodHandle memcpyHtoD;
    private final MethodHandle memcpyDtoH;
    private final MethodHandle memsetD8;
    private final MethodHandle launchKernel;
    private final MethodHandle eventCreate;
    private final MethodHandle eventRecord;
    private final MethodHandle eventSynchronize;
    private final MethodHandle eventElapsedTime;
    private final MethodHandle eventDestroy;
    private final MethodHandle getErrorName;

    /** The process-wide binding, loaded on first use; a failure is remembered and reported again. */
    public static synchronized CudaLibrary get() {
        if (shared == null && sharedFailure == null) {
            try {
                shared = load(DEFAULT_NAMES);
            } catch (CudaUnavailableException e) {
                sharedFailure = e;
            }
        }
        if (shared == null) {
            throw sharedFailure;
        }
        return shared;
    }

    /** Loads the first of {@code names} the dynamic linker finds and binds every entry point. */
    public static CudaLibrary load(List<String> names) {
        return NativeLibraries.load(names, "no CUDA driver", "; the NVIDIA driver installs libcuda.so.1",
                CudaLibrary::new, CudaUnavailableException::new);
    }

    private CudaLibrary(String name, SymbolLookup lookup) {
        loadedFrom = name;
        // Versioned names first: the _v2 entry points take 64-bit sizes and device pointers; every driver
        // since CUDA 3.2 has them. The unversioned names are kept for binary compatibility only.
        init = bind(lookup, INT, List.of("cuInit"), INT);
        driverGetVersion = bind(lookup, INT, List.of("cuDriverGetVersion"), PTR);
        deviceGetCount = bind(lookup, INT, List.of("cuDeviceGetCount"), PTR);
        deviceGet = bind(lookup, INT, List.of("cuDeviceGet"), PTR, INT);
        deviceGetName = bind(lookup, INT, List.of("cuDeviceGetName"), PTR, INT, INT);
        deviceGetAttribute = bind(lookup, INT, List.of("cuDeviceGetAttribute"), PTR, INT, INT);
        deviceTotalMem = bind(lookup, INT, List.of("cuDeviceTotalMem_v2"), PTR, INT);
        primaryCtxRetain = bind(lookup, INT, List.of("cuDevicePrimaryCtxRetain"), PTR, INT);
        primaryCtxRelease = bind(lookup, INT, List.of("cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease"), INT);
        ctxSetCurrent = bind(lookup, INT, List.of("cuCtxSetCurrent"), PTR);
        ctxSynchronize = bind(lookup, INT, List.of("cuCtxSynchronize"));
        moduleLoadDataEx = bind(lookup, INT, List.of("cuModuleLoadDataEx"), PTR, PTR, INT, PTR, PTR);
        moduleGetFunction = bind(lookup, INT, List.of("cuModuleGetFunction"), PTR, PTR, PTR);
        moduleUnload = bind(lookup, INT, List.of("cuModuleUnload"), PTR);
        memAlloc = bind(lookup, INT, List.of("cuMemAlloc_v2"), PTR, LONG);
        memFree = bind(lookup, INT, List.of("cuMemFree_v2"), LONG);
        memcpyHtoD = bind(lookup, INT, List.of("cuMemcpyHtoD_v2"), LONG, PTR, LONG);
        memcpyDtoH = bind(lookup, INT, List.of("cuMemcpyDtoH_v2"), PTR, LONG, LONG);
        memsetD8 = bind(lookup, INT, List.of("cuMemsetD8_v2"), LONG, BYTE, LONG);
        launchKernel = bind(lookup, INT, List.of("cuLaunchKernel"), PTR, INT, INT, INT, INT, INT, INT, INT, PTR, PTR, PTR);
        eventCreate = bind(lookup, INT, List.of("cuEventCreate"), PTR, INT);
        eventRecord = bind(lookup, INT, List.of("cuEventRecord"), PTR, PTR);
        eventSynchronize = bind(lookup, INT, List.of("cuEventSynchronize"), PTR);
        eventElapsedTime = bind(lookup, INT, List.of("cuEventElapsedTime_v2", "cuEventElapsedTime"), PTR, PTR, PTR);
        eventDestroy = bind(lookup, INT, List.of("cuEventDestroy_v2", "cuEventDestroy"), PTR);
        getErrorName = bind(lookup, INT, List.of("cuGetErrorName"), INT, PTR);
    }

    private static MethodHandle bind(SymbolLookup lookup, MemoryLayout result, List<String> names, MemoryLayout... args) {
        for (String name : names) {
            Optional<MemorySegment> symbol = lookup.find(name);
            if (symbol.isPresent()) {
                return LINKER.downcallHandle(symbol.get(), FunctionDescriptor.of(result, args));
            }
        }
        throw new CudaUnavailableException("no CUDA driver: the loaded libcuda lacks " + names.getFirst()
                + " (the driver is too old)");
    }

    /** The library name that was loaded. */
    public String loadedFrom() {
        return loadedFrom;
    }

    /** The symbolic name of a CUresult, e.g. CUDA_ERROR_NO_DEVICE, or its number when the driver knows none. */
    public String errorName(int code) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(PTR);
            int rc = (int) getErrorName.invokeExact(code, out);
            MemorySegment str = out.get(PTR, 0);
            if (rc != CUDA_SUCCESS || str.equals(MemorySegment.NULL)) {
                return "CUresult " + code;
            }
            return str.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    /** Throws a {@link CudaException} for a failed call. */
    void check(String function, int rc) {
        check(function, rc, "");
    }

    void check(String function, int rc, String context) {
        if (rc != CUDA_SUCCESS) {
            throw new CudaException(function, rc, errorName(rc), context);
        }
    }

    // Each wrapper mirrors one driver function: same argument order; unsigned int and CUdevice as int,
    // size_t and CUdeviceptr as long, handles and out-pointers as MemorySegment.

    int cuInit(int flags) {
        try {
            return (int) init.invokeExact(flags);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuDriverGetVersion(MemorySegment version) {
        return onePointer(driverGetVersion, version);
    }

    int cuDeviceGetCount(MemorySegment count) {
        return onePointer(deviceGetCount, count);
    }

    int cuDeviceGet(MemorySegment device, int ordinal) {
        try {
            return (int) deviceGet.invokeExact(device, ordinal);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuDeviceGetName(MemorySegment name, int length, int device) {
        try {
            return (int) deviceGetName.invokeExact(name, length, device);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuDeviceGetAttribute(MemorySegment value, int attribute, int device) {
        try {
            return (int) deviceGetAttribute.invokeExact(value, attribute, device);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuDeviceTotalMem(MemorySegment bytes, int device) {
        return pointerAndInt(deviceTotalMem, bytes, device);
    }

    int cuDevicePrimaryCtxRetain(MemorySegment context, int device) {
        return pointerAndInt(primaryCtxRetain, context, device);
    }

    int cuDevicePrimaryCtxRelease(int device) {
        try {
            return (int) primaryCtxRelease.invokeExact(device);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuCtxSetCurrent(MemorySegment context) {
        return onePointer(ctxSetCurrent, context);
    }

    int cuCtxSynchronize() {
        try {
            return (int) ctxSynchronize.invokeExact();
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuModuleLoadDataEx(MemorySegment module, MemorySegment image, int numOptions, MemorySegment options,
            MemorySegment values) {
        try {
            return (int) moduleLoadDataEx.invokeExact(module, image, numOptions, options, values);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuModuleGetFunction(MemorySegment function, MemorySegment module, MemorySegment name) {
        try {
            return (int) moduleGetFunction.invokeExact(function, module, name);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuModuleUnload(MemorySegment module) {
        return onePointer(moduleUnload, module);
    }

    int cuMemAlloc(MemorySegment devicePtr, long bytes) {
        try {
            return (int) memAlloc.invokeExact(devicePtr, bytes);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuMemFree(long devicePtr) {
        try {
            return (int) memFree.invokeExact(devicePtr);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuMemcpyHtoD(long dst, MemorySegment src, long bytes) {
        try {
            return (int) memcpyHtoD.invokeExact(dst, src, bytes);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuMemcpyDtoH(MemorySegment dst, long src, long bytes) {
        try {
            return (int) memcpyDtoH.invokeExact(dst, src, bytes);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuMemsetD8(long dst, byte value, long count) {
        try {
            return (int) memsetD8.invokeExact(dst, value, count);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuLaunchKernel(MemorySegment function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
            int sharedBytes, MemorySegment stream, MemorySegment params) {
        try {
            return (int) launchKernel.invokeExact(function, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes,
                    stream, params, MemorySegment.NULL);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuEventCreate(MemorySegment event, int flags) {
        try {
            return (int) eventCreate.invokeExact(event, flags);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuEventRecord(MemorySegment event, MemorySegment stream) {
        try {
            return (int) eventRecord.invokeExact(event, stream);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuEventSynchronize(MemorySegment event) {
        return onePointer(eventSynchronize, event);
    }

    int cuEventElapsedTime(MemorySegment millis, MemorySegment start, MemorySegment end) {
        try {
            return (int) eventElapsedTime.invokeExact(millis, start, end);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int cuEventDestroy(MemorySegment event) {
        return onePointer(eventDestroy, event);
    }

    private static int onePointer(MethodHandle h, MemorySegment p) {
        try {
            return (int) h.invokeExact(p);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    private static int pointerAndInt(MethodHandle h, MemorySegment p, int i) {
        try {
            return (int) h.invokeExact(p, i);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }
}
