package dev.tessera.runtime.jvm;

import dev.tessera.codegen.jvm.JvmKernel;
import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.Execution;
import dev.tessera.runtime.LaunchGeometry;
import dev.tessera.runtime.ShapeBinder;
import dev.tessera.runtime.StorageCodec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * One {@link JvmDevice#run}: binds dims, puts every storage in off-heap memory of a shared arena (the pool's
 * threads read and write it; views share their storage's segment), poisons outputs and temps with 0xFF bytes
 * before every repeat as the OpenCL device does, launches the kernels in order and decodes the outputs.
 */
final class JvmProgramRun {

    /** Every byte 0xFF: NaN in every float format, -1 as i32, and not a valid bool byte. */
    private static final byte POISON = (byte) 0xFF;

    private JvmProgramRun() {}

    static Execution run(JvmCompiled compiled, List<HostTensor> inputs, int repeat, ForkJoinPool pool) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
        }
        LoopProgram p = compiled.program();
        BufferPlan plan = p.buffers();
        Map<String, Long> dims = ShapeBinder.bind(p, inputs);
        try (Arena arena = Arena.ofShared()) {
            Map<String, MemorySegment> storage = new HashMap<>();
            List<MemorySegment> inputData = new ArrayList<>();
            for (int i = 0; i < plan.inputs().size(); i++) {
                MemorySegment host = StorageCodec.encode(arena, inputs.get(i));
                inputData.add(host);
                storage.put(plan.inputs().get(i).name(), allocate(arena, host.byteSize()));
            }
            List<Buffer> poisoned = new ArrayList<>(plan.outputs());
            poisoned.addAll(plan.temps());
            for (Buffer b : poisoned) {
                storage.put(b.name(), allocate(arena, bytesOf(b, dims)));
            }
            checkViews(p, plan, dims);
            List<Launch> launches = new ArrayList<>();
            for (JvmKernel k : compiled.code.kernels()) {
                launches.add(launch(p, plan, k, storage, dims));
            }
            List<Long> times = new ArrayList<>(repeat);
            for (int r = 0; r < repeat; r++) {
                // Fresh inputs every time: cheap next to a kernel, and a program can never see its own output.
                for (int i = 0; i < inputData.size(); i++) {
                    storage.get(plan.inputs().get(i).name()).copyFrom(inputData.get(i));
                }
                for (Buffer b : poisoned) {
                    storage.get(b.name()).fill(POISON);
                }
                long t0 = System.nanoTime();
                for (Launch l : launches) {
                    l.run(pool);
                }
                times.add(System.nanoTime() - t0);
            }
            List<HostTensor> outputs = new ArrayList<>();
            for (Buffer b : plan.outputs()) {
                outputs.add(StorageCodec.decode(b.type().dtype(), ShapeBinder.shapeOf(b, dims), storage.get(b.name())));
            }
            return new Execution(outputs, dims, times);
        }
    }

    /** One kernel's arguments, resolved once for every repeat. */
    private record Launch(String where, JvmKernel kernel, MemorySegment[] buffers, int[] dims, long[] global) {
        void run(ForkJoinPool pool) {
            try {
                kernel.launch(buffers, dims, global, pool);
            } catch (IndexOutOfBoundsException e) {
                // Memory segments check every access; on a GPU this would have been a silent corruption.
                throw new IllegalStateException(where + " accessed memory out of bounds: " + e.getMessage(), e);
            }
        }
    }

    private static Launch launch(LoopProgram p, BufferPlan plan, JvmKernel k, Map<String, MemorySegment> storage,
            Map<String, Long> dims) {
        String where = "kernel '" + k.kernel().name() + "' of '" + p.name() + "'";
        List<LoopParam.BufferParam> params = k.bufferParams();
        MemorySegment[] segs = new MemorySegment[params.size()];
        for (int i = 0; i < segs.length; i++) {
            LoopParam.BufferParam b = params.get(i);
            segs[i] = storage.get(plan.storageOf(b.name()));
            if (segs[i] == null) {
                throw new IllegalArgumentException(where + " takes buffer '" + b.name()
                        + "', which the program's buffer plan does not have");
            }
            plan.find(b.name()).filter(decl -> decl.type().dtype() != b.elem()).ifPresent(decl -> {
                throw new IllegalArgumentException(where + " takes buffer '" + b.name() + "' as " + b.elem()
                        + " but the buffer plan declares it " + decl.type());
            });
        }
        // ShapeBinder has checked that every dim parameter is bound and fits an int.
        int[] ds = k.dimParams().stream().mapToInt(d -> Math.toIntExact(dims.get(d.name()))).toArray();
        return new Launch(where, k, segs, ds, LaunchGeometry.global(k.kernel(), dims));
    }

    private static void checkViews(LoopProgram p, BufferPlan plan, Map<String, Long> dims) {
        for (BufferPlan.View v : plan.views()) {
            Buffer of = plan.find(plan.storageOf(v.of())).orElseThrow(() -> new IllegalArgumentException(
                    "view '" + v.buffer().name() + "' of '" + p.name() + "' names no buffer '" + v.of() + "'"));
            if (bytesOf(v.buffer(), dims) != bytesOf(of, dims)) {
                throw new IllegalArgumentException("view '" + v.buffer().name() + "' (" + bytesOf(v.buffer(), dims)
                        + " bytes) of '" + of.name() + "' (" + bytesOf(of, dims) + " bytes) differs in size");
            }
        }
    }

    private static long bytesOf(Buffer b, Map<String, Long> dims) {
        return StorageCodec.byteSize(b.type().dtype(), b.type().shape().elementCount(dims));
    }

    private static MemorySegment allocate(Arena arena, long bytes) {
        return arena.allocate(Math.max(1, bytes), 64).asSlice(0, bytes);
    }
}
