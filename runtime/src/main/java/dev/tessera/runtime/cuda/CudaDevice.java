package dev.tessera.runtime.cuda;

import dev.tessera.codegen.ptx.PtxArch;
import dev.tessera.codegen.ptx.PtxEmitter;
import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Execution;
import dev.tessera.runtime.StoredTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One NVIDIA GPU as a Tessera {@link Device}: emits PTX with {@link PtxEmitter} for the GPU's architecture,
 * has the driver JIT-compile it ({@code cuModuleLoadDataEx}, whose error log becomes a diagnostic), and runs
 * programs with device-side timing by events. It uses the GPU's primary context, retained on first use, so
 * listing devices costs no context; every call makes it current on the calling thread, and calls are
 * serialised.
 */
public final class CudaDevice implements Device {

    /** Bytes for each of the JIT's info and error logs; the driver truncates longer logs. */
    private static final int LOG_BYTES = 64 * 1024;
    private static final int CU_JIT_INFO_LOG_BUFFER = 3;
    private static final int CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
    private static final int CU_JIT_ERROR_LOG_BUFFER = 5;
    private static final int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
    private static final int CU_JIT_LOG_VERBOSE = 12;

    private final CudaLibrary cu;
    private final CudaDeviceInfo info;
    private final PtxArch arch;
    private final Map<LoopProgram, CudaCompiled> cache = new HashMap<>();
    private MemorySegment context;
    private boolean closed;

    CudaDevice(CudaLibrary cu, CudaDeviceInfo info) {
        this.cu = cu;
        this.info = info;
        this.arch = info.ptxArch().orElseThrow(() -> new IllegalArgumentException(info.name() + " is "
                + info.smName() + "; Tessera's PTX needs sm_80 or newer"));
    }

    public CudaDeviceInfo info() {
        return info;
    }

    /** The PTX target this device's programs are emitted for. */
    public PtxArch arch() {
        return arch;
    }

    @Override
    public String id() {
        return "cuda:" + info.ordinal();
    }

    @Override
    public String description() {
        return info.name() + " (" + info.smName() + ", CUDA driver " + info.driverVersionText() + ")";
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", info.name());
        p.put("compute capability", info.ccMajor() + "." + info.ccMinor());
        p.put("ptx target", arch.target() + " (PTX ISA " + PtxArch.PTX_VERSION + ")");
        p.put("multiprocessors", Integer.toString(info.multiprocessors()));
        p.put("global memory bytes", Long.toString(info.globalMemBytes()));
        p.put("shared memory per block", Integer.toString(info.sharedMemPerBlock()));
        p.put("max threads per block", Integer.toString(info.maxThreadsPerBlock()));
        p.put("max grid", info.maxGridX() + " x " + info.maxGridY() + " x " + info.maxGridZ());
        p.put("driver", "CUDA " + info.driverVersionText());
        p.put("library", cu.loadedFrom());
        return p;
    }

    // No exportBinary/loadBinary: the driver caches its own PTX JIT, and a cubin path is untestable without a GPU.
    @Override
    public synchronized CompiledProgram compile(LoopProgram program) {
        open();
        CudaCompiled known = cache.get(program);
        if (known != null) {
            return known;
        }
        String ptx = PtxEmitter.emit(program, arch);
        MemorySegment module;
        String infoLog;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment infoBuf = arena.allocate(LOG_BYTES);
            MemorySegment errorBuf = arena.allocate(LOG_BYTES);
            MemorySegment options = arena.allocateFrom(ValueLayout.JAVA_INT, CU_JIT_INFO_LOG_BUFFER,
                    CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES, CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                    CU_JIT_LOG_VERBOSE);
            // Option values are void*; the sizes and the flag travel as integers in pointer-sized slots.
            MemorySegment values = arena.allocate(ValueLayout.ADDRESS, 5);
            values.setAtIndex(ValueLayout.ADDRESS, 0, infoBuf);
            values.setAtIndex(ValueLayout.ADDRESS, 1, MemorySegment.ofAddress(LOG_BYTES));
            values.setAtIndex(ValueLayout.ADDRESS, 2, errorBuf);
            values.setAtIndex(ValueLayout.ADDRESS, 3, MemorySegment.ofAddress(LOG_BYTES));
            values.setAtIndex(ValueLayout.ADDRESS, 4, MemorySegment.ofAddress(1));
            int rc = cu.cuModuleLoadDataEx(out, arena.allocateFrom(ptx), 5, options, values);
            if (rc != CudaLibrary.CUDA_SUCCESS) {
                String log = errorBuf.getString(0).strip();
                throw new CompileException(List.of(new Diagnostic(Diagnostic.Severity.ERROR,
                        new SourceSpan(program.name() + ".ptx", 0, 0, 0, 0),
                        "CUDA JIT compilation failed for kernel " + program.name() + " (" + cu.errorName(rc) + ")"
                                + (log.isEmpty() ? "" : ":\n" + log),
                        List.of("device " + id() + ": " + description(), "PTX target " + arch.target()))));
            }
            module = out.get(ValueLayout.ADDRESS, 0);
            infoLog = infoBuf.getString(0).strip();
        }
        List<MemorySegment> functions = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            for (LoopKernel k : program.kernels()) {
                String symbol = PtxEmitter.kernelSymbol(k);
                cu.check("cuModuleGetFunction", cu.cuModuleGetFunction(out, module, arena.allocateFrom(symbol)), symbol);
                functions.add(out.get(ValueLayout.ADDRESS, 0));
            }
        } catch (RuntimeException e) {
            cu.cuModuleUnload(module);
            throw e;
        }
        CudaCompiled compiled = new CudaCompiled(this, program, ptx, infoLog, module, functions);
        cache.put(program, compiled);
        return compiled;
    }

    @Override
    public synchronized Execution run(CompiledProgram program, List<HostTensor> inputs, int repeat) {
        open();
        if (!(program instanceof CudaCompiled c) || c.owner != this) {
            throw new IllegalArgumentException(program + " was not compiled by " + id());
        }
        try (CudaRun run = new CudaRun(cu, info, c)) {
            return run.run(inputs, repeat);
        }
    }

    @Override
    public synchronized void runStored(CompiledProgram program, List<StoredTensor> inputs, List<MemorySegment> outputs) {
        open();
        if (!(program instanceof CudaCompiled c) || c.owner != this) {
            throw new IllegalArgumentException(program + " was not compiled by " + id());
        }
        try (CudaRun run = new CudaRun(cu, info, c)) {
            run.runStored(inputs, outputs);
        }
    }

    /** Retains the primary context on first use and makes it current on this thread. */
    private void open() {
        if (closed) {
            throw new IllegalStateException(id() + " is closed");
        }
        if (context == null) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
                cu.check("cuDevicePrimaryCtxRetain", cu.cuDevicePrimaryCtxRetain(out, info.handle()), id());
                context = out.get(ValueLayout.ADDRESS, 0);
            }
        }
        cu.check("cuCtxSetCurrent", cu.cuCtxSetCurrent(context), id());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (context == null) {
            return;
        }
        RuntimeException failure = null;
        try {
            cu.check("cuCtxSetCurrent", cu.cuCtxSetCurrent(context), id());
            for (CudaCompiled c : cache.values()) {
                c.unload(cu);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        cache.clear();
        int rc = cu.cuDevicePrimaryCtxRelease(info.handle());
        if (rc != CudaLibrary.CUDA_SUCCESS && failure == null) {
            failure = new CudaException("cuDevicePrimaryCtxRelease", rc, cu.errorName(rc), id());
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return id() + " " + info.name();
    }
}
