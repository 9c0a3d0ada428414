package dev.tessera.api;

import dev.tessera.ir.CompileException;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;
import dev.tessera.runtime.cache.CacheLocation;
import dev.tessera.runtime.cache.KernelCache;
import dev.tessera.runtime.jit.CompiledSource;
import dev.tessera.runtime.jit.DeviceIdentity;
import dev.tessera.runtime.jit.Jit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The entry point of Tessera's Java API: a runtime that compiles kernel sources, owns the devices, the native
 * memory of every {@link Tensor} it makes and the threads of asynchronous runs.
 *
 * <pre>{@code
 * try (Tessera t = Tessera.create()) {
 *     Kernel softmax = t.load(Path.of("softmax.tsr")).kernel("softmax");
 *     Tensor x = t.tensor(DType.F32, 2, 3).copyFrom(new float[] {1, 2, 3, 4, 5, 6});
 *     float[] y = softmax.runOne(x).toFloatArray();
 * }
 * }</pre>
 *
 * Where a kernel runs, unless {@link Options#device} or {@link Kernel#on} names a device, is decided by
 * {@link dev.tessera.runtime.jit.DevicePolicy}: the fastest device in the tuning cache, else the first OpenCL
 * device, else the reference interpreter. Safe to use from several threads; {@link #close()} waits for runs in
 * progress, then frees everything.
 */
public final class Tessera implements AutoCloseable {

    /**
     * How to create a runtime.
     *
     * @param device {@code auto} (the policy decides), {@code reference}, a device kind ({@code opencl}: the
     *     first of that kind) or a device id ({@code opencl:0:0}, see {@link Tessera#devices()})
     * @param cacheDir the persistent cache's root; empty: {@code $TESSERA_CACHE} or {@code ~/.cache/tessera}
     * @param useCache false to keep compiled variants in memory only (tuning results are then never seen)
     * @param warnings receives one line per problem worth telling (e.g. a corrupt cache entry ignored)
     */
    public record Options(String device, Optional<Path> cacheDir, boolean useCache, Consumer<String> warnings) {

        public static Options defaults() {
            return new Options("auto", Optional.empty(), true, System.err::println);
        }

        public Options withDevice(String d) {
            return new Options(d, cacheDir, useCache, warnings);
        }

        public Options withCacheDir(Path dir) {
            return new Options(device, Optional.of(dir), true, warnings);
        }

        public Options withoutCache() {
            return new Options(device, cacheDir, false, warnings);
        }

        public Options withWarnings(Consumer<String> w) {
            return new Options(device, cacheDir, useCache, w);
        }
    }

    private final Options options;
    private final Devices devices;
    private final Jit jit;
    private final ExecutorService executor;
    private final Set<Tensor> tensors = ConcurrentHashMap.newKeySet();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private Where defaultWhere = new Where.Auto();

    private Tessera(Options options, Devices devices, Jit jit) {
        this.options = options;
        this.devices = devices;
        this.jit = jit;
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.executor = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("tessera-run-", 0)
                .factory());
    }

    /** A runtime with {@link Options#defaults()}. */
    public static Tessera create() {
        return create(Options.defaults());
    }

    /**
     * @throws IllegalArgumentException when {@code options.device()} names no device present
     */
    public static Tessera create(Options options) {
        // The reference needs no driver: skip discovery, which loads native libraries.
        Devices found = options.device().equals("reference") ? null : Devices.discover(options.warnings());
        Optional<KernelCache> cache = options.useCache()
                ? Optional.of(new KernelCache(options.cacheDir().orElseGet(CacheLocation::defaultRoot), options.warnings()))
                : Optional.empty();
        Tessera t = new Tessera(options, found, new Jit(cache, options.warnings()));
        try {
            t.defaultWhere = t.resolveDevice(options.device());
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Compiles the kernels of a {@code .tsr} file. @throws TesseraException when it cannot be read or compiled */
    public Kernels load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TesseraException("cannot read '" + file + "': " + e, e);
        }
        return compile(file.toString(), text);
    }

    /** Compiles DSL source text; {@code name} is what diagnostics call the file. @throws TesseraException */
    public Kernels compile(String name, String source) {
        checkOpen();
        try {
            return new Kernels(this, CompiledSource.compile(name, source), source);
        } catch (CompileException e) {
            throw TesseraException.of(e, source);
        }
    }

    /** A new tensor of the given dtype and shape; its elements are unspecified until written. */
    public Tensor tensor(DType dtype, long... shape) {
        enter();
        try {
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative extent in shape " + java.util.Arrays.toString(shape));
                }
            }
            Tensor t = new Tensor(this, dtype, shape);
            tensors.add(t);
            return t;
        } finally {
            exit();
        }
    }

    /** The ids of the devices present, then {@code reference}. */
    public List<String> devices() {
        checkOpen();
        List<String> ids = new ArrayList<>();
        if (devices != null) {
            devices.all().forEach(d -> ids.add(d.id()));
        }
        ids.add("reference");
        return ids;
    }

    public Options options() {
        return options;
    }

    /** Where a kernel is to run, as the user said it. */
    sealed interface Where {
        /** The {@link dev.tessera.runtime.jit.DevicePolicy} decides. */
        record Auto() implements Where {}

        /** The graph-IR reference interpreter. */
        record Reference() implements Where {}

        record On(Device device) implements Where {}
    }

    /**
     * What a device spec names.
     *
     * @throws IllegalArgumentException naming the devices present when it names none of them
     */
    Where resolveDevice(String spec) {
        if (spec.equals("auto")) {
            return new Where.Auto();
        }
        if (spec.equals("reference")) {
            return new Where.Reference();
        }
        List<Device> all = presentDevices();
        for (Device d : all) {
            if (d.id().equals(spec)) {
                return new Where.On(d);
            }
        }
        if (!spec.contains(":")) {
            for (Device d : all) {
                if (DeviceIdentity.kindOf(d.id()).equals(spec)) {
                    return new Where.On(d);
                }
            }
        }
        String why = devices != null && devices.openCl().isEmpty() ? " (" + devices.openClUnavailable().orElse("") + ")"
                : "";
        throw new IllegalArgumentException("no device '" + spec + "'; present: " + String.join(", ", devices()) + why);
    }

    Where defaultWhere() {
        return defaultWhere;
    }

    Jit jit() {
        return jit;
    }

    List<Device> presentDevices() {
        return devices == null ? List.of() : devices.all();
    }

    ExecutorService executor() {
        return executor;
    }

    /** Holds off {@link #close()} while a call uses the runtime. @throws IllegalStateException when closed */
    void enter() {
        if (!lifecycle.readLock().tryLock()) {
            throw closedError();
        }
        if (closed) {
            lifecycle.readLock().unlock();
            throw closedError();
        }
    }

    void exit() {
        lifecycle.readLock().unlock();
    }

    void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    Tensor adopt(Tensor t) {
        tensors.add(t);
        return t;
    }

    void forget(Tensor t) {
        tensors.remove(t);
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("this Tessera runtime is closed");
    }

    /**
     * Waits for runs in progress, then frees every tensor's native memory, forgets compiled kernels and closes
     * the devices. Asynchronous runs not yet started fail with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Tensor t : tensors) {
                t.free();
            }
            tensors.clear();
            jit.close();
            if (devices != null) {
                devices.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
