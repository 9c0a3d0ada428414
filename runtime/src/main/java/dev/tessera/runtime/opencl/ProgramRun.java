package dev.tessera.runtime.opencl;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.DeviceRun;
import dev.tessera.runtime.Execution;
import dev.tessera.runtime.LaunchGeometry;
import dev.tessera.runtime.Resources;
import dev.tessera.runtime.StoredTensor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One {@link OpenClDevice#run} or {@link OpenClDevice#runStored}: the shared {@link DeviceRun} over OpenCL
 * buffers, which it takes from the device's {@link BufferPool} and gives back once the queue has finished.
 */
final class ProgramRun extends DeviceRun<ClBuffer, long[]> implements AutoCloseable {

    private final BufferPool pool;
    private final ClQueue queue;
    private final OpenClCompiled compiled;
    private final List<ClBuffer> buffers = new ArrayList<>();

    ProgramRun(BufferPool pool, ClQueue queue, OpenClCompiled compiled) {
        this.pool = pool;
        this.queue = queue;
        this.compiled = compiled;
    }

    Execution run(List<HostTensor> inputs, int repeat) {
        return run(compiled.program(), inputs, repeat);
    }

    void runStored(List<StoredTensor> inputs, List<MemorySegment> outputs) {
        runStored(compiled.program(), inputs, outputs);
    }

    @Override
    protected ClBuffer alloc(long bytes) {
        ClBuffer b = pool.take(bytes);
        buffers.add(b);
        return b;
    }

    @Override
    protected void upload(ClBuffer buffer, MemorySegment host) {
        // The host memory outlives the run, and every run finishes its queue before it returns or closes.
        queue.enqueueWrite(buffer, host);
    }

    @Override
    protected void poison(ClBuffer buffer, long bytes) {
        queue.fill(buffer, POISON);
    }

    @Override
    protected void download(ClBuffer buffer, MemorySegment host, Buffer output) {
        queue.read(buffer, host);
    }


    /** Arguments in parameter order: buffers resolved to their storage, dims as cl_int; returns the global size. */
    @Override
    protected long[] prepare(int index, LoopKernel kernel, BufferPlan plan, Map<String, ClBuffer> storage,
            Map<String, Long> dims) {
        ClKernel ck = compiled.kernels.get(index);
        for (int i = 0; i < kernel.params().size(); i++) {
            switch (kernel.params().get(i)) {
                case LoopParam.BufferParam b -> ck.setArg(i, storageOf(kernel, b, plan, storage));
                // ShapeBinder has checked that every dim parameter is bound and fits an int.
                case LoopParam.DimParam d -> ck.setArg(i, Math.toIntExact(dims.get(d.name())));
            }
        }
        return LaunchGeometry.global(kernel, dims);
    }

    @Override
    protected long launchAll(LoopProgram p, List<long[]> globals) {
        List<ClEvent> events = new ArrayList<>();
        try {
            for (int k = 0; k < p.kernels().size(); k++) {
                long[] global = globals.get(k);
                // OpenCL 1.2 rejects an empty NDRange; a grid with no work-items has nothing to do anyway.
                if (Arrays.stream(global).anyMatch(g -> g == 0)) {
                    continue;
                }
                events.add(queue.launch(compiled.kernels.get(k), global, LaunchGeometry.local(p.kernels().get(k))));
            }
            queue.finish();
            long total = 0;
            for (ClEvent e : events) {
                total += e.durationNs();
            }
            return total;
        } finally {
            events.forEach(ClEvent::close);
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            // After a failure mid-run, commands may still be queued; let them drain before buffers go.
            queue.finish();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            if (failure == null) {
                pool.giveAll(buffers);
            } else {
                // A queue that did not finish may still use its buffers: release them rather than keep them.
                Resources.closeAll(buffers, failure);
            }
        } finally {
            closeArena();
        }
    }
}
