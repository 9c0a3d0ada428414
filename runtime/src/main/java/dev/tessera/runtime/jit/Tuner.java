package dev.tessera.runtime.jit;

import dev.tessera.ir.interp.Comparison;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.tile.Schedule;
import dev.tessera.ir.tile.TileKernel;
import dev.tessera.ir.tile.TileProgram;
import dev.tessera.passes.tile.Schedules;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Execution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * <p>Each candidate: lower and compile (failures are recorded, not thrown), one run whose outputs are compared
 * with the reference (a mismatch rejects the variant: it is never chosen, so never cached), untimed runs until
 * its time has settled ({@link WarmUp}), then timed runs, enough to fill {@link Settings#targetPerCandidate}
 * within [minRuns, maxRuns], whose outputs are compared again. Times are the device's own (kernel time without
 * transfers) when it reports them, otherwise whole runs on the {@link TimeSource}. The figure compared is the
 * median. Finally the default and the two fastest others are timed again, alternately, and their samples pooled
 * (see {@link #confirm}), so that load on the machine during one candidate's turn does not decide the winner.
 */
public final class Tuner {

    /** How long to tune and how hard to time each candidate. */
    public record Settings(Duration budget, int minRuns, int maxRuns, Duration targetPerCandidate) {
        public Settings {
            if (minRuns < 1 || maxRuns < minRuns) {
                throw new IllegalArgumentException("need 1 <= minRuns <= maxRuns");
            }
        }

        /** How many of the fastest non-default candidates {@link Tuner#confirm} times again. */
        static final int CONFIRMED = 2;
        /** Rounds of alternating confirmation runs per pass. */
        static final int CONFIRM_ROUNDS = 3;
        /** Passes of confirmation at most, each taking on the fastest not yet confirmed. */
        static final int CONFIRM_PASSES = 3;

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

    /** The state of one {@link #tune} call: compiled candidates, their samples, how they were timed. */
    private final class Run {
        final Task task;
        final Map<Variant, CompiledProgram> compiled = new HashMap<>();
        final Map<Variant, List<Long>> samples = new HashMap<>();
        final Map<Variant, Integer> runsOf = new HashMap<>();
        boolean deviceTiming;

        Run(Task task) {
            this.task = task;
        }
    }

    public TuningResult tune(Task task) {
        long start = clock.nanoTime();
        TileProgram p = task.program();
        Schedules.Profile profile = task.device().scheduleProfile();
        int total = 1;
        for (TileKernel k : p.kernels()) {
            total += Variants.grid(k.kind(), profile).size() - 1;
        }
        listener.started(p.name(), task.device().id(), total);
        Run run = new Run(task);
        List<Measurement> done = new ArrayList<>();
        Set<Variant> tried = new LinkedHashSet<>();

        Variant best = Variants.defaults(p, profile);
        Measurement first = measure(run, best);
        record(done, tried, first, total);
        long bestNs = first.ok() ? first.medianNs() : Long.MAX_VALUE;
        for (TileKernel k : p.kernels()) {
            Variant base = best;
            for (Schedule s : Variants.grid(k.kind(), profile)) {
                Variant candidate = base.with(k.name(), s);
                if (tried.contains(candidate)) {
                    continue;
                }
                Measurement m;
                if (clock.nanoTime() - start >= settings.budget().toNanos()) {
                    m = Measurement.rejected(candidate, Measurement.Status.SKIPPED, "budget spent");
                } else {
                    m = measure(run, candidate);
                }
                record(done, tried, m, total);
                if (m.ok() && m.medianNs() < bestNs) {
                    best = candidate;
                    bestNs = m.medianNs();
                }
            }
        }
        confirm(run, done);
        return new TuningResult(task.request(), DeviceIdentity.of(task.device()),
                run.deviceTiming ? "device" : "wall", done);
    }

    private void record(List<Measurement> done, Set<Variant> tried, Measurement m, int total) {
        done.add(m);
        tried.add(m.variant());
        listener.measured(done.size() - 1, total, m, fastest(done));
    }

    private static Optional<Measurement> fastest(List<Measurement> ms) {
        return ms.stream().filter(Measurement::ok).min(Comparator.comparingLong(Measurement::medianNs));
    }

    /**
     * Times the default and the {@link Settings#CONFIRMED} fastest others again, alternating between them for
     * {@link Settings#CONFIRM_ROUNDS} rounds, and pools those samples with the first ones: a candidate timed while
     * something else loaded the machine must not win (or lose) on that alone. When that dethrones the leaders,
     * the next fastest are confirmed in turn, until the fastest is a confirmed one (at most
     * {@link Settings#CONFIRM_PASSES} passes); {@link TuningResult#winner()} then chooses among confirmed
     * candidates only. Runs whatever the budget: it decides what is cached.
     */
    private void confirm(Run run, List<Measurement> done) {
        Set<Variant> confirmed = new HashSet<>();
        for (int pass = 0; pass < Settings.CONFIRM_PASSES; pass++) {
            Optional<Measurement> leader = fastest(done);
            if (leader.isEmpty() || confirmed.contains(leader.get().variant())) {
                return;
            }
            List<Variant> contenders = new ArrayList<>();
            if (done.getFirst().ok()) {
                contenders.add(done.getFirst().variant());
            }
            done.stream().skip(1).filter(m -> m.ok() && !confirmed.contains(m.variant()))
                    .sorted(Comparator.comparingLong(Measurement::medianNs)).limit(Settings.CONFIRMED)
                    .forEach(m -> contenders.add(m.variant()));
            if (contenders.size() < 2) {
                return;
            }
            for (int round = 0; round < Settings.CONFIRM_ROUNDS; round++) {
                for (Variant v : contenders) {
                    int at = indexOf(done, v);
                    if (!done.get(at).ok()) {
                        continue;
                    }
                    try {
                        String wrong = mismatch(run.task.expected(), timed(run, v));
                        if (wrong != null) {
                            done.set(at, Measurement.rejected(v, Measurement.Status.WRONG, "confirmation run: " + wrong));
                        }
                    } catch (RuntimeException e) {
                        done.set(at, Measurement.rejected(v, Measurement.Status.FAILED, "confirmation run: " + message(e)));
                    }
                }
            }
            for (Variant v : contenders) {
                int at = indexOf(done, v);
                if (done.get(at).ok()) {
                    done.set(at, summary(v, run.samples.get(v), true));
                }
                confirmed.add(v);
            }
        }
    }

    private static int indexOf(List<Measurement> done, Variant v) {
        for (int i = 0; i < done.size(); i++) {
            if (done.get(i).variant().equals(v)) {
                return i;
            }
        }
        throw new IllegalStateException("no measurement of " + v);
    }

    private Measurement measure(Run run, Variant v) {
        Device device = run.task.device();
        CompiledProgram compiled;
        try {
            LoopProgram loop = Variants.lower(run.task.program(), v);
            compiled = device.compile(loop);
        } catch (RuntimeException e) {
            return Measurement.rejected(v, Measurement.Status.FAILED, "does not compile: " + message(e));
        }
        try {
            long t0 = clock.nanoTime();
            Execution warm = device.run(compiled, run.task.inputs(), 1);
            long warmWall = clock.nanoTime() - t0;
            String wrong = mismatch(run.task.expected(), warm.outputs());
            if (wrong != null) {
                return Measurement.rejected(v, Measurement.Status.WRONG, wrong);
            }
            boolean deviceTimes = !warm.deviceTimesNs().isEmpty() && warm.deviceTimesNs().stream().allMatch(t -> t > 0);
            run.deviceTiming |= deviceTimes;
            run.compiled.put(v, compiled);
            long perRun = WarmUp.settle(run.task.device(), compiled, run.task.inputs(), run.deviceTiming, clock,
                    settings.targetPerCandidate().toNanos(), deviceTimes ? warm.minTimeNs() : warmWall);
            run.runsOf.put(v, (int) Math.clamp(settings.targetPerCandidate().toNanos() / perRun, settings.minRuns(),
                    settings.maxRuns()));
            // A race in generated code can pass once and fail later; the timed runs must agree too.
            wrong = mismatch(run.task.expected(), timed(run, v));
            if (wrong != null) {
                return Measurement.rejected(v, Measurement.Status.WRONG, "timed run: " + wrong);
            }
            return summary(v, run.samples.get(v), false);
        } catch (RuntimeException e) {
            return Measurement.rejected(v, Measurement.Status.FAILED, "does not run: " + message(e));
        }
    }

    /** One batch of timed runs of a compiled candidate, added to its samples; returns the last run's outputs. */
    private List<HostTensor> timed(Run run, Variant v) {
        Device device = run.task.device();
        CompiledProgram compiled = run.compiled.get(v);
        int runs = run.runsOf.get(v);
        List<Long> samples = run.samples.computeIfAbsent(v, x -> new ArrayList<>());
        if (run.deviceTiming) {
            Execution e = device.run(compiled, run.task.inputs(), runs);
            samples.addAll(e.deviceTimesNs());
            return e.outputs();
        }
        List<HostTensor> last = List.of();
        for (int i = 0; i < runs; i++) {
            long s = clock.nanoTime();
            last = device.run(compiled, run.task.inputs(), 1).outputs();
            samples.add(clock.nanoTime() - s);
        }
        return last;
    }

    private static Measurement summary(Variant v, List<Long> samples, boolean confirmed) {
        long[] t = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        return Measurement.ok(v, t[t.length / 2], t[0], t.length, confirmed);
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
