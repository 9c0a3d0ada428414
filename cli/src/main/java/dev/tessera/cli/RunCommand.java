package dev.tessera.cli;

import dev.tessera.ir.Dim;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.interp.Comparison;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.passes.Pipeline;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Execution;
import dev.tessera.runtime.jit.CompiledSource;
import dev.tessera.runtime.jit.TimeSource;
import dev.tessera.runtime.jit.WarmUp;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera run}: compile, run on a device with random inputs, and optionally check against the reference. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Compile every kernel of a .tsr file (or --kernel K), run it on a device with random inputs (never "
                    + "zeros), and print one line per kernel: device, bound shape, median time, and with --check "
                    + "the largest relative error against the reference interpreter and PASS or FAIL.",
            "Symbolic dims not given by --shape take the non-power-of-two defaults 1000, 777, 333, 129, 67 in "
                    + "order of first appearance, so that edge masks are exercised."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tessera run examples/softmax.tsr --check",
            "  tessera run examples/matmul.tsr --shape M=512,K=256,N=384 --repeat 20",
            "  tessera run examples/layernorm.tsr --device reference",
            "",
            "Exit status: 0 when every kernel ran (and, with --check, passed); 1 otherwise."
        })
final class RunCommand implements Callable<Integer> {

    static final long[] DEFAULT_DIMS = {1000, 777, 333, 129, 67, 45, 31};

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .tsr source file.")
    Path file;

    @Option(names = "--shape", paramLabel = "DIM=N", split = ",", description = "Bind symbolic dims, e.g. --shape N=1024,D=4096.")
    Map<String, Long> shape = new LinkedHashMap<>();

    @Option(names = "--device", paramLabel = "D", description = "auto (per kernel: the device that measured fastest in `tessera tune`, with its schedule; "
            + "else a CUDA GPU, else an OpenCL device, else the JVM), cuda, cuda:I (the I-th CUDA GPU), opencl, opencl:I "
            + "(the I-th OpenCL device), jvm (bytecode on every core) or reference (default: ${DEFAULT-VALUE}).")
    String device = "auto";

    @Option(names = "--check", description = "Compare every output with the reference interpreter (f64) and print PASS/FAIL.")
    boolean check;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the random inputs (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--repeat", paramLabel = "R", description = "Timed runs per kernel, after a warm-up of "
            + "50-300 ms of untimed runs on a device; the median is shown (default: ${DEFAULT-VALUE}).")
    int repeat = 5;

    @Mixin
    PipelineOptions pipeline;

    @Mixin
    CacheOptions cacheOptions;

    @Override
    public Integer call() {
        if (repeat < 1 || repeat > 100_000) {
            throw new UserError("--repeat must be between 1 and 100000");
        }
        shape.forEach((k, v) -> {
            if (!Dim.NAME.matcher(k).matches() || v == null || v < 1 || v > Integer.MAX_VALUE) {
                throw new UserError("bad --shape entry " + k + "=" + v + ": a dim name and a positive extent");
            }
        });
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GraphModule module = pipeline.parse(file);
        List<GraphKernel> kernels = module.kernels();
        if (device.equals("auto") && pipeline.isDefault()) {
            CompiledSource src = CompiledSource.of(file.toString(), Sources.read(file), module);
            try (AutoTarget auto = AutoTarget.open(src, cacheOptions.open(err), err)) {
                out.println("device auto: " + auto.description());
                return runAll(kernels, (i, k, dims, inputs) -> auto.run(k, dims, inputs, repeat));
            }
        }
        try (Target target = Target.open(device, err)) {
            Pipeline.Result compiled = target.isReference() ? null : pipeline.compile(module, err, target.scheduleProfile());
            out.println("device " + target.name() + ": " + target.description());
            return runAll(kernels, (i, k, dims, inputs) -> {
                LoopProgram program = compiled == null ? null : compiled.loop().programs().get(i);
                return new Ran(target.name(), target.run(k, program, inputs, repeat), "");
            });
        }
    }

    /** One kernel's run: where it ran, what it produced, and a note for the end of its line. */
    record Ran(String device, Target.Outcome outcome, String note) {}

    /** Runs the i-th kernel of the file on its inputs. */
    @FunctionalInterface
    interface KernelRunner {
        Ran run(int index, GraphKernel k, Map<String, Long> dims, List<HostTensor> inputs);
    }

    private int runAll(List<GraphKernel> kernels, KernelRunner runner) {
        PrintWriter out = spec.commandLine().getOut();
        boolean allPass = true;
        for (int i = 0; i < kernels.size(); i++) {
            GraphKernel k = kernels.get(i);
            Map<String, Long> dims = bindDims(k);
            List<HostTensor> inputs = randomInputs(k, dims);
            Ran ran = runner.run(i, k, dims, inputs);
            Target.Outcome run = ran.outcome();
            StringBuilder line = new StringBuilder(String.format("%-18s %-12s %-22s median %s",
                    k.name(), ran.device(), describe(dims), formatTime(run.medianNs())));
            if (check) {
                List<HostTensor> expected = ReferenceInterpreter.run(k, inputs);
                double maxErr = 0;
                Comparison failed = null;
                for (int o = 0; o < expected.size(); o++) {
                    Comparison c = Comparison.compare(expected.get(o), run.outputs().get(o));
                    maxErr = Math.max(maxErr, c.maxRelError());
                    if (!c.pass() && failed == null) {
                        failed = c;
                    }
                }
                allPass &= failed == null;
                line.append(String.format("   max rel err %.2e   %s", maxErr, failed == null ? "PASS" : "FAIL"));
                if (failed != null) {
                    line.append("\n    ").append(failed.summary());
                }
            }
            if (!ran.note().isEmpty()) {
                line.append("   ").append(ran.note());
            }
            out.println(line);
            out.flush();
        }
        return allPass ? ExitCodes.OK : ExitCodes.USER_ERROR;
    }

    private Map<String, Long> bindDims(GraphKernel k) {
        return bindDims(k, shape);
    }

    /**
     * The dims of {@code k}: those given, else the defaults in order of first appearance.
     *
     * @throws UserError when the kernel's tensors at those dims would not fit in the host memory the JVM has
     */
    static Map<String, Long> bindDims(GraphKernel k, Map<String, Long> shape) {
        Map<String, Long> dims = new LinkedHashMap<>();
        int next = 0;
        for (String s : k.symbols()) {
            Long given = shape.get(s);
            dims.put(s, given != null ? given : DEFAULT_DIMS[Math.min(next++, DEFAULT_DIMS.length - 1)]);
        }
        checkFits(k, dims);
        return dims;
    }

    /** Host copies a run keeps of each element: the f64 input or output, the reference's, and device staging. */
    private static final int HOST_BYTES_PER_ELEMENT = 24;

    private static void checkFits(GraphKernel k, Map<String, Long> dims) {
        double bytes = 0;
        List<Value> tensors = new ArrayList<>(k.params());
        tensors.addAll(k.results());
        for (Value v : tensors) {
            double n = 1;
            for (long e : v.type().shape().extents(dims)) {
                n *= e;
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw new UserError(String.format("%s of kernel %s at %s has %.3g elements; host tensors hold at most "
                        + "2^31 - 9", v.name(), k.name(), describe(dims), n));
            }
            bytes += n * HOST_BYTES_PER_ELEMENT;
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new UserError(String.format("kernel %s at %s needs about %.1f GiB of host memory for its random "
                    + "inputs, outputs and reference; the JVM may use %.1f GiB. Give smaller --shape values, or "
                    + "more heap with TESSERA_JAVA_OPTS=-Xmx<size>", k.name(), describe(dims), bytes / (1L << 30),
                    heap / (double) (1L << 30)));
        }
    }

    private List<HostTensor> randomInputs(GraphKernel k, Map<String, Long> dims) {
        List<HostTensor> inputs = new ArrayList<>();
        for (int i = 0; i < k.params().size(); i++) {
            Value p = k.params().get(i);
            long[] extents = p.type().shape().extents(dims);
            inputs.add(HostTensor.random(p.type().dtype(), extents, seed * 1_000_003L + i));
        }
        return inputs;
    }

    private static String describe(Map<String, Long> dims) {
        return dims.isEmpty() ? "(no dims)" : dims.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    static String formatTime(long ns) {
        if (ns < 1_000_000) {
            return String.format("%7.1f us", ns / 1e3);
        }
        return String.format("%7.2f ms", ns / 1e6);
    }

    /** What `tessera run` aims a warm-up at: 50 to 300 ms of runs before the timed ones (see WarmUp). */
    private static final long WARMUP_TARGET_NS = 100_000_000L;

    /**
     * {@code repeat} timed runs of a compiled program on a device, after a warm-up that lets its time settle,
     * and the median of the device's times for them.
     */
    static Target.Outcome timed(Device d, CompiledProgram p, List<HostTensor> inputs, int repeat) {
        Execution first = d.run(p, inputs, 1);
        WarmUp.settle(d, p, inputs, true, TimeSource.SYSTEM, WARMUP_TARGET_NS, first.minTimeNs());
        Execution e = d.run(p, inputs, repeat);
        return new Target.Outcome(e.outputs(), median(e.deviceTimesNs().stream().mapToLong(Long::longValue).toArray()));
    }

    static long median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
