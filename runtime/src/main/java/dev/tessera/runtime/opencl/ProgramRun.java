package dev.tessera.runtime.opencl;

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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One {@link OpenClDevice#run}: binds dims, allocates a device buffer per storage (views share their
 * storage's), uploads inputs, poisons outputs and temps, launches every kernel in order per repeat and
 * reads the outputs back. Everything it allocates is released when it returns.
 */
final class ProgramRun implements AutoCloseable {

    /** Every byte 0xFF: NaN in every float format, -1 as i32, and not a valid bool byte. */
    private static final byte POISON = (byte) 0xFF;

    private final ClContext context;
    private final ClQueue queue;
    private final OpenClCompiled compiled;
    private final Arena arena = Arena.ofConfined();
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    ProgramRun(ClContext context, ClQueue queue, OpenClCompiled compiled) {
        this.context = context;
        this.queue = queue;
        this.compiled = compiled;
    }

    Execution run(List<HostTensor> inputs, int repeat) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
        }
        LoopProgram p = compiled.program();
        BufferPlan plan = p.buffers();
        Map<String, Long> dims = ShapeBinder.bind(p, inputs);

        Map<String, ClBuffer> storage = new LinkedHashMap<>();
        List<MemorySegment> inputData = new ArrayList<>();
        for (int i = 0; i < plan.inputs().size(); i++) {
            MemorySegment host = StorageCodec.encode(arena, inputs.get(i));
            inputData.add(host);
            storage.put(plan.inputs().get(i).name(), own(context.createBuffer(host.byteSize())));
        }
        List<Buffer> poisoned = new ArrayList<>(plan.outputs());
        poisoned.addAll(plan.temps());
        for (Buffer b : poisoned) {
            storage.put(b.name(), own(context.createBuffer(bytesOf(b, dims))));
        }
        for (BufferPlan.View v : plan.views()) {
            Buffer of = plan.find(plan.storageOf(v.of())).orElseThrow(() -> new IllegalArgumentException(
                    "view '" + v.buffer().name() + "' of '" + p.name() + "' names no buffer '" + v.of() + "'"));
            long viewBytes = bytesOf(v.buffer(), dims);
            long ofBytes = bytesOf(of, dims);
            if (viewBytes != ofBytes) {
                throw new IllegalArgumentException("view '" + v.buffer().name() + "' (" + viewBytes + " bytes) of '"
                        + of.name() + "' (" + ofBytes + " bytes) differs in size");
            }
        }

        List<long[]> globals = new ArrayList<>();
        for (int k = 0; k < p.kernels().size(); k++) {
            LoopKernel kernel = p.kernels().get(k);
            bindArgs(kernel, compiled.kernels.get(k), plan, storage, dims);
            globals.add(LaunchGeometry.global(kernel, dims));
        }
        // A program that stores into an input would see its own output on the next repeat; re-upload then.
        boolean writesInputs = writesAny(p, plan, plan.inputs().stream().map(Buffer::name).collect(Collectors.toSet()));

        List<Long> times = new ArrayList<>(repeat);
        for (int r = 0; r < repeat; r++) {
            if (r == 0 || writesInputs) {
                for (int i = 0; i < inputData.size(); i++) {
                    queue.write(storage.get(plan.inputs().get(i).name()), inputData.get(i));
                }
            }
            // Poison before every repeat, so the outputs read after the last one show exactly what it wrote.
            for (Buffer b : poisoned) {
                queue.fill(storage.get(b.name()), POISON);
            }
            times.add(launchAll(p, globals));
        }

        List<HostTensor> outputs = new ArrayList<>();
        for (Buffer b : plan.outputs()) {
            long[] shape = ShapeBinder.shapeOf(b, dims);
            ClBuffer dev = storage.get(b.name());
            MemorySegment host = arena.allocate(Math.max(1, dev.bytes()), 8).asSlice(0, dev.bytes());
            queue.read(dev, host);
            outputs.add(StorageCodec.decode(b.type().dtype(), shape, host));
        }
        return new Execution(outputs, dims, times);
    }

    private static long bytesOf(Buffer b, Map<String, Long> dims) {
        return StorageCodec.byteSize(b.type().dtype(), b.type().shape().elementCount(dims));
    }

    /** Arguments in parameter order: buffers resolved to their storage, dims as cl_int. */
    private static void bindArgs(LoopKernel kernel, ClKernel ck, BufferPlan plan, Map<String, ClBuffer> storage,
            Map<String, Long> dims) {
        for (int i = 0; i < kernel.params().size(); i++) {
            switch (kernel.params().get(i)) {
                case LoopParam.BufferParam b -> {
                    ClBuffer buf = storage.get(plan.storageOf(b.name()));
                    if (buf == null) {
                        throw new IllegalArgumentException("kernel '" + kernel.name() + "' takes buffer '" + b.name()
                                + "', which the program's buffer plan does not have");
                    }
                    // The kernel would reinterpret the bytes silently; a lowering bug should fail loudly instead.
                    plan.find(b.name()).filter(decl -> decl.type().dtype() != b.elem()).ifPresent(decl -> {
                        throw new IllegalArgumentException("kernel '" + kernel.name() + "' takes buffer '" + b.name()
                                + "' as " + b.elem() + " but the buffer plan declares it " + decl.type());
                    });
                    ck.setArg(i, buf);
                }
                // ShapeBinder has checked that every dim parameter is bound and fits an int.
                case LoopParam.DimParam d -> ck.setArg(i, Math.toIntExact(dims.get(d.name())));
            }
        }
    }

    private static boolean writesAny(LoopProgram p, BufferPlan plan, Set<String> storages) {
        return p.kernels().stream().flatMap(k -> k.params().stream())
                .anyMatch(param -> param instanceof LoopParam.BufferParam b && b.written()
                        && storages.contains(plan.storageOf(b.name())));
    }

    /** Launches every kernel once, in order, and returns the sum of their device times. */
    private long launchAll(LoopProgram p, List<long[]> globals) {
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

    private <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
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
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        arena.close();
        if (failure != null) {
            throw failure;
        }
    }
}
