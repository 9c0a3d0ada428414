package dev.tessera.runtime.opencl;

import dev.tessera.runtime.FaultHandlers;
import dev.tessera.runtime.NativeLibraries;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * The OpenCL 1.2 entry points Tessera calls, bound to libOpenCL through the foreign function API. Methods
 * are thin and typed; checking the returned codes is the callers' job (see {@link ClErrors}).
 */
public final class ClLibrary {

    /** The ICD loader's soname first; the unversioned name exists only where development files are installed. */
    public static final List<String> DEFAULT_NAMES = List.of("libOpenCL.so.1", "libOpenCL.so");

    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    private static ClLibrary shared;
    private static OpenClUnavailableException sharedFailure;

    private final String loadedFrom;
    private final MethodHandle getPlatformIDs;
    private final MethodHandle getPlatformInfo;
    private final MethodHandle getDeviceIDs;
    private final MethodHandle getDeviceInfo;
    private final MethodHandle createContext;
    private final MethodHandle releaseContext;
    private final MethodHandle createCommandQueue;
    private final MethodHandle releaseCommandQueue;
    private final MethodHandle finish;
    private final MethodHandle createBuffer;
    private final MethodHandle releaseMemObject;
    private final MethodHandle enqueueWriteBuffer;
    private final MethodHandle enqueueReadBuffer;
    private final MethodHandle enqueueFillBuffer;
    private final MethodHandle createProgramWithSource;
    private final MethodHandle createProgramWithBinary;
    private final MethodHandle getProgramInfo;
    private final MethodHandle buildProgram;
    private final MethodHandle getProgramBuildInfo;
    private final MethodHandle releaseProgram;
    private final MethodHandle createKernel;
    private final MethodHandle setKernelArg;
    private final MethodHandle releaseKernel;
    private final MethodHandle enqueueNDRangeKernel;
    private final MethodHandle getEventProfilingInfo;
    private final MethodHandle releaseEvent;

    /** The process-wide binding, loaded on first use; a failure is remembered and reported again. */
    public static synchronized ClLibrary get() {
        if (shared == null && sharedFailure == null) {
            try {
                shared = load(DEFAULT_NAMES);
            } catch (OpenClUnavailableException e) {
                sharedFailure = e;
            }
        }
        if (shared == null) {
            throw sharedFailure;
        }
        return shared;
    }

    /** Loads the first of {@code names} that the dynamic linker finds and binds every entry point. */
    public static ClLibrary load(List<String> names) {
        FaultHandlers.process(); // the JVM's handlers, before any driver can replace them
        return NativeLibraries.load(names, "no OpenCL library", "", ClLibrary::new, OpenClUnavailableException::new);
    }

    private ClLibrary(String name, SymbolLookup lookup) {
        loadedFrom = name;
        getPlatformIDs = bind(lookup, "clGetPlatformIDs", INT, INT, PTR, PTR);
        getPlatformInfo = bind(lookup, "clGetPlatformInfo", INT, PTR, INT, LONG, PTR, PTR);
        getDeviceIDs = bind(lookup, "clGetDeviceIDs", INT, PTR, LONG, INT, PTR, PTR);
        getDeviceInfo = bind(lookup, "clGetDeviceInfo", INT, PTR, INT, LONG, PTR, PTR);
        createContext = bind(lookup, "clCreateContext", PTR, PTR, INT, PTR, PTR, PTR, PTR);
        releaseContext = bind(lookup, "clReleaseContext", INT, PTR);
        createCommandQueue = bind(lookup, "clCreateCommandQueue", PTR, PTR, PTR, LONG, PTR);
        releaseCommandQueue = bind(lookup, "clReleaseCommandQueue", INT, PTR);
        finish = bind(lookup, "clFinish", INT, PTR);
        createBuffer = bind(lookup, "clCreateBuffer", PTR, PTR, LONG, LONG, PTR, PTR);
        releaseMemObject = bind(lookup, "clReleaseMemObject", INT, PTR);
        enqueueWriteBuffer = bind(lookup, "clEnqueueWriteBuffer", INT, PTR, PTR, INT, LONG, LONG, PTR, INT, PTR, PTR);
        enqueueReadBuffer = bind(lookup, "clEnqueueReadBuffer", INT, PTR, PTR, INT, LONG, LONG, PTR, INT, PTR, PTR);
        enqueueFillBuffer = bind(lookup, "clEnqueueFillBuffer", INT, PTR, PTR, PTR, LONG, LONG, LONG, INT, PTR, PTR);
        createProgramWithSource = bind(lookup, "clCreateProgramWithSource", PTR, PTR, INT, PTR, PTR, PTR);
        createProgramWithBinary = bind(lookup, "clCreateProgramWithBinary", PTR, PTR, INT, PTR, PTR, PTR, PTR, PTR);
        getProgramInfo = bind(lookup, "clGetProgramInfo", INT, PTR, INT, LONG, PTR, PTR);
        buildProgram = bind(lookup, "clBuildProgram", INT, PTR, INT, PTR, PTR, PTR, PTR);
        getProgramBuildInfo = bind(lookup, "clGetProgramBuildInfo", INT, PTR, PTR, INT, LONG, PTR, PTR);
        releaseProgram = bind(lookup, "clReleaseProgram", INT, PTR);
        createKernel = bind(lookup, "clCreateKernel", PTR, PTR, PTR, PTR);
        setKernelArg = bind(lookup, "clSetKernelArg", INT, PTR, INT, LONG, PTR);
        releaseKernel = bind(lookup, "clReleaseKernel", INT, PTR);
        enqueueNDRangeKernel = bind(lookup, "clEnqueueNDRangeKernel", INT, PTR, PTR, INT, PTR, PTR, PTR, INT, PTR, PTR);
        getEventProfilingInfo = bind(lookup, "clGetEventProfilingInfo", INT, PTR, INT, LONG, PTR, PTR);
        releaseEvent = bind(lookup, "clReleaseEvent", INT, PTR);
    }

    private static MethodHandle bind(SymbolLookup lookup, String name, MemoryLayout result, MemoryLayout... args) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new OpenClUnavailableException(
                "no OpenCL library: the loaded libOpenCL lacks " + name + " (OpenCL 1.2 is needed)"));
        MethodHandle call = LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args));
        if (FaultHandlers.process().map(FaultHandlers::chained).orElse(true)) {
            return call;
        }
        // Without signal chaining, no call into the driver may leave the JVM's fault handlers replaced.
        return MethodHandles.filterReturnValue(call, call.type().returnType() == int.class ? RESTORE_INT : RESTORE_PTR);
    }

    private static final MethodHandle RESTORE_INT;
    private static final MethodHandle RESTORE_PTR;

    static {
        try {
            MethodHandles.Lookup here = MethodHandles.lookup();
            RESTORE_INT = here.findStatic(ClLibrary.class, "restoreFaultHandlers",
                    MethodType.methodType(int.class, int.class));
            RESTORE_PTR = here.findStatic(ClLibrary.class, "restoreFaultHandlers",
                    MethodType.methodType(MemorySegment.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static int restoreFaultHandlers(int result) {
        FaultHandlers.process().orElseThrow().restore();
        return result;
    }

    private static MemorySegment restoreFaultHandlers(MemorySegment result) {
        FaultHandlers.process().orElseThrow().restore();
        return result;
    }

    /** The library name that was loaded. */
    public String loadedFrom() {
        return loadedFrom;
    }

    // Each wrapper below mirrors one OpenCL function: same argument order, cl_uint/cl_int as int,
    // size_t/cl_ulong/bitfields as long, pointers and handles as MemorySegment.

    int clGetPlatformIDs(int numEntries, MemorySegment platforms, MemorySegment numPlatforms) {
        try {
            return (int) getPlatformIDs.invokeExact(numEntries, platforms, numPlatforms);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clGetPlatformInfo(MemorySegment platform, int param, long size, MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) getPlatformInfo.invokeExact(platform, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clGetDeviceIDs(MemorySegment platform, long type, int numEntries, MemorySegment devices, MemorySegment num) {
        try {
            return (int) getDeviceIDs.invokeExact(platform, type, numEntries, devices, num);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clGetDeviceInfo(MemorySegment device, int param, long size, MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) getDeviceInfo.invokeExact(device, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    MemorySegment clCreateContext(MemorySegment properties, int numDevices, MemorySegment devices,
            MemorySegment errcode) {
        try {
            return (MemorySegment) createContext.invokeExact(properties, numDevices, devices, MemorySegment.NULL,
                    MemorySegment.NULL, errcode);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clReleaseContext(MemorySegment context) {
        return release(releaseContext, context);
    }

    MemorySegment clCreateCommandQueue(MemorySegment context, MemorySegment device, long properties,
            MemorySegment errcode) {
        try {
            return (MemorySegment) createCommandQueue.invokeExact(context, device, properties, errcode);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clReleaseCommandQueue(MemorySegment queue) {
        return release(releaseCommandQueue, queue);
    }

    int clFinish(MemorySegment queue) {
        return release(finish, queue);
    }

    MemorySegment clCreateBuffer(MemorySegment context, long flags, long size, MemorySegment hostPtr,
            MemorySegment errcode) {
        try {
            return (MemorySegment) createBuffer.invokeExact(context, flags, size, hostPtr, errcode);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clReleaseMemObject(MemorySegment mem) {
        return release(releaseMemObject, mem);
    }

    int clEnqueueWriteBuffer(MemorySegment queue, MemorySegment mem, boolean blocking, long offset, long size,
            MemorySegment ptr, MemorySegment event) {
        try {
            return (int) enqueueWriteBuffer.invokeExact(queue, mem, blocking ? 1 : 0, offset, size, ptr, 0,
                    MemorySegment.NULL, event);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clEnqueueReadBuffer(MemorySegment queue, MemorySegment mem, boolean blocking, long offset, long size,
            MemorySegment ptr, MemorySegment event) {
        try {
            return (int) enqueueReadBuffer.invokeExact(queue, mem, blocking ? 1 : 0, offset, size, ptr, 0,
                    MemorySegment.NULL, event);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clEnqueueFillBuffer(MemorySegment queue, MemorySegment mem, MemorySegment pattern, long patternSize,
            long offset, long size, MemorySegment event) {
        try {
            return (int) enqueueFillBuffer.invokeExact(queue, mem, pattern, patternSize, offset, size, 0,
                    MemorySegment.NULL, event);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    MemorySegment clCreateProgramWithSource(MemorySegment context, int count, MemorySegment strings,
            MemorySegment lengths, MemorySegment errcode) {
        try {
            return (MemorySegment) createProgramWithSource.invokeExact(context, count, strings, lengths, errcode);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    MemorySegment clCreateProgramWithBinary(MemorySegment context, int numDevices, MemorySegment devices,
            MemorySegment lengths, MemorySegment binaries, MemorySegment binaryStatus, MemorySegment errcode) {
        try {
            return (MemorySegment) createProgramWithBinary.invokeExact(context, numDevices, devices, lengths, binaries,
                    binaryStatus, errcode);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clGetProgramInfo(MemorySegment program, int param, long size, MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) getProgramInfo.invokeExact(program, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clBuildProgram(MemorySegment program, int numDevices, MemorySegment devices, MemorySegment options) {
        try {
            return (int) buildProgram.invokeExact(program, numDevices, devices, options, MemorySegment.NULL,
                    MemorySegment.NULL);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clGetProgramBuildInfo(MemorySegment program, MemorySegment device, int param, long size,
            MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) getProgramBuildInfo.invokeExact(program, device, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clReleaseProgram(MemorySegment program) {
        return release(releaseProgram, program);
    }

    MemorySegment clCreateKernel(MemorySegment program, MemorySegment name, MemorySegment errcode) {
        try {
            return (MemorySegment) createKernel.invokeExact(program, name, errcode);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clSetKernelArg(MemorySegment kernel, int index, long size, MemorySegment value) {
        try {
            return (int) setKernelArg.invokeExact(kernel, index, size, value);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clReleaseKernel(MemorySegment kernel) {
        return release(releaseKernel, kernel);
    }

    int clEnqueueNDRangeKernel(MemorySegment queue, MemorySegment kernel, int workDim, MemorySegment globalSize,
            MemorySegment localSize, MemorySegment event) {
        try {
            return (int) enqueueNDRangeKernel.invokeExact(queue, kernel, workDim, MemorySegment.NULL, globalSize,
                    localSize, 0, MemorySegment.NULL, event);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clGetEventProfilingInfo(MemorySegment event, int param, long size, MemorySegment value,
            MemorySegment sizeRet) {
        try {
            return (int) getEventProfilingInfo.invokeExact(event, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    int clReleaseEvent(MemorySegment event) {
        return release(releaseEvent, event);
    }

    /** Every single-handle function returning a cl_int (the releases, clFinish) has this shape. */
    private static int release(MethodHandle h, MemorySegment handle) {
        try {
            return (int) h.invokeExact(handle);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }
}
