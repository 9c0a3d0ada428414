package dev.tessera.runtime.jvm;

import dev.tessera.codegen.jvm.JvmKernel;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;

/**
 * One {@link JvmDevice#run}, the shared {@link DeviceRun} over off-heap memory: every storage is a segment of
 * a shared arena (the pool's threads read and write it; views share their storage's segment), and a launch runs
 * a kernel's work-groups on the calling thread and the pool.
 *
 * <p>The host side's memory comes from the same shared arena. With a confined arena there as well, the JDK's
 * memory-access code inlined into the kernels sees two kinds of session, and C2's speculation on the session
 * type kept failing and recompiling: layernorm took 200 ms instead of 1.
 */
final class JvmProgramRun extends DeviceRun<MemorySegment, JvmProgramRun.Launch> implements AutoCloseable {

    private final JvmCompiled compiled;
    private final ForkJoinPool pool;

    private JvmProgramRun(JvmCompiled compiled, ForkJoinPool pool) {
        super(Arena::ofShared);
        this.compiled = compiled;
        this.pool = pool;
    }

    static Execution run(JvmCompiled compiled, List<HostTensor> inputs, int repeat, ForkJoinPool pool) {
        try (JvmProgramRun run = new JvmProgramRun(compiled, pool)) {
            return run.run(compiled.program(), inputs, repeat);
        }
    }

    static void runStored(JvmCompiled compiled, List<StoredTensor> inputs, List<MemorySegment> outputs,
            ForkJoinPool pool) {
        try (JvmProgramRun run = new JvmProgramRun(compiled, pool)) {
            run.runStored(compiled.program(), inputs, outputs);
        }
    }

    /** One kernel's arguments, resolved once for every repeat. */
    record Launch(String name, JvmKernel kernel, MemorySegment[] buffers, int[] dims, long[] global) {}

    @Override
    protected MemorySegment alloc(long bytes) {
        return arena().allocate(Math.max(1, bytes), 64).asSlice(0, bytes);
    }

    /** Kernels run on host memory as it is: nothing to copy. */
    @Override
    protected Optional<MemorySegment> adopt(MemorySegment host) {
        return Optional.of(host);
    }

    @Override
    protected void upload(MemorySegment buffer, MemorySegment host) {
        buffer.copyFrom(host);
    }

    @Override
    protected void poison(MemorySegment buffer, long bytes) {
        buffer.fill(POISON);
    }

    @Override
    protected void download(MemorySegment buffer, MemorySegment host, Buffer output) {
        host.copyFrom(buffer);
    }

    @Override
    protected Launch prepare(int index, LoopKernel kernel, BufferPlan plan, Map<String, MemorySegment> storage,
            Map<String, Long> dims) {
        JvmKernel k = compiled.code.kernels().get(index);
        List<LoopParam.BufferParam> params = k.bufferParams();
        MemorySegment[] segs = new MemorySegment[params.size()];
        for (int i = 0; i < segs.length; i++) {
            segs[i] = storageOf(kernel, params.get(i), plan, storage);
        }
        // ShapeBinder has checked that every dim parameter is bound and fits an int.
        int[] ds = k.dimParams().stream().mapToInt(d -> Math.toIntExact(dims.get(d.name()))).toArray();
        return new Launch(kernel.name(), k, segs, ds, LaunchGeometry.global(kernel, dims));
    }

    @Override
    protected long launchAll(LoopProgram p, List<Launch> launches) {
        long t0 = System.nanoTime();
        for (Launch l : launches) {
            try {
                l.kernel().launch(l.buffers(), l.dims(), l.global(), pool);
            } catch (IndexOutOfBoundsException e) {
                // Memory segments check every access; on a GPU this would have been a silent corruption.
                throw new IllegalStateException("kernel '" + l.name() + "' of '" + p.name()
                        + "' accessed memory out of bounds: " + e.getMessage(), e);
            }
        }
        return System.nanoTime() - t0;
    }


    @Override
    public void close() {
        closeArena();
    }
}
