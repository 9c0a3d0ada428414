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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The run of a loop program that every native backend shares: binds dims, allocates device memory per storage
 * (views share their storage's; a device that computes in host memory adopts the caller's instead), uploads
 * inputs, poisons outputs and temps, launches every kernel in order per repeat and decodes the outputs; the
 * subclass supplies the API's memory, argument and launch calls. {@link #runStored} does the same from and into
 * memory already in storage form, without converting or poisoning.
 *
 * @param <B> the API's device buffer
 * @param <L> one kernel's prepared launch
 */
public abstract class DeviceRun<B, L> {

    /** Every byte 0xFF: NaN in every float format, -1 as i32, and not a valid bool byte. */
    protected static final byte POISON = (byte) 0xFF;

    private final Supplier<Arena> newArena;
    private Arena arena;

    /** A run whose host memory only the calling thread touches. */
    protected DeviceRun() {
        this(Arena::ofConfined);
    }

    /**
     * A run whose host memory comes from an arena that {@code newArena} makes when it is first needed: closing a
     * shared arena costs a handshake with every thread (tens of microseconds), which a run from and into memory
     * the caller owns need not pay.
     */
    protected DeviceRun(Supplier<Arena> newArena) {
        this.newArena = newArena;
    }

    /** Host memory for the run: the encoded inputs and the outputs read back. */
    protected final Arena arena() {
        if (arena == null) {
            arena = newArena.get();
        }
        return arena;
    }

    /** Frees the run's host memory, if it took any. */
    protected final void closeArena() {
        if (arena != null) {
            arena.close();
        }
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

    /**
     * Device memory that is the host segment itself, for a device that computes in host memory (the JVM): then
     * inputs are not copied in nor outputs out. Empty (the default) where device memory is separate.
     */
    protected Optional<B> adopt(MemorySegment host) {
        return Optional.empty();
    }

    /** {@link Device#run}: encodes the inputs, poisons outputs and temps before each repeat, decodes the outputs. */
    protected final Execution run(LoopProgram p, List<HostTensor> inputs, int repeat) {
        Map<String, Long> dims = ShapeBinder.bind(p, inputs);
        List<StoredTensor> stored = new ArrayList<>(inputs.size());
        for (HostTensor t : inputs) {
            stored.add(new StoredTensor(t.dtype(), t.shape(), StorageCodec.encode(arena(), t)));
        }
        List<MemorySegment> results = new ArrayList<>();
        for (Buffer b : p.buffers().outputs()) {
            long n = bytesOf(b, dims);
            results.add(arena().allocate(Math.max(1, n), 8).asSlice(0, n));
        }
        List<Long> times = launch(p, dims, stored, results, repeat, true);
        List<HostTensor> outputs = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Buffer b = p.buffers().outputs().get(i);
            outputs.add(StorageCodec.decode(b.type().dtype(), ShapeBinder.shapeOf(b, dims), results.get(i)));
        }
        return new Execution(outputs, dims, times);
    }

    /** {@link Device#runStored}: one launch of every kernel, from and into native memory as it is. */
    protected final void runStored(LoopProgram p, List<StoredTensor> inputs, List<MemorySegment> outputs) {
        Map<String, Long> dims = ShapeBinder.bind(p, inputs.stream().map(StoredTensor::dtype).toList(),
                inputs.stream().map(StoredTensor::shape).toList());
        List<Buffer> declared = p.buffers().outputs();
        if (outputs.size() != declared.size()) {
            throw new IllegalArgumentException("'" + p.name() + "' has " + declared.size() + " outputs, but "
                    + outputs.size() + " segments were given for them");
        }
        for (int i = 0; i < declared.size(); i++) {
            long n = bytesOf(declared.get(i), dims);
            if (outputs.get(i).byteSize() != n) {
                Buffer b = declared.get(i);
                throw new IllegalArgumentException("output " + (i + 1) + " of '" + p.name() + "' is "
                        + b.type().dtype().irName() + Arrays.toString(ShapeBinder.shapeOf(b, dims)) + ", " + n
                        + " bytes, but the segment given for it has " + outputs.get(i).byteSize());
            }
        }
        launch(p, dims, inputs, outputs, 1, false);
    }

    /** Binds storage, launches every kernel {@code repeat} times and leaves the outputs in {@code results}. */
    private List<Long> launch(LoopProgram p, Map<String, Long> dims, List<StoredTensor> inputs,
            List<MemorySegment> results, int repeat, boolean poisonFirst) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
        }
        BufferPlan plan = p.buffers();
        // A program that stores into an input would change the caller's tensor, and see its own output on the
        // next repeat: such inputs are copied, and uploaded again before each repeat.
        boolean writesInputs = writesAny(p, plan, plan.inputs().stream().map(Buffer::name).collect(Collectors.toSet()));

        Map<String, B> storage = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        Map<String, MemorySegment> uploads = new LinkedHashMap<>();
        for (int i = 0; i < plan.inputs().size(); i++) {
            MemorySegment host = inputs.get(i).data();
            String name = plan.inputs().get(i).name();
            Optional<B> direct = writesInputs ? Optional.empty() : adopt(host);
            storage.put(name, direct.orElseGet(() -> alloc(host.byteSize())));
            bytes.put(name, host.byteSize());
            if (direct.isEmpty()) {
                uploads.put(name, host);
            }
        }
        Map<String, MemorySegment> downloads = new LinkedHashMap<>();
        for (int i = 0; i < plan.outputs().size(); i++) {
            Buffer b = plan.outputs().get(i);
            MemorySegment host = results.get(i);
            Optional<B> direct = adopt(host);
            storage.put(b.name(), direct.orElseGet(() -> alloc(host.byteSize())));
            bytes.put(b.name(), host.byteSize());
            if (direct.isEmpty()) {
                downloads.put(b.name(), host);
            }
        }
        for (Buffer b : plan.temps()) {
            long n = bytesOf(b, dims);
            storage.put(b.name(), alloc(n));
            bytes.put(b.name(), n);
        }
        List<Buffer> poisoned = new ArrayList<>(plan.outputs());
        poisoned.addAll(plan.temps());
        for (BufferPlan.View v : plan.views()) {
            Buffer of = plan.find(plan.storageOf(v.of())).orElseThrow(() -> new IllegalArgumentException(
                    "view '" + v.buffer().name() + "' of '" + p.name() + "' names no buffer '" + v.of() + "'"));
            long viewBytes = bytesOf(v.buffer(), dims);
            long ofBytes = bytesOf(of, dims);
            if (viewBytes != ofBytes) {
                throw new IllegalArgumentException("view '" + v.buffer().name() + "' (" + viewBytes + " bytes) of '"
                        + of.name() + "' (" + ofBytes + " bytes) of '" + p.name() + "' differs in size");
            }
        }

        List<L> launches = new ArrayList<>();
        for (int k = 0; k < p.kernels().size(); k++) {
            launches.add(prepare(k, p.kernels().get(k), plan, storage, dims));
        }
        List<Long> times = new ArrayList<>(repeat);
        for (int r = 0; r < repeat; r++) {
            if (r == 0 || writesInputs) {
                uploads.forEach((name, host) -> upload(storage.get(name), host));
            }
            if (poisonFirst) {
                // Before every repeat, so the outputs read after the last one show exactly what it wrote.
                for (Buffer b : poisoned) {
                    poison(storage.get(b.name()), bytes.get(b.name()));
                }
            }
            times.add(launchAll(p, launches));
        }
        for (Buffer b : plan.outputs()) {
            MemorySegment host = downloads.get(b.name());
            if (host != null) {
                download(storage.get(b.name()), host, b);
            }
        }
        return times;
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
