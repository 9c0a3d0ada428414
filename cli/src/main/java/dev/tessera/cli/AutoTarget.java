package dev.tessera.cli;

import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;
import dev.tessera.runtime.cache.KernelCache;
import dev.tessera.runtime.jit.Choice;
import dev.tessera.runtime.jit.CompiledSource;
import dev.tessera.runtime.jit.Jit;
import dev.tessera.runtime.jit.KernelRequest;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code tessera run --device auto}: each kernel runs where {@link dev.tessera.runtime.jit.DevicePolicy} puts
 * it (the device that measured fastest in the tuning cache, with its schedule; else the first OpenCL device;
 * else the reference), compiled through the JIT so that artefacts come from and go to the cache.
 */
final class AutoTarget implements AutoCloseable {

    private final CompiledSource source;
    private final Devices found;
    private final Jit jit;
    private final KernelCache cache;

    private AutoTarget(CompiledSource source, Devices found, Jit jit, KernelCache cache) {
        this.source = source;
        this.found = found;
        this.jit = jit;
        this.cache = cache;
    }

    static AutoTarget open(CompiledSource source, KernelCache cache, PrintWriter err) {
        Devices found = Devices.discover(err::println);
        if (found.all().isEmpty()) {
            err.println("tessera: note: " + found.openClUnavailable().orElse("no devices found")
                    + "; running on the reference interpreter");
        }
        return new AutoTarget(source, found, new Jit(Optional.of(cache), err::println), cache);
    }

    String description() {
        String devices = found.all().isEmpty() ? "none (reference interpreter)"
                : found.all().stream().map(d -> d.id() + " " + d.description()).collect(Collectors.joining("; "));
        return "per kernel, tuned devices first (cache " + cache.directory() + "); devices: " + devices;
    }

    RunCommand.Ran run(GraphKernel k, Map<String, Long> dims, List<HostTensor> inputs, int repeat) {
        KernelRequest r = source.request(k.name(), dims);
        Choice c = jit.choose(source, r, found.all());
        String note = c.reason().startsWith("tuned") ? "tuned schedule " + c.variant().display() : "";
        if (c.device().isEmpty()) {
            long[] times = new long[repeat];
            List<HostTensor> out = null;
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                out = ReferenceInterpreter.run(k, inputs);
                times[i] = System.nanoTime() - t0;
            }
            return new RunCommand.Ran("reference", new Target.Outcome(out, RunCommand.median(times)), note);
        }
        Device d = c.device().get();
        Jit.Prepared p = jit.prepare(source, r, d, c.variant());
        return new RunCommand.Ran(d.id(), RunCommand.timed(d, p.program(), inputs, repeat), note);
    }

    @Override
    public void close() {
        jit.close();
        found.close();
    }
}
