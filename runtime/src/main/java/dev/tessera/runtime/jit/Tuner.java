package dev.tessera.runtime.jit;

import dev.tessera.ir.interp.Comparison;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.tile.Schedule;
import dev.tessera.ir.tile.TileKernel;
import dev.tessera.ir.tile.TileProgram;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Execution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Times the variants of one program on one device and finds the fastest that computes the right answer.
 *
 * <p>The search: the default variant first; then, for each tile kernel of the program in order, every schedule
 * of its kind's {@link Variants#grid grid} with the other kernels held at the best found so far (one sweep
 * of coordinate descent: for the usual one-kernel program this is the whole grid, and a three-kernel program
 * costs the sum of three grids rather than their product). Once the budget is spent, the remaining candidates
 * are recorded as skipped; the default is always measured.
 *
 * <p>Each candidate: lower and compile (failures are recorded, not thrown), one warm-up run whose outputs are
 * compared with the reference (a mismatch rejects the variant: it is never chosen, so never cached), then
 * timed runs, enough to fill {@link Settings#targetPerCandidate} within [minRuns, maxRuns], whose outputs
 * are compared again. Times are the device's own (kernel time without transfers) when it reports them,
 * otherwise whole runs on the {@link TimeSource}. The figure compared is the median.
 */
public final class Tuner {

    /** How long to tune and how hard to time each candidate. */
    public record Settings(Duration budget, int minRuns, int maxRuns, Duration targetPerCandidate) {
        public Settings {
            if (minRuns < 1 || maxRuns < minRuns) {
                throw new IllegalArgumentException("need 1 <= minRuns <= maxRuns");
            }
        }

        public static Settings withBudget(Duration budget) {
            return new Settings(budget, 3, 25, Duration.ofMillis(300));
        }
    }

    /** Progress, for a progress bar; every method is called on the tuning thread. */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void started(String kernel, String device, int candidates) {}

        /** After candidate {@code index} (0-based) of {@code total}; {@code best} is the best valid so far. */
        default void measured(int index, int total, Measurement m, Optional<Measurement> best) {}
    }

    /** One tuning job: the program at tile level, the device, inputs and the reference's outputs for them. */
    public record Task(TileProgram program, KernelRequest request, Device device, List<HostTensor> inputs,
            List<HostTensor> expected) {
        public Task {
            inputs = List.copyOf(inputs);
            expected = List.copyOf(expected);
        }
    }

    private final TimeSource clock;
    private final Settings settings;
    private final Listener listener;

    public Tuner(TimeSource clock, Settings settings, Listener listener) {
        this.clock = clock;
        this.settings = settings;
        this.listener = listener;
    }

    public TuningResult tune(Task task) {
        long start = clock.nanoTime();
        TileProgram p = task.program();
        int total = 1;
        for (TileKernel k : p.kernels()) {
            total += Variants.grid(k.kind()).size() - 1;
        }
        listener.started(p.name(), task.device().id(), total);
        List<Measurement> done = new ArrayList<>();
        Set<Variant> tried = new LinkedHashSet<>();
        boolean[] timingFromDevice = {false};

        Variant best = Variant.of(p);
        Measurement first = measure(task, best, timingFromDevice);
        record(done, tried, first, total);
        long bestNs = first.ok() ? first.medianNs() : Long.MAX_VALUE;
        for (TileKernel k : p.kernels()) {
            Variant base = best;
            for (Schedule s : Variants.grid(k.kind())) {
                Variant candidate = base.with(k.name(), s);
                if (tried.contains(candidate)) {
                    continue;
                }
                Measurement m;
                if (clock.nanoTime() - start >= settings.budget().toNanos()) {
                    m = Measurement.rejected(candidate, Measurement.Status.SKIPPED, "budget spent");
                } else {
                    m = measure(task, candidate, timingFromDevice);
                }
                record(done, tried, m, total);
                if (m.ok() && m.medianNs() < bestNs) {
                    best = candidate;
                    bestNs = m.medianNs();
                }
            }
        }
        return new TuningResult(task.request(), DeviceIdentity.of(task.device()),
                timingFromDevice[0] ? "device" : "wall", done);
    }

    private void record(List<Measurement> done, Set<Variant> tried, Measurement m, int total) {
        done.add(m);
        tried.add(m.variant());
        Optional<Measurement> best = done.stream().filter(Measurement::ok)
                .min(java.util.Comparator.comparingLong(Measurement::medianNs));
        listener.measured(done.size() - 1, total, m, best);
    }

    private Measurement measure(Task task, Variant v, boolean[] timingFromDevice) {
        Device device = task.device();
        CompiledProgram compiled;
        try {
            LoopProgram loop = Variants.lower(task.program(), v);
            compiled = device.compile(loop);
        } catch (RuntimeException e) {
            return Measurement.rejected(v, Measurement.Status.FAILED, "does not compile: " + message(e));
        }
        try {
            long t0 = clock.nanoTime();
            Execution warm = device.run(compiled, task.inputs(), 1);
            long warmWall = clock.nanoTime() - t0;
            String wrong = mismatch(task.expected(), warm.outputs());
            if (wrong != null) {
                return Measurement.rejected(v, Measurement.Status.WRONG, wrong);
            }
            boolean deviceTimes = !warm.deviceTimesNs().isEmpty() && warm.deviceTimesNs().stream().allMatch(t -> t > 0);
            long perRun = Math.max(1, deviceTimes ? warm.minTimeNs() : warmWall);
            int runs = (int) Math.clamp(settings.targetPerCandidate().toNanos() / perRun, settings.minRuns(),
                    settings.maxRuns());
            long[] times = new long[runs];
            List<HostTensor> last;
            if (deviceTimes) {
                Execution e = device.run(compiled, task.inputs(), runs);
                last = e.outputs();
                for (int i = 0; i < runs; i++) {
                    times[i] = e.deviceTimesNs().get(Math.min(i, e.deviceTimesNs().size() - 1));
                }
                timingFromDevice[0] = true;
            } else {
                last = warm.outputs();
                for (int i = 0; i < runs; i++) {
                    long s = clock.nanoTime();
                    last = device.run(compiled, task.inputs(), 1).outputs();
                    times[i] = clock.nanoTime() - s;
                }
            }
            // A race in generated code can pass once and fail later; the timed runs must agree too.
            wrong = mismatch(task.expected(), last);
            if (wrong != null) {
                return Measurement.rejected(v, Measurement.Status.WRONG, "timed run: " + wrong);
            }
            Arrays.sort(times);
            return Measurement.ok(v, times[runs / 2], times[0], runs);
        } catch (RuntimeException e) {
            return Measurement.rejected(v, Measurement.Status.FAILED, "does not run: " + message(e));
        }
    }

    /** Why the outputs differ from the reference, or null when every output is within tolerance. */
    static String mismatch(List<HostTensor> expected, List<HostTensor> actual) {
        if (expected.size() != actual.size()) {
            return expected.size() + " outputs expected, " + actual.size() + " produced";
        }
        for (int i = 0; i < expected.size(); i++) {
            Comparison c = Comparison.compare(expected.get(i), actual.get(i));
            if (!c.pass()) {
                return "output " + i + ": " + c.summary();
            }
        }
        return null;
    }

    private static String message(RuntimeException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
