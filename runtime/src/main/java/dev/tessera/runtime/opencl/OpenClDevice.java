package dev.tessera.runtime.opencl;

import dev.tessera.codegen.opencl.OpenClEmitter;
import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Execution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One OpenCL device as a Tessera {@link Device}: emits OpenCL C with {@link OpenClEmitter}, builds it,
 * and runs programs with device-side timing. The context and queue are made on first use, so listing
 * devices costs no context. Calls are serialised: kernel arguments are per-object state in OpenCL.
 */
public final class OpenClDevice implements Device {

    private final ClLibrary cl;
    private final ClDevice device;
    private final Map<LoopProgram, OpenClCompiled> cache = new HashMap<>();
    private ClContext context;
    private ClQueue queue;
    private boolean closed;

    public OpenClDevice(ClLibrary cl, ClDevice device) {
        this.cl = cl;
        this.device = device;
    }

    public ClDevice clDevice() {
        return device;
    }

    @Override
    public String id() {
        return "opencl:" + device.platform().index() + ":" + device.index();
    }

    @Override
    public String description() {
        return device.name() + " (" + device.typeName() + ", " + device.platform().name() + ", "
                + device.version() + ")";
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", device.name());
        p.put("vendor", device.vendor());
        p.put("type", device.typeName());
        p.put("platform", device.platform().name() + " (" + device.platform().version() + ")");
        p.put("version", device.version());
        p.put("driver version", device.driverVersion());
        p.put("opencl c version", device.openClCVersion());
        p.put("compute units", Long.toString(device.computeUnits()));
        p.put("global memory bytes", Long.toString(device.globalMemBytes()));
        p.put("local memory bytes", Long.toString(device.localMemBytes()));
        p.put("max allocation bytes", Long.toString(device.maxAllocBytes()));
        p.put("max work-group size", Long.toString(device.maxWorkGroupSize()));
        p.put("fp64", device.hasFp64() ? "yes" : "no");
        p.put("library", cl.loadedFrom());
        return p;
    }

    /**
     * Options for every build: the dialect the emitter writes, and correctly rounded f32 division and
     * sqrt where the device offers it, since the reference rounds them correctly.
     */
    public String buildOptions() {
        List<String> opts = new ArrayList<>();
        if (device.openClCLevel() >= 12) {
            opts.add("-cl-std=CL1.2");
        }
        if (device.correctlyRoundedDivideSqrt()) {
            opts.add("-cl-fp32-correctly-rounded-divide-sqrt");
        }
        return String.join(" ", opts);
    }

    @Override
    public synchronized CompiledProgram compile(LoopProgram program) {
        open();
        OpenClCompiled known = cache.get(program);
        if (known != null) {
            return known;
        }
        String source = OpenClEmitter.emit(program);
        ClProgram built;
        try {
            built = context.buildProgram(source, buildOptions());
        } catch (ClBuildException e) {
            throw new CompileException(List.of(new Diagnostic(Diagnostic.Severity.ERROR,
                    new SourceSpan(program.name() + ".cl", 0, 0, 0, 0),
                    "OpenCL build failed for kernel " + program.name() + ":\n" + e.log().strip(),
                    List.of("device " + id() + ": " + device.name()))));
        }
        List<ClKernel> kernels = new ArrayList<>();
        try {
            for (LoopKernel k : program.kernels()) {
                kernels.add(built.kernel(OpenClEmitter.kernelSymbol(k)));
            }
        } catch (RuntimeException e) {
            kernels.forEach(ClKernel::close);
            built.close();
            throw e;
        }
        OpenClCompiled compiled = new OpenClCompiled(this, program, source, built, kernels);
        cache.put(program, compiled);
        return compiled;
    }

    @Override
    public synchronized Execution run(CompiledProgram program, List<HostTensor> inputs, int repeat) {
        open();
        if (!(program instanceof OpenClCompiled c) || c.owner != this) {
            throw new IllegalArgumentException(program + " was not compiled by " + id());
        }
        try (ProgramRun run = new ProgramRun(context, queue, c)) {
            return run.run(inputs, repeat);
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException(id() + " is closed");
        }
        if (context == null) {
            context = ClContext.create(cl, device);
            try {
                queue = context.createQueue(true);
            } catch (RuntimeException e) {
                context.close();
                context = null;
                throw e;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Kernels and programs before the queue and context they were made in.
        cache.values().forEach(OpenClCompiled::close);
        cache.clear();
        if (queue != null) {
            queue.close();
        }
        if (context != null) {
            context.close();
        }
    }

    @Override
    public String toString() {
        return id() + " " + device.name();
    }
}
