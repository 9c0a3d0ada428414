package dev.tessera.runtime.jvm;

import dev.tessera.codegen.jvm.JvmCodegen;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.passes.tile.Schedules;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Execution;
import dev.tessera.runtime.StoredTensor;
import java.util.LinkedHashMap;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;

/**
 * The JVM itself as a Tessera {@link Device}, always present: kernels become hidden classes
 * ({@link JvmCodegen}) and their work-groups run on a fork/join pool of its own, one thread per core by default.
 * Unlike the OpenCL device it runs programs from several threads at once; they share the pool.
 */
public final class JvmDevice implements Device {

    private final int threads;
    private final Map<LoopProgram, JvmCompiled> cache = new ConcurrentHashMap<>();
    private ForkJoinPool pool;
    private boolean closed;

    /** A device using every core. */
    public JvmDevice() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** @param threads how many threads run work-groups; 1 runs every launch on the calling thread */
    public JvmDevice(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a JVM device needs at least one thread, got " + threads);
        }
        this.threads = threads;
    }

    /** A group's work-items run one after another on one thread: a row per work-item suits it best. */
    @Override
    public Schedules.Profile scheduleProfile() {
        return Schedules.Profile.JVM;
    }

    @Override
    public String id() {
        return "jvm";
    }

    @Override
    public String description() {
        return "JVM bytecode on " + threads + (threads == 1 ? " thread" : " threads") + " ("
                + Runtime.getRuntime().availableProcessors() + " cores; Java " + Runtime.version().feature() + ", "
                + System.getProperty("os.arch") + ")";
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("threads", Integer.toString(threads));
        p.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        p.put("java", Runtime.version().toString());
        p.put("vm", System.getProperty("java.vm.name", "?"));
        p.put("arch", System.getProperty("os.arch", "?"));
        p.put("max heap bytes", Long.toString(Runtime.getRuntime().maxMemory()));
        return p;
    }

    public int threads() {
        return threads;
    }

    // No exportBinary/loadBinary: making the bytecode takes about a millisecond; a cached copy would save nothing.
    @Override
    public CompiledProgram compile(LoopProgram program) {
        checkOpen();
        JvmCompiled known = cache.get(program);
        if (known != null) {
            return known;
        }
        // Compiling outside the map keeps a slow compile from blocking others; a race compiles twice, keeps one.
        JvmCompiled fresh = new JvmCompiled(this, JvmCodegen.compile(program));
        JvmCompiled raced = cache.putIfAbsent(program, fresh);
        return raced != null ? raced : fresh;
    }

    @Override
    public Execution run(CompiledProgram program, List<HostTensor> inputs, int repeat) {
        ForkJoinPool p = pool();
        if (!(program instanceof JvmCompiled c) || c.owner != this) {
            throw new IllegalArgumentException(program + " was not compiled by this " + id() + " device");
        }
        return JvmProgramRun.run(c, inputs, repeat, p);
    }

    /** Runs in the given segments themselves: inputs are read and outputs written where they are. */
    @Override
    public void runStored(CompiledProgram program, List<StoredTensor> inputs, List<MemorySegment> outputs) {
        ForkJoinPool p = pool();
        if (!(program instanceof JvmCompiled c) || c.owner != this) {
            throw new IllegalArgumentException(program + " was not compiled by this " + id() + " device");
        }
        JvmProgramRun.runStored(c, inputs, outputs, p);
    }

    private synchronized ForkJoinPool pool() {
        checkOpen();
        if (pool == null && threads > 1) {
            pool = new ForkJoinPool(threads);
        }
        return pool;
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException(id() + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        cache.clear();
        if (pool != null) {
            pool.shutdown();
        }
    }

    @Override
    public String toString() {
        return id() + " " + description();
    }
}
