package dev.tessera.runtime.jit;

import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopParser;
import dev.tessera.ir.loop.LoopPrinter;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.loop.LoopVerifier;
import dev.tessera.runtime.BinaryRejectedException;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.cache.CacheEntry;
import dev.tessera.runtime.cache.CacheKey;
import dev.tessera.runtime.cache.KernelCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The just-in-time side of the runtime: picks a device and variant for a kernel request
 * ({@link DevicePolicy}), builds the variant for the device once per process however many threads ask, keeps
 * artefacts (loop IR, device code and, where the device gives one, its binary) and tuning results in the
 * persistent {@link KernelCache}, and tunes on request. Does not own the
 * devices; {@link #close()} forgets the programs compiled on them.
 */
public final class Jit implements AutoCloseable {

    /** Where a prepared program came from. */
    public enum Origin {
        /** Lowered and compiled in this process: the cache had no usable artefact. */
        BUILT,
        /** The loop IR came from the cache and the device compiled it (it gives no binary, or the one kept failed). */
        CACHED_SOURCE,
        /** The loop IR and the device's binary came from the cache: the device's compiler did not run. */
        CACHED_BINARY
    }

    /** A variant compiled for a device, ready to run, and where it came from. */
    public record Prepared(Device device, Variant variant, CompiledProgram program, Origin origin) {

        /** Whether the artefact was a cache hit, binary or not. */
        public boolean fromCache() {
            return origin != Origin.BUILT;
        }

        /** Whether the device loaded the cached binary instead of compiling. */
        public boolean binaryFromCache() {
            return origin == Origin.CACHED_BINARY;
        }
    }

    private final Optional<KernelCache> cache;
    private final Consumer<String> warnings;
    private final OnceMap<String, Prepared> prepared = new OnceMap<>();
    private final Map<String, Optional<TuningResult>> tuned = new ConcurrentHashMap<>();

    /**
     * @param cache the persistent cache, or empty to keep everything in memory
     * @param warnings receives one line per problem worth telling (an ignored cache entry)
     */
    public Jit(Optional<KernelCache> cache, Consumer<String> warnings) {
        this.cache = cache;
        this.warnings = warnings;
    }

    public Optional<KernelCache> cache() {
        return cache;
    }

    /** The cached tuning result of {@code r} (by shape bucket) on {@code d}, if one exists and reads back. */
    public Optional<TuningResult> tuned(KernelRequest r, Device d) {
        DeviceIdentity id = DeviceIdentity.of(d);
        CacheKey key = CacheKeys.tuning(r, id);
        return tuned.computeIfAbsent(key.sha256(), k -> cache.flatMap(c -> c.read(key)).flatMap(e -> {
            try {
                return Optional.of(TuningResult.fromPayload(r, id, e.payload()));
            } catch (RuntimeException bad) {
                warnings.accept("tessera: warning: ignoring tuning entry " + e.file() + ": " + bad.getMessage());
                return Optional.empty();
            }
        }));
    }

    /** Where and how to run {@code r} when the user did not name a device. */
    public Choice choose(CompiledSource src, KernelRequest r, List<Device> devices) {
        return DevicePolicy.choose(devices, d -> tuned(r, d),
                d -> Variants.defaults(src.tileProgram(r.kernel()), d.scheduleProfile()));
    }

    /** How to run {@code r} on the device the user named. */
    public Choice chooseOn(CompiledSource src, KernelRequest r, Device d) {
        return DevicePolicy.onDevice(d, tuned(r, d), Variants.defaults(src.tileProgram(r.kernel()), d.scheduleProfile()));
    }

    /**
     * The variant lowered and compiled for the device: from the cached artefact when there is a valid one
     * (loading the device's binary from it when the device can, so that its compiler does not run), else built
     * and cached. Concurrent calls with one key build once.
     */
    public Prepared prepare(CompiledSource src, KernelRequest r, Device d, Variant v) {
        CacheKey key = CacheKeys.artefact(r, DeviceIdentity.of(d), v);
        return prepared.get(key.sha256(), () -> build(src, r, d, v, key));
    }

    private Prepared build(CompiledSource src, KernelRequest r, Device d, Variant v, CacheKey key) {
        Optional<CacheEntry> entry = cache.flatMap(c -> c.read(key));
        Optional<LoopProgram> cached = entry.flatMap(this::loopOf);
        if (cached.isPresent()) {
            return fromEntry(entry.get(), src, d, v, key, cached.get());
        }
        LoopProgram loop = Variants.lower(src.tileProgram(r.kernel()), v);
        CompiledProgram compiled = d.compile(loop);
        cache.ifPresent(c -> c.write(key, payload(src, v, compiled, exportBinary(d, compiled))));
        return new Prepared(d, v, compiled, Origin.BUILT);
    }

    /**
     * A hit: the device loads the entry's binary when it has a good one; otherwise the device compiles the
     * cached loop IR, and the entry is rewritten when its binary was bad or the device now gives one.
     */
    private Prepared fromEntry(CacheEntry e, CompiledSource src, Device d, Variant v, CacheKey key,
            LoopProgram loop) {
        String problem = null;
        try {
            Optional<byte[]> binary = BinaryPayload.get(e.payload());
            if (binary.isPresent()) {
                return new Prepared(d, v, d.loadBinary(loop, binary.get()), Origin.CACHED_BINARY);
            }
        } catch (BinaryPayload.Damaged bad) {
            problem = bad.getMessage();
        } catch (BinaryRejectedException rejected) {
            problem = "the device rejected its binary (" + rejected.getMessage().lines().findFirst().orElse("") + ")";
        }
        CompiledProgram compiled = d.compile(loop);
        Optional<byte[]> fresh = exportBinary(d, compiled);
        if (problem != null || fresh.isPresent()) {
            warnings.accept("tessera: warning: cache entry " + e.file() + ": "
                    + (problem != null ? problem : "it has no device binary") + "; compiled from source"
                    + (fresh.isPresent() ? ", and the entry is rewritten with the new binary"
                            : ", and the entry is rewritten without a binary"));
            cache.ifPresent(c -> c.write(key, payload(src, v, compiled, fresh)));
        }
        return new Prepared(d, v, compiled, Origin.CACHED_SOURCE);
    }

    private static Map<String, String> payload(CompiledSource src, Variant v, CompiledProgram compiled,
            Optional<byte[]> binary) {
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("source-name", src.name());
        payload.put("variant", v.text());
        payload.put("loop", LoopPrinter.print(compiled.program()));
        payload.put("code", compiled.source());
        binary.ifPresent(b -> BinaryPayload.put(payload, b));
        return payload;
    }

    /**
     * The device's binary of {@code compiled} for the cache, when the device gives one of a size worth keeping; a
     * failure costs only the binary, with a warning.
     */
    private Optional<byte[]> exportBinary(Device d, CompiledProgram compiled) {
        try {
            return d.exportBinary(compiled).filter(b -> {
                if (b.length > BinaryPayload.MAX_BYTES) {
                    warnings.accept("tessera: warning: not caching the " + b.length + "-byte binary of "
                            + compiled.program().name() + " on " + d.id() + " (more than " + BinaryPayload.MAX_BYTES
                            + "); later runs compile it from source");
                    return false;
                }
                return true;
            });
        } catch (RuntimeException bad) {
            warnings.accept("tessera: warning: cannot read the binary of " + compiled.program().name() + " on "
                    + d.id() + " (" + bad.getMessage() + "); later runs compile it from source");
            return Optional.empty();
        }
    }

    /** The loop program of an artefact entry; a payload that does not parse or verify is ignored with a warning. */
    private Optional<LoopProgram> loopOf(CacheEntry e) {
        try {
            LoopProgram p = LoopParser.parseProgram(e.file().toString(), e.get("loop"));
            List<Diagnostic> errors = LoopVerifier.verify(p).stream()
                    .filter(x -> x.severity() == Diagnostic.Severity.ERROR).toList();
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(errors.getFirst().message());
            }
            return Optional.of(p);
        } catch (RuntimeException bad) {
            warnings.accept("tessera: warning: ignoring cache entry " + e.file() + ": its loop IR does not load ("
                    + bad.getMessage().lines().findFirst().orElse("") + "); it will be rebuilt");
            return Optional.empty();
        }
    }

    /**
     * Tunes {@code r} on {@code d} with the given inputs and the reference's outputs for them, and caches the
     * result when some variant was valid (a result without one is returned but never cached).
     */
    public TuningResult tune(CompiledSource src, KernelRequest r, Device d, Tuner tuner, List<HostTensor> inputs,
            List<HostTensor> expected) {
        TuningResult result = tuner.tune(new Tuner.Task(src.tileProgram(r.kernel()), r, d, inputs, expected));
        if (result.winner().isPresent()) {
            CacheKey key = CacheKeys.tuning(r, result.device());
            Map<String, String> payload = new LinkedHashMap<>();
            payload.put("source-name", src.name());
            payload.putAll(result.toPayload());
            cache.ifPresent(c -> c.write(key, payload));
            tuned.put(key.sha256(), Optional.of(result));
        }
        return result;
    }

    /**
     * Random inputs for a kernel at the given dims, never zero (see {@link HostTensor#random}); the same seed
     * gives the same tensors as {@code tessera run --seed}.
     */
    public static List<HostTensor> randomInputs(GraphKernel k, Map<String, Long> dims, long seed) {
        List<HostTensor> inputs = new ArrayList<>();
        for (int i = 0; i < k.params().size(); i++) {
            Value p = k.params().get(i);
            inputs.add(HostTensor.random(p.type().dtype(), p.type().shape().extents(dims), seed * 1_000_003L + i));
        }
        return inputs;
    }

    @Override
    public void close() {
        prepared.clear();
        tuned.clear();
    }
}
