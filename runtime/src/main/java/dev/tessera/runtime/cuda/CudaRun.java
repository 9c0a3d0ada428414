package dev.tessera.runtime.cuda;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.Execution;
import dev.tessera.runtime.LaunchGeometry;
import dev.tessera.runtime.ShapeBinder;
import dev.tessera.runtime.StorageCodec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One {@link CudaDevice#run}: binds dims, allocates device memory per storage (views share their storage's),
 * uploads inputs, poisons outputs and temps, launches every kernel in order per repeat with a pair of events
 * around each, and reads the outputs back. Everything it allocates is freed when it closes.
 */
final class CudaRun implements AutoCloseable {

    /** Every byte 0xFF: NaN in every float format, -1 as i32, and not a valid bool byte. */
    private static final byte POISON = (byte) 0xFF;

    private final CudaLibrary cu;
    private final CudaDeviceInfo device;
    private final CudaCompiled compiled;
    private final Arena arena = Arena.ofConfined();
    private final List<Long> allocations = new ArrayList<>();
    private final List<MemorySegment> events = new ArrayList<>();

    CudaRun(CudaLibrary cu, CudaDeviceInfo device, CudaCompiled compiled) {
        this.cu = cu;
        this.device = device;
        this.compiled = compiled;
    }

    Execution run(List<HostTensor> inputs, int repeat) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
        }
        LoopProgram p = compiled.program();
        BufferPlan plan = p.buffers();
        Map<String, Long> dims = ShapeBinder.bind(p, inputs);

        Map<String, Long> storage = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        List<MemorySegment> inputData = new ArrayList<>();
        for (int i = 0; i < plan.inputs().size(); i++) {
            MemorySegment host = StorageCodec.encode(arena, inputs.get(i));
            inputData.add(host);
            String name = plan.inputs().get(i).name();
            storage.put(name, alloc(host.byteSize()));
            bytes.put(name, host.byteSize());
        }
        List<Buffer> poisoned = new ArrayList<>(plan.outputs());
        poisoned.addAll(plan.temps());
        for (Buffer b : poisoned) {
            long n = bytesOf(b, dims);
            storage.put(b.name(), alloc(n));
            bytes.put(b.name(), n);
        }
        for (BufferPlan.View v : plan.views()) {
            Buffer of = plan.find(plan.storageOf(v.of())).orElseThrow(() -> new IllegalArgumentException(
                    "view '" + v.buffer().name() + "' of '" + p.name() + "' names no buffer '" + v.of() + "'"));
            if (bytesOf(v.buffer(), dims) != bytesOf(of, dims)) {
                throw new IllegalArgumentException("view '" + v.buffer().name() + "' of '" + of.name()
                        + "' differs in size");
            }
        }

        List<int[]> grids = new ArrayList<>();
        List<MemorySegment> params = new ArrayList<>();
        for (LoopKernel k : p.kernels()) {
            grids.add(grid(k, dims));
            params.add(arguments(k, plan, storage, dims));
        }
        List<MemorySegment[]> timing = new ArrayList<>();
        for (int k = 0; k < p.kernels().size(); k++) {
            timing.add(new MemorySegment[] {event(), event()});
        }
        // A program that stores into an input would see its own output on the next repeat; re-upload then.
        boolean writesInputs = writesAny(p, plan, plan.inputs().stream().map(Buffer::name).collect(Collectors.toSet()));

        List<Long> times = new ArrayList<>(repeat);
        for (int r = 0; r < repeat; r++) {
            if (r == 0 || writesInputs) {
                for (int i = 0; i < inputData.size(); i++) {
                    MemorySegment host = inputData.get(i);
                    if (host.byteSize() > 0) {
                        cu.check("cuMemcpyHtoD", cu.cuMemcpyHtoD(storage.get(plan.inputs().get(i).name()), host,
                                host.byteSize()));
                    }
                }
            }
            // Poison before every repeat, so the outputs read after the last one show exactly what it wrote.
            for (Buffer b : poisoned) {
                if (bytes.get(b.name()) > 0) {
                    cu.check("cuMemsetD8", cu.cuMemsetD8(storage.get(b.name()), POISON, bytes.get(b.name())));
                }
            }
            times.add(launchAll(p, grids, params, timing));
        }

        List<HostTensor> outputs = new ArrayList<>();
        for (Buffer b : plan.outputs()) {
            long n = bytes.get(b.name());
            MemorySegment host = arena.allocate(Math.max(1, n), 8).asSlice(0, n);
            if (n > 0) {
                cu.check("cuMemcpyDtoH", cu.cuMemcpyDtoH(host, storage.get(b.name()), n), b.name());
            }
            outputs.add(StorageCodec.decode(b.type().dtype(), ShapeBinder.shapeOf(b, dims), host));
        }
        return new Execution(outputs, dims, times);
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
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, Math.max(1, k.params().size()));
        for (int i = 0; i < k.params().size(); i++) {
            MemorySegment slot = arena.allocate(ValueLayout.JAVA_LONG);
            switch (k.params().get(i)) {
                case LoopParam.BufferParam b -> {
                    Long ptr = storage.get(plan.storageOf(b.name()));
                    if (ptr == null) {
                        throw new IllegalArgumentException("kernel '" + k.name() + "' takes buffer '" + b.name()
                                + "', which the program's buffer plan does not have");
                    }
                    // The kernel would reinterpret the bytes silently; a lowering bug should fail loudly instead.
                    plan.find(b.name()).filter(decl -> decl.type().dtype() != b.elem()).ifPresent(decl -> {
                        throw new IllegalArgumentException("kernel '" + k.name() + "' takes buffer '" + b.name()
                                + "' as " + b.elem() + " but the buffer plan declares it " + decl.type());
                    });
                    slot.set(ValueLayout.JAVA_LONG, 0, ptr);
                }
                // ShapeBinder has checked that every dim parameter is bound and fits an int.
                case LoopParam.DimParam d -> slot.set(ValueLayout.JAVA_INT, 0, Math.toIntExact(dims.get(d.name())));
            }
            array.setAtIndex(ValueLayout.ADDRESS, i, slot);
        }
        return array;
    }

    /** Launches every kernel once, in order, and returns the sum of their device times in ns. */
    private long launchAll(LoopProgram p, List<int[]> grids, List<MemorySegment> params, List<MemorySegment[]> timing) {
        List<Integer> launched = new ArrayList<>();
        for (int k = 0; k < p.kernels().size(); k++) {
            int[] g = grids.get(k);
            // A grid with no blocks has nothing to do, and CUDA rejects it.
            if (g[0] == 0 || g[1] == 0 || g[2] == 0) {
                continue;
            }
            MemorySegment[] ev = timing.get(k);
            cu.check("cuEventRecord", cu.cuEventRecord(ev[0], MemorySegment.NULL));
            cu.check("cuLaunchKernel", cu.cuLaunchKernel(compiled.functions.get(k), g[0], g[1], g[2], g[3], g[4], g[5],
                    0, MemorySegment.NULL, params.get(k)), p.kernels().get(k).name());
            cu.check("cuEventRecord", cu.cuEventRecord(ev[1], MemorySegment.NULL));
            launched.add(k);
        }
        // Faults inside a kernel surface here, named by the driver (e.g. CUDA_ERROR_ILLEGAL_ADDRESS).
        cu.check("cuCtxSynchronize", cu.cuCtxSynchronize(), p.name());
        long total = 0;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment ms = scratch.allocate(ValueLayout.JAVA_FLOAT);
            for (int k : launched) {
                MemorySegment[] ev = timing.get(k);
                cu.check("cuEventElapsedTime", cu.cuEventElapsedTime(ms, ev[0], ev[1]));
                total += Math.round(ms.get(ValueLayout.JAVA_FLOAT, 0) * 1e6);
            }
        }
        return total;
    }

    private long alloc(long bytes) {
        MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
        // cuMemAlloc rejects 0 bytes; an empty tensor still needs a valid pointer to pass.
        cu.check("cuMemAlloc", cu.cuMemAlloc(out, Math.max(1, bytes)), bytes + " bytes");
        long ptr = out.get(ValueLayout.JAVA_LONG, 0);
        allocations.add(ptr);
        return ptr;
    }

    private MemorySegment event() {
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        cu.check("cuEventCreate", cu.cuEventCreate(out, 0));
        MemorySegment e = out.get(ValueLayout.ADDRESS, 0);
        events.add(e);
        return e;
    }

    private static long bytesOf(Buffer b, Map<String, Long> dims) {
        return StorageCodec.byteSize(b.type().dtype(), b.type().shape().elementCount(dims));
    }

    private static boolean writesAny(LoopProgram p, BufferPlan plan, Set<String> storages) {
        return p.kernels().stream().flatMap(k -> k.params().stream())
                .anyMatch(param -> param instanceof LoopParam.BufferParam b && b.written()
                        && storages.contains(plan.storageOf(b.name())));
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
        arena.close();
        if (failure != null) {
            throw failure;
        }
    }
}
