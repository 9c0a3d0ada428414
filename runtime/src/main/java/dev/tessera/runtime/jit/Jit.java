package dev.tessera.runtime.jit;

import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopParser;
import dev.tessera.ir.loop.LoopPrinter;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.loop.LoopVerifier;
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
 * artefacts and tuning results in the persistent {@link KernelCache}, and tunes on request. Does not own the
 * devices; {@link #close()} forgets the programs compiled on them.
 */
public final class Jit implements AutoCloseable {

    /** A variant compiled for a device, ready to run; {@code fromCache} when the artefact was a cache hit. */
    public record Prepared(Device device, Variant variant, CompiledProgram program, boolean fromCache) {}

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
                d -> Variants.defaults(src.tileProgram(r.kernel()), d.workItems()));
    }

    /** How to run {@code r} on the device the user named. */
    public Choice chooseOn(CompiledSource src, KernelRequest r, Device d) {
        return DevicePolicy.onDevice(d, tuned(r, d), Variants.defaults(src.tileProgram(r.kernel()), d.workItems()));
    }

    /**
     * The variant lowered and compiled for the device: from the cached artefact when there is a valid one,
     * else built and cached. Concurrent calls with one key build once.
     */
    public Prepared prepare(CompiledSource src, KernelRequest r, Device d, Variant v) {
        CacheKey key = CacheKeys.artefact(r, DeviceIdentity.of(d), v);
        return prepared.get(key.sha256(), () -> build(src, r, d, v, key));
    }

    private Prepared build(CompiledSource src, KernelRequest r, Device d, Variant v, CacheKey key) {
        LoopProgram loop = cache.flatMap(c -> c.read(key)).flatMap(this::loopOf).orElse(null);
        boolean hit = loop != null;
        if (!hit) {
            loop = Variants.lower(src.tileProgram(r.kernel()), v);
        }
        CompiledProgram compiled = d.compile(loop);
        if (!hit) {
            LoopProgram built = loop;
            cache.ifPresent(c -> {
                Map<String, String> payload = new LinkedHashMap<>();
                payload.put("source-name", src.name());
                payload.put("variant", v.text());
                payload.put("loop", LoopPrinter.print(built));
                payload.put("code", compiled.source());
                c.write(key, payload);
            });
        }
        return new Prepared(d, v, compiled, hit);
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
