package dev.tessera.testsuite;

import dev.tessera.codegen.ptx.PtxArch;
import dev.tessera.codegen.ptx.PtxEmitter;
import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ptxsim.DeviceMemory;
import dev.tessera.ptxsim.PtxModule;
import dev.tessera.runtime.DeviceRun;
import dev.tessera.runtime.LaunchGeometry;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A program run the way the CUDA device runs it ({@link DeviceRun}: the same binding, allocation, poisoning and
 * decoding), with the {@code ptx-sim} interpreter standing in for the GPU; device times are the simulator's wall
 * times.
 */
final class PtxSimRun extends DeviceRun<Long, PtxSimRun.Launch> implements AutoCloseable {

    /** One kernel's launch: its entry, blocks and threads per dimension, and its argument values. */
    record Launch(String entry, int[] grid, int[] block, List<Object> args) {}

    private final PtxModule module;
    private final DeviceMemory mem = new DeviceMemory();

    private PtxSimRun(LoopProgram p) {
        this.module = PtxModule.parse(PtxEmitter.emit(p, PtxArch.SM_80));
    }

    /** Emits {@code p} as PTX for sm_80, runs it once on the interpreter and returns its outputs. */
    static List<HostTensor> run(LoopProgram p, List<HostTensor> inputs) {
        try (PtxSimRun r = new PtxSimRun(p)) {
            return r.run(p, inputs, 1).outputs();
        }
    }

    @Override
    protected Long alloc(long bytes) {
        // The simulator, like cuMemAlloc, has no empty allocations; an empty tensor still needs a pointer.
        return mem.alloc(Math.max(1, bytes));
    }

    @Override
    protected void upload(Long buffer, MemorySegment host) {
        if (host.byteSize() > 0) {
            mem.write(buffer, host.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Override
    protected void poison(Long buffer, long bytes) {
        byte[] poison = new byte[Math.toIntExact(bytes)];
        Arrays.fill(poison, POISON);
        mem.write(buffer, poison);
    }

    @Override
    protected void download(Long buffer, MemorySegment host, Buffer output) {
        if (host.byteSize() > 0) {
            MemorySegment.copy(MemorySegment.ofArray(mem.read(buffer, Math.toIntExact(host.byteSize()))), 0, host, 0,
                    host.byteSize());
        }
    }


    @Override
    protected Launch prepare(int index, LoopKernel kernel, BufferPlan plan, Map<String, Long> storage,
            Map<String, Long> dims) {
        long[] global = LaunchGeometry.global(kernel, dims);
        long[] local = LaunchGeometry.local(kernel);
        int[] grid = {1, 1, 1};
        int[] block = {1, 1, 1};
        for (int d = 0; d < global.length; d++) {
            block[d] = (int) local[d];
            grid[d] = Math.toIntExact(global[d] / local[d]);
        }
        List<Object> args = new ArrayList<>();
        for (LoopParam param : kernel.params()) {
            switch (param) {
                case LoopParam.BufferParam b -> args.add(storageOf(kernel, b, plan, storage));
                // ShapeBinder has checked that every dim parameter is bound and fits an int.
                case LoopParam.DimParam d -> args.add(Math.toIntExact(dims.get(d.name())));
            }
        }
        return new Launch(PtxEmitter.kernelSymbol(kernel), grid, block, args);
    }

    @Override
    protected long launchAll(LoopProgram p, List<Launch> launches) {
        long t0 = System.nanoTime();
        for (Launch l : launches) {
            // A grid with no blocks has nothing to do, and CUDA rejects it.
            if (l.grid()[0] * (long) l.grid()[1] * l.grid()[2] > 0) {
                module.launch(l.entry(), l.grid(), l.block(), l.args(), mem);
            }
        }
        return System.nanoTime() - t0;
    }

    @Override
    public void close() {
        closeArena();
    }
}
