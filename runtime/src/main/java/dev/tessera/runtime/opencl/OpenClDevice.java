package dev.tessera.runtime.opencl;

import dev.tessera.codegen.opencl.OpenClEmitter;
import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.passes.tile.Schedules;
import dev.tessera.runtime.BinaryRejectedException;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Execution;
import dev.tessera.runtime.StoredTensor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One OpenCL device as a Tessera {@link Device}: emits OpenCL C with {@link OpenClEmitter}, builds it (or
 * loads the driver's binary of it from an earlier build), and runs programs with device-side timing. The
 * context and queue are made on first use, so listing devices costs no context. Calls are serialised: kernel
 * arguments are per-object state in OpenCL.
 */
public final class OpenClDevice implements Device {

    private static final long CL_DEVICE_TYPE_CPU = 1 << 1;
    private final ClLibrary cl;
    private final ClDevice device;
    private final Map<LoopProgram, OpenClCompiled> cache = new HashMap<>();
    /** The most bytes of device buffers kept between runs (see {@link BufferPool}). */
    private static final long POOLED_BYTES = 256L << 20;

    private ClContext context;
    private ClQueue queue;
    private BufferPool pool;
    private boolean closed;
    private int sourceBuilds;
    private int binaryLoads;

    public OpenClDevice(ClLibrary cl, ClDevice device) {
        this.cl = cl;
        this.device = device;
    }

    public ClDevice clDevice() {
        return device;
    }

    /** CPU defaults on a device that says it is a CPU (PoCL), GPU defaults on any other. */
    @Override
    public Schedules.Profile scheduleProfile() {
        return (device.type() & CL_DEVICE_TYPE_CPU) != 0 ? Schedules.Profile.CPU : Schedules.Profile.GPU;
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
        sourceBuilds++;
        return remember(program, source, built);
    }

    /**
     * The driver's binary of the program (CL_PROGRAM_BINARIES; PoCL's is an archive of the program's LLVM
     * bitcode and its kernels compiled for any work-group size, which PoCL compiles when asked for it). It is
     * good only for this device and driver version: the JIT's cache key holds both ({@code CacheKeys}: the
     * device id, the description, which names the device, the platform and the OpenCL version, PoCL's with its
     * CPU target, and CL_DRIVER_VERSION), so another device or a driver update misses rather than loading a
     * foreign binary.
     */
    @Override
    public synchronized Optional<byte[]> exportBinary(CompiledProgram program) {
        byte[] binary = owned(program).clProgram.binary();
        return binary.length == 0 ? Optional.empty() : Optional.of(binary);
    }

    /** Builds from a binary with the build options a source build uses, which the spec asks for. */
    @Override
    public synchronized CompiledProgram loadBinary(LoopProgram program, byte[] binary)
            throws BinaryRejectedException {
        open();
        OpenClCompiled known = cache.get(program);
        if (known != null) {
            return known;
        }
        if (binary.length == 0) {
            throw new BinaryRejectedException("the binary is empty");
        }
        ClProgram built;
        try {
            built = context.loadProgram(binary, buildOptions());
        } catch (ClBuildException e) {
            throw new BinaryRejectedException("the driver cannot build it: " + e.log().strip(), e);
        } catch (OpenClException e) {
            throw new BinaryRejectedException("the driver refuses it: " + e.getMessage(), e);
        }
        try {
            OpenClCompiled loaded = remember(program, OpenClEmitter.emit(program), built);
            binaryLoads++;
            return loaded;
        } catch (OpenClException e) {
            throw new BinaryRejectedException("it is not this program's binary: " + e.getMessage(), e);
        }
    }

    /** Programs this device built from OpenCL C, each a run of the driver's compiler (cache hits excluded). */
    public synchronized int sourceBuilds() {
        return sourceBuilds;
    }

    /** Programs this device loaded from binaries instead of compiling them. */
    public synchronized int binaryLoads() {
        return binaryLoads;
    }

    /** Makes the program's kernel objects and caches the result; on failure releases what it made. */
    private OpenClCompiled remember(LoopProgram program, String source, ClProgram built) {
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

    private OpenClCompiled owned(CompiledProgram program) {
        if (!(program instanceof OpenClCompiled c) || c.owner != this) {
            throw new IllegalArgumentException(program + " was not compiled by " + id());
        }
        return c;
    }

    @Override
    public synchronized Execution run(CompiledProgram program, List<HostTensor> inputs, int repeat) {
        open();
        OpenClCompiled c = owned(program);
        try (ProgramRun run = new ProgramRun(pool, queue, c)) {
            return run.run(inputs, repeat);
        }
    }

    @Override
    public synchronized void runStored(CompiledProgram program, List<StoredTensor> inputs, List<MemorySegment> outputs) {
        open();
        OpenClCompiled c = owned(program);
        try (ProgramRun run = new ProgramRun(pool, queue, c)) {
            run.runStored(inputs, outputs);
        }
    }

    /** How many device buffers this device has had the driver make (kept ones are used again). */
    public synchronized int buffersCreated() {
        return pool == null ? 0 : pool.created();
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException(id() + " is closed");
        }
        if (context == null) {
            context = ClContext.create(cl, device);
            try {
                queue = context.createQueue(true);
                pool = new BufferPool(context, Math.min(POOLED_BYTES, device.globalMemBytes() / 8));
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
        if (pool != null) {
            pool.close();
        }
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
