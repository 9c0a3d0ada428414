package dev.tessera.runtime.cuda;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.DeviceRun;
import dev.tessera.runtime.Execution;
import dev.tessera.runtime.LaunchGeometry;
import dev.tessera.runtime.StoredTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@link CudaDevice#run}: binds dims, allocates device memory per storage (views share their storage's),
 * uploads inputs, poisons outputs and temps, launches every kernel in order per repeat with a pair of events
 * around each, and reads the outputs back. Everything it allocates is freed when it closes.
 */
final class CudaRun extends DeviceRun<Long, CudaRun.Launch> implements AutoCloseable {

    /** One kernel's launch: blocks and threads per dimension, its kernelParams, and the events around it. */
    record Launch(int[] grid, MemorySegment params, MemorySegment[] events) {}

    private final CudaLibrary cu;
    private final CudaDeviceInfo device;
    private final CudaCompiled compiled;
    private final List<Long> allocations = new ArrayList<>();
    private final List<MemorySegment> events = new ArrayList<>();

    CudaRun(CudaLibrary cu, CudaDeviceInfo device, CudaCompiled compiled) {
        this.cu = cu;
        this.device = device;
        this.compiled = compiled;
    }

    Execution run(List<HostTensor> inputs, int repeat) {
        return run(compiled.program(), inputs, repeat);
    }

    void runStored(List<StoredTensor> inputs, List<MemorySegment> outputs) {
        runStored(compiled.program(), inputs, outputs);
    }

    @Override
    protected void upload(Long buffer, MemorySegment host) {
        if (host.byteSize() > 0) {
            cu.check("cuMemcpyHtoD", cu.cuMemcpyHtoD(buffer, host, host.byteSize()));
        }
    }

    @Override
    protected void poison(Long buffer, long bytes) {
        if (bytes > 0) {
            cu.check("cuMemsetD8", cu.cuMemsetD8(buffer, POISON, bytes));
        }
    }

    @Override
    protected void download(Long buffer, MemorySegment host, Buffer output) {
        if (host.byteSize() > 0) {
            cu.check("cuMemcpyDtoH", cu.cuMemcpyDtoH(host, buffer, host.byteSize()), output.name());
        }
    }


    @Override
    protected Launch prepare(int index, LoopKernel kernel, BufferPlan plan, Map<String, Long> storage,
            Map<String, Long> dims) {
        return new Launch(grid(kernel, dims), arguments(kernel, plan, storage, dims),
                new MemorySegment[] {event(), event()});
    }

    /** Blocks per dimension (3 of them, 1 where the kernel has fewer); checked against the device's limits. */
    private int[] grid(LoopKernel k, Map<String, Long> dims) {
        long[] global = LaunchGeometry.global(k, dims);
        long[] local = LaunchGeometry.local(k);
        int[] limits = {device.maxGridX(), device.maxGridY(), device.maxGridZ()};
        int[] g = {1, 1, 1, 1, 1, 1};
        for (int d = 0; d < global.length; d++) {
            long blocks = global[d] / local[d];
            if (blocks > limits[d]) {
                throw new IllegalArgumentException("kernel '" + k.name() + "' needs " + blocks + " blocks along "
                        + "dimension " + d + "; " + device.name() + " allows " + limits[d]);
            }
            g[d] = (int) blocks;
            g[3 + d] = (int) local[d];
        }
        return g;
    }

    /** kernelParams: an array of pointers, each to one argument's value (a CUdeviceptr or an int). */
    private MemorySegment arguments(LoopKernel k, BufferPlan plan, Map<String, Long> storage, Map<String, Long> dims) {
        MemorySegment array = arena().allocate(ValueLayout.ADDRESS, Math.max(1, k.params().size()));
        for (int i = 0; i < k.params().size(); i++) {
            MemorySegment slot = arena().allocate(ValueLayout.JAVA_LONG);
            switch (k.params().get(i)) {
                case LoopParam.BufferParam b -> slot.set(ValueLayout.JAVA_LONG, 0, storageOf(k, b, plan, storage));
                // ShapeBinder has checked that every dim parameter is bound and fits an int.
                case LoopParam.DimParam d -> slot.set(ValueLayout.JAVA_INT, 0, Math.toIntExact(dims.get(d.name())));
            }
            array.setAtIndex(ValueLayout.ADDRESS, i, slot);
        }
        return array;
    }

    @Override
    protected long launchAll(LoopProgram p, List<Launch> launches) {
        List<Integer> launched = new ArrayList<>();
        for (int k = 0; k < p.kernels().size(); k++) {
            int[] g = launches.get(k).grid();
            // A grid with no blocks has nothing to do, and CUDA rejects it.
            if (g[0] == 0 || g[1] == 0 || g[2] == 0) {
                continue;
            }
            MemorySegment[] ev = launches.get(k).events();
            cu.check("cuEventRecord", cu.cuEventRecord(ev[0], MemorySegment.NULL));
            cu.check("cuLaunchKernel", cu.cuLaunchKernel(compiled.functions.get(k), g[0], g[1], g[2], g[3], g[4], g[5],
                    0, MemorySegment.NULL, launches.get(k).params()), p.kernels().get(k).name());
            cu.check("cuEventRecord", cu.cuEventRecord(ev[1], MemorySegment.NULL));
            launched.add(k);
        }
        // Faults inside a kernel surface here, named by the driver (e.g. CUDA_ERROR_ILLEGAL_ADDRESS).
        cu.check("cuCtxSynchronize", cu.cuCtxSynchronize(), p.name());
        long total = 0;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment ms = scratch.allocate(ValueLayout.JAVA_FLOAT);
            for (int k : launched) {
                MemorySegment[] ev = launches.get(k).events();
                cu.check("cuEventElapsedTime", cu.cuEventElapsedTime(ms, ev[0], ev[1]));
                total += Math.round(ms.get(ValueLayout.JAVA_FLOAT, 0) * 1e6);
            }
        }
        return total;
    }

    @Override
    protected Long alloc(long bytes) {
        MemorySegment out = arena().allocate(ValueLayout.JAVA_LONG);
        // cuMemAlloc rejects 0 bytes; an empty tensor still needs a valid pointer to pass.
        cu.check("cuMemAlloc", cu.cuMemAlloc(out, Math.max(1, bytes)), bytes + " bytes");
        long ptr = out.get(ValueLayout.JAVA_LONG, 0);
        allocations.add(ptr);
        return ptr;
    }

    private MemorySegment event() {
        MemorySegment out = arena().allocate(ValueLayout.ADDRESS);
        cu.check("cuEventCreate", cu.cuEventCreate(out, 0));
        MemorySegment e = out.get(ValueLayout.ADDRESS, 0);
        events.add(e);
        return e;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        // After a failure mid-run, work may still be queued; let it drain before the memory goes.
        int rc = cu.cuCtxSynchronize();
        if (rc != CudaLibrary.CUDA_SUCCESS) {
            failure = new CudaException("cuCtxSynchronize", rc, cu.errorName(rc), "cleaning up");
        }
        for (MemorySegment e : events) {
            cu.cuEventDestroy(e);
        }
        for (long ptr : allocations) {
            int free = cu.cuMemFree(ptr);
            if (free != CudaLibrary.CUDA_SUCCESS && failure == null) {
                failure = new CudaException("cuMemFree", free, cu.errorName(free), "");
            }
        }
        closeArena();
        if (failure != null) {
            throw failure;
        }
    }
}
