package dev.tessera.runtime.jit;

import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopInterpreter;
import dev.tessera.ir.loop.LoopPrinter;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.BinaryRejectedException;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Execution;
import dev.tessera.runtime.ShapeBinder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A device for tests: runs programs on the loop-IR interpreter, costs each run by a function of the program,
 * and either reports that cost as device time or advances a fake clock by it (so wall-clock timing measures
 * it exactly). Can return wrong results for chosen programs, counts compilations, and on request gives and
 * loads binaries (its code with a header), refusing any that is not exactly the binary of the program asked for.
 */
final class FakeDevice implements Device {

    /** A clock that moves only when told. */
    static final class FakeClock implements TimeSource {
        final AtomicLong now = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return now.get();
        }

        void advance(long ns) {
            now.addAndGet(ns);
        }
    }

    record Compiled(LoopProgram program, String deviceId, String source) implements CompiledProgram {}

    final String id;
    final FakeClock clock;
    final ToLongFunction<LoopProgram> cost;
    final boolean deviceTiming;
    final AtomicInteger compilations = new AtomicInteger();
    final AtomicInteger runs = new AtomicInteger();
    final AtomicInteger binaryLoads = new AtomicInteger();
    /** Whether it gives binaries of what it compiles and loads them. */
    boolean binaries;
    Predicate<LoopProgram> wrong = p -> false;
    /** Extra real time each compilation takes, to widen races in concurrency tests. */
    long compileDelayMs;
    /** Clock time each run takes beyond its cost, as a launch does: seen by the clock, not in device times. */
    long overheadNs;

    FakeDevice(String id, FakeClock clock, ToLongFunction<LoopProgram> cost, boolean deviceTiming) {
        this.id = id;
        this.clock = clock;
        this.cost = cost;
        this.deviceTiming = deviceTiming;
    }

    /** The work-group size of a program's first kernel: what the variants of a reduce kernel differ in. */
    static int workGroup(LoopProgram p) {
        return p.kernels().getFirst().localSize().stream().reduce(1, (a, b) -> a * b);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return "fake device " + id;
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("driver version", "fake-1");
        return p;
    }

    @Override
    public CompiledProgram compile(LoopProgram program) {
        compilations.incrementAndGet();
        if (compileDelayMs > 0) {
            try {
                Thread.sleep(compileDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Compiled(program, id, code(program));
    }

    private static String code(LoopProgram program) {
        return "// fake code\n" + LoopPrinter.print(program);
    }

    static byte[] binaryOf(LoopProgram program) {
        return ("fake binary\n" + code(program)).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<byte[]> exportBinary(CompiledProgram program) {
        return binaries ? Optional.of(binaryOf(program.program())) : Optional.empty();
    }

    @Override
    public CompiledProgram loadBinary(LoopProgram program, byte[] binary) throws BinaryRejectedException {
        if (!binaries) {
            return Device.super.loadBinary(program, binary);
        }
        if (!Arrays.equals(binary, binaryOf(program))) {
            throw new BinaryRejectedException("not the binary of " + program.name());
        }
        binaryLoads.incrementAndGet();
        return new Compiled(program, id, code(program));
    }

    @Override
    public Execution run(CompiledProgram program, List<HostTensor> inputs, int repeat) {
        LoopProgram p = program.program();
        Map<String, Long> dims = ShapeBinder.bind(p, inputs);
        List<HostTensor> out = LoopInterpreter.run(p, dims, inputs);
        if (wrong.test(p)) {
            List<HostTensor> bad = new ArrayList<>();
            for (HostTensor t : out) {
                double[] d = t.data().clone();
                d[0] += 1;
                bad.add(new HostTensor(t.dtype(), t.shape(), d));
            }
            out = bad;
        }
        long c = cost.applyAsLong(p);
        runs.addAndGet(repeat);
        clock.advance(((deviceTiming ? 0 : c) + overheadNs) * repeat);
        return new Execution(out, dims, Collections.nCopies(repeat, deviceTiming ? c : 0L));
    }

    @Override
    public void close() {}
}
