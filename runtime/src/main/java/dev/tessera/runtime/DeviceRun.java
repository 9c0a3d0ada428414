package dev.tessera.runtime;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The run of a loop program that every native backend shares: binds dims, allocates device memory per storage
 * (views share their storage's), uploads inputs, poisons outputs and temps, launches every kernel in order per
 * repeat and decodes the outputs; the subclass supplies the API's memory, argument and launch calls.
 *
 * @param <B> the API's device buffer
 * @param <L> one kernel's prepared launch
 */
public abstract class DeviceRun<B, L> {

    /** Every byte 0xFF: NaN in every float format, -1 as i32, and not a valid bool byte. */
    protected static final byte POISON = (byte) 0xFF;

    /** Host memory for the run: the encoded inputs and the outputs read back. */
    protected final Arena arena;

    /** A run whose host memory only the calling thread touches. */
    protected DeviceRun() {
        this(Arena.ofConfined());
    }

    protected DeviceRun(Arena arena) {
        this.arena = arena;
    }

    /** Allocates a device buffer of {@code bytes}, freed when the run closes. */
    protected abstract B alloc(long bytes);

    protected abstract void upload(B buffer, MemorySegment host);

    protected abstract void poison(B buffer, long bytes);

    protected abstract void download(B buffer, MemorySegment host, Buffer output);

    /** Binds one kernel's arguments and checks its geometry, once for all repeats. */
    protected abstract L prepare(int index, LoopKernel kernel, BufferPlan plan, Map<String, B> storage,
            Map<String, Long> dims);

    /** Launches every kernel once, in order, and returns the sum of their device times in ns. */
    protected abstract long launchAll(LoopProgram p, List<L> launches);

    /** The message for a view whose size differs from its storage's. */
    protected abstract String viewMismatch(BufferPlan.View v, Buffer of, long viewBytes, long ofBytes);

    protected final Execution run(LoopProgram p, List<HostTensor> inputs, int repeat) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
        }
        BufferPlan plan = p.buffers();
        Map<String, Long> dims = ShapeBinder.bind(p, inputs);

        Map<String, B> storage = new LinkedHashMap<>();
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
            long viewBytes = bytesOf(v.buffer(), dims);
            long ofBytes = bytesOf(of, dims);
            if (viewBytes != ofBytes) {
                throw new IllegalArgumentException(viewMismatch(v, of, viewBytes, ofBytes));
            }
        }

        List<L> launches = new ArrayList<>();
        for (int k = 0; k < p.kernels().size(); k++) {
            launches.add(prepare(k, p.kernels().get(k), plan, storage, dims));
        }
        // A program that stores into an input would see its own output on the next repeat; re-upload then.
        boolean writesInputs = writesAny(p, plan, plan.inputs().stream().map(Buffer::name).collect(Collectors.toSet()));

        List<Long> times = new ArrayList<>(repeat);
        for (int r = 0; r < repeat; r++) {
            if (r == 0 || writesInputs) {
                for (int i = 0; i < inputData.size(); i++) {
                    upload(storage.get(plan.inputs().get(i).name()), inputData.get(i));
                }
            }
            // Poison before every repeat, so the outputs read after the last one show exactly what it wrote.
            for (Buffer b : poisoned) {
                poison(storage.get(b.name()), bytes.get(b.name()));
            }
            times.add(launchAll(p, launches));
        }

        List<HostTensor> outputs = new ArrayList<>();
        for (Buffer b : plan.outputs()) {
            long n = bytes.get(b.name());
            MemorySegment host = arena.allocate(Math.max(1, n), 8).asSlice(0, n);
            download(storage.get(b.name()), host, b);
            outputs.add(StorageCodec.decode(b.type().dtype(), ShapeBinder.shapeOf(b, dims), host));
        }
        return new Execution(outputs, dims, times);
    }

    /** The storage a kernel's buffer parameter binds to, checked against the buffer plan. */
    protected static <B> B storageOf(LoopKernel k, LoopParam.BufferParam b, BufferPlan plan, Map<String, B> storage) {
        B buffer = storage.get(plan.storageOf(b.name()));
        if (buffer == null) {
            throw new IllegalArgumentException("kernel '" + k.name() + "' takes buffer '" + b.name()
                    + "', which the program's buffer plan does not have");
        }
        // The kernel would reinterpret the bytes silently; a lowering bug should fail loudly instead.
        plan.find(b.name()).filter(decl -> decl.type().dtype() != b.elem()).ifPresent(decl -> {
            throw new IllegalArgumentException("kernel '" + k.name() + "' takes buffer '" + b.name()
                    + "' as " + b.elem() + " but the buffer plan declares it " + decl.type());
        });
        return buffer;
    }

    private static long bytesOf(Buffer b, Map<String, Long> dims) {
        return StorageCodec.byteSize(b.type().dtype(), b.type().shape().elementCount(dims));
    }

    private static boolean writesAny(LoopProgram p, BufferPlan plan, Set<String> storages) {
        return p.kernels().stream().flatMap(k -> k.params().stream())
                .anyMatch(param -> param instanceof LoopParam.BufferParam b && b.written()
                        && storages.contains(plan.storageOf(b.name())));
    }
}
