package dev.tessera.cli;

import dev.tessera.ir.Dim;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;
import dev.tessera.runtime.cache.KernelCache;
import dev.tessera.runtime.jit.CompiledSource;
import dev.tessera.runtime.jit.DeviceIdentity;
import dev.tessera.runtime.jit.DevicePolicy;
import dev.tessera.runtime.jit.Jit;
import dev.tessera.runtime.jit.KernelRequest;
import dev.tessera.runtime.jit.Measurement;
import dev.tessera.runtime.jit.TimeSource;
import dev.tessera.runtime.jit.Tuner;
import dev.tessera.runtime.jit.TuningResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera tune}: time the schedule variants of kernels on devices and cache the fastest correct one. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {
            "Time the schedule variants of every kernel of a .tsr file (or --kernel K) on every device present (or "
                    + "--device D), with random inputs at the given shape, and cache the fastest variant whose "
                    + "results match the reference interpreter. `tessera run --device auto` and the Java API then "
                    + "use it, on the device that measured fastest, for shapes in the same bucket (each dim rounded "
                    + "up to a power of two).",
            "Each candidate gets a warm-up run (checked against the reference) and timed runs; the median counts. "
                    + "Times are the device's own where it reports them. Progress goes to stderr, the table to stdout."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tessera tune examples/softmax.tsr",
            "  tessera tune examples/matmul.tsr --shape M=512,K=512,N=512 --budget 2m",
            "  tessera tune examples/attention.tsr --kernel softmax --device opencl:0",
            "",
            "Exit status: 0 when every kernel found a valid variant on every device; 1 otherwise."
        })
final class TuneCommand implements Callable<Integer> {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .tsr source file.")
    Path file;

    @Option(names = "--kernel", paramLabel = "K", description = "Only this kernel of the file (default: all).")
    String kernel;

    @Option(names = "--shape", paramLabel = "DIM=N", split = ",", description = "Bind symbolic dims (default as for run: 1000, 777, 333, ...).")
    Map<String, Long> shape = new LinkedHashMap<>();

    @Option(names = "--device", paramLabel = "D", description = "all (every device present), a kind (opencl), opencl:I or a device id (default: ${DEFAULT-VALUE}).")
    String device = "all";

    @Option(names = "--budget", paramLabel = "TIME", description = "Time for the whole command, e.g. 30s, 2m, 500ms (default: ${DEFAULT-VALUE}); "
            + "shared among kernels and devices. The default schedule is always measured.")
    String budget = "30s";

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the random inputs (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--progress", paramLabel = "MODE", description = "auto (a bar when stderr is a terminal, else lines), bar, plain or none (default: ${DEFAULT-VALUE}).")
    Progress.Mode progress = Progress.Mode.auto;

    @Mixin
    CacheOptions cacheOptions;

    /** The clock the tuner and the budget run on; tests may replace it. */
    TimeSource clock = TimeSource.SYSTEM;

    @Override
    public Integer call() {
        Duration total = parseDuration(budget);
        shape.forEach((k, v) -> {
            if (!Dim.NAME.matcher(k).matches() || v == null || v < 1 || v > Integer.MAX_VALUE) {
                throw new UserError("bad --shape entry " + k + "=" + v + ": a dim name and a positive extent");
            }
        });
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text = Sources.read(file);
        CompiledSource src = CompiledSource.compile(file.toString(), text);
        List<String> kernels = kernel == null ? src.kernelNames() : List.of(kernel);
        if (kernel != null && !src.kernelNames().contains(kernel)) {
            throw new UserError("no kernel '" + kernel + "' in " + file + "; it has: " + String.join(", ", src.kernelNames()));
        }
        KernelCache cache = cacheOptions.open(err);
        try (Devices found = Devices.discover(err::println); Jit jit = new Jit(Optional.of(cache), line -> err.println(line))) {
            List<Device> devices = select(found, device);
            long start = clock.nanoTime();
            int tasks = kernels.size() * devices.size();
            List<TuningResult> results = new ArrayList<>();
            Progress listener = new Progress(err, progress);
            for (String name : kernels) {
                GraphKernel k = src.kernel(name);
                Map<String, Long> dims = RunCommand.bindDims(k, shape);
                KernelRequest request = src.request(name, dims);
                List<HostTensor> inputs = Jit.randomInputs(k, dims, seed);
                List<HostTensor> expected = ReferenceInterpreter.run(k, inputs);
                for (Device d : devices) {
                    // An even share of what is left, so that a slow first kernel cannot starve the others.
                    long left = Math.max(0, total.toNanos() - (clock.nanoTime() - start));
                    Duration share = Duration.ofNanos(left / Math.max(1, tasks - results.size()));
                    Tuner tuner = new Tuner(clock, Tuner.Settings.withBudget(share), listener);
                    results.add(jit.tune(src, request, d, tuner, inputs, expected));
                }
            }
            boolean allFound = true;
            for (TuningResult r : results) {
                printCandidates(out, r);
                allFound &= r.winner().isPresent();
            }
            printSummary(out, results, cache);
            return allFound ? ExitCodes.OK : ExitCodes.USER_ERROR;
        }
    }

    /** The devices {@code spec} names among those found. */
    static List<Device> select(Devices found, String spec) {
        List<Device> all = found.all();
        String why = found.openClUnavailable().map(r -> " (" + r + ")").orElse("");
        if (all.isEmpty()) {
            throw new UserError("no device to tune on" + why + "; the reference interpreter has nothing to tune");
        }
        if (spec.equals("all") || spec.equals("auto")) {
            return all;
        }
        Matcher indexed = Pattern.compile("([a-z]+):(\\d+)").matcher(spec);
        if (indexed.matches()) {
            List<Device> ofKind = all.stream().filter(d -> DeviceIdentity.kindOf(d.id()).equals(indexed.group(1))).toList();
            int i = Integer.parseInt(indexed.group(2));
            if (i < ofKind.size()) {
                return List.of(ofKind.get(i));
            }
        }
        List<Device> matching = all.stream().filter(d -> d.id().equals(spec)
                || (!spec.contains(":") && DeviceIdentity.kindOf(d.id()).equals(spec))).toList();
        if (matching.isEmpty()) {
            throw new UserError("no device '" + spec + "'; present: " + String.join(", ",
                    all.stream().map(Device::id).toList()) + " (see `tessera devices`)");
        }
        return spec.contains(":") ? matching : List.of(matching.getFirst());
    }

    static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s.strip());
        if (!m.matches()) {
            throw new UserError("bad --budget '" + s + "': a number with ms, s, m or h, e.g. 30s or 2m");
        }
        double v = Double.parseDouble(m.group(1));
        double unitNs = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1e6;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> 1e9;
        };
        return Duration.ofNanos((long) Math.min(v * unitNs, Long.MAX_VALUE / 2.0));
    }

    private static void printCandidates(PrintWriter out, TuningResult r) {
        out.printf("%s on %s (%s, %s timing):%n", r.request().kernel(), r.device().id(), r.request().shapeText(),
                r.timing());
        out.printf("  %-44s %11s %11s %5s %10s  %s%n", "schedule", "median", "min", "runs", "vs default", "status");
        Measurement base = r.baseline();
        Optional<Measurement> winner = r.winner();
        for (int i = 0; i < r.measurements().size(); i++) {
            Measurement m = r.measurements().get(i);
            String name = m.variant().display() + (i == 0 ? " (default)" : "");
            String ratio = m.ok() && base.ok() ? String.format("%.2fx", (double) base.medianNs() / m.medianNs()) : "-";
            String status = m.status().label() + (m.confirmed() ? ", confirmed" : "")
                    + (m.note().isEmpty() ? "" : ": " + m.note());
            if (winner.isPresent() && winner.get() == m) {
                status += "  <- winner";
            }
            out.printf("  %-44s %11s %11s %5s %10s  %s%n", name, m.ok() ? DevicePolicy.formatNs(m.medianNs()) : "-",
                    m.ok() ? DevicePolicy.formatNs(m.minNs()) : "-", m.ok() ? Integer.toString(m.runs()) : "-",
                    ratio, status);
        }
        out.println();
    }

    private static void printSummary(PrintWriter out, List<TuningResult> results, KernelCache cache) {
        out.printf("%-18s %-12s %-20s %11s %11s %8s  %s%n", "kernel", "device", "shape", "default", "tuned",
                "speedup", "winner");
        for (TuningResult r : results) {
            Measurement base = r.baseline();
            out.printf("%-18s %-12s %-20s %11s %11s %8s  %s%n", r.request().kernel(), r.device().id(),
                    r.request().shapeText(), base.ok() ? DevicePolicy.formatNs(base.medianNs()) : base.status().label(),
                    r.winner().map(w -> DevicePolicy.formatNs(w.medianNs())).orElse("-"),
                    r.winner().isPresent() ? String.format("%.2fx", r.speedup()) : "-",
                    r.winner().map(w -> w.variant().display()).orElse("none valid: nothing cached"));
        }
        out.println("cached in " + cache.directory());
        out.flush();
    }
}
