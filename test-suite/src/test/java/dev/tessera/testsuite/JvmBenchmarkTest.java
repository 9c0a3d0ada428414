package dev.tessera.testsuite;

import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.interp.Comparison;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.passes.tile.Schedules;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.jvm.JvmDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The JVM backend against hand-written Java ({@link HandWritten}) on softmax, layernorm, matmul and gelu at the
 * CLI's default shapes, measured side by side in one process: both warm up first, then runs alternate so that
 * load from elsewhere hits both alike, and the medians are compared. Not a test: tagged {@code benchmark}, which
 * the build leaves out unless asked, with
 * <pre>./mvnw -o -pl test-suite test -Pbenchmark</pre>
 * It prints a Markdown table and writes it to {@code test-suite/target/jvm-benchmark.md}.
 */
@Tag("benchmark")
class JvmBenchmarkTest {

    /** The CLI's default shapes: {@code tessera run} binds N, D (or M, K, N) to these. */
    private static final long[] DIMS = {1000, 777, 333};
    private static final int WARMUP = 15;
    /** Warm-up lasts at least this long too, so that kernels of microseconds reach the JIT's last tier. */
    private static final long WARMUP_NS = 2_000_000_000L;
    private static final int RUNS = 31;

    /**
     * One example with one schedule (the jvm device's defaults, or a GPU's, which the jvm device had before it
     * had its own): its kernel, and the same computation by hand on the same inputs.
     */
    private record Case(String file, String kernel, Schedules.Profile defaults, long[] extents,
            Consumer<float[][]> hand) {

        Case(String file, String kernel, Schedules.Profile defaults, Consumer<float[][]> hand) {
            this(file, kernel, defaults, DIMS, hand);
        }
    }

    private static final Schedules.Profile JVM = Schedules.Profile.JVM;
    private static final Schedules.Profile GPU = Schedules.Profile.GPU;

    @Test
    void jvmAgainstHandWrittenJava() throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        Consumer<float[][]> softmax = a -> HandWritten.softmax(a[0], a[1], 1000, 777);
        Consumer<float[][]> layernorm = a -> HandWritten.layernorm(a[0], a[1], a[2], a[3], 1000, 777);
        List<Case> cases = List.of(
                new Case("softmax.tsr", "softmax", JVM, softmax),
                new Case("softmax.tsr", "softmax", GPU, softmax),
                new Case("layernorm.tsr", "layernorm", JVM, layernorm),
                new Case("layernorm.tsr", "layernorm", GPU, layernorm),
                new Case("rmsnorm.tsr", "rmsnorm", JVM, a -> HandWritten.rmsnorm(a[0], a[1], a[2], 1000, 777)),
                new Case("matmul.tsr", "matmul", JVM, a -> HandWritten.matmul(a[0], a[1], a[2], 1000, 777, 333)),
                new Case("linear_bias_relu.tsr", "linear_bias_relu", JVM,
                        a -> HandWritten.linearBiasRelu(a[0], a[1], a[2], a[3], 1000, 777, 333)),
                new Case("attention.tsr", "attention", JVM,
                        a -> HandWritten.attention(a[0], a[1], a[2], a[3][0], a[4], 1000, 777, 333)),
                new Case("gelu.tsr", "gelu", JVM, a -> HandWritten.gelu(a[0], a[1])),
                new Case("gelu.tsr", "gelu_tanh", JVM, a -> HandWritten.geluTanh(a[0], a[1])),
                // At the CLI's N=1000 axpy is a few hundred nanoseconds: a measure of launch overhead.
                new Case("axpy.tsr", "axpy", JVM, a -> HandWritten.axpy(a[0][0], a[1], a[2], a[3])),
                new Case("axpy.tsr", "axpy", JVM, new long[] {1 << 20}, a -> HandWritten.axpy(a[0][0], a[1], a[2], a[3])));
        StringBuilder table = new StringBuilder();
        table.append("| kernel | shape | schedule defaults | hand-written Java, 1 thread | jvm, 1 thread | jvm, ").append(cores)
                .append(" threads | hand / jvm (1 thread) | hand / jvm (").append(cores)
                .append(" threads) | cores the ").append(cores).append("-thread runs got |\n");
        table.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        // Process CPU time over wall time during the multi-threaded runs: on a shared machine, what the pool got.
        var cpu = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        try (JvmDevice one = new JvmDevice(1); JvmDevice all = new JvmDevice(cores)) {
            for (Case c : cases) {
                GraphModule module = Examples.parse(Examples.DIR.resolve(c.file()));
                GraphKernel k = module.kernels().stream().filter(g -> g.name().equals(c.kernel())).findFirst().orElseThrow();
                Map<String, Long> dims = Examples.dims(k, c.extents());
                List<HostTensor> in = Examples.inputs(k, dims, 1);
                LoopProgram p = DifferentialTest.compile(module, c.kernel(), Map.of(), c.defaults());
                CompiledProgram p1 = one.compile(p);
                CompiledProgram pn = all.compile(p);
                float[][] arrays = arrays(in, k, dims);
                long[][] times = new long[3][RUNS];
                long cpuNs = 0;
                long wallNs = 0;
                HostTensor last = null;
                long warmUntil = System.nanoTime() + WARMUP_NS;
                for (int w = 0; w < WARMUP || System.nanoTime() < warmUntil; w++) {
                    c.hand().accept(arrays);
                    one.run(p1, in, 1);
                    all.run(pn, in, 1);
                }
                for (int r = 0; r < RUNS; r++) {
                    long t0 = System.nanoTime();
                    c.hand().accept(arrays);
                    long hand = System.nanoTime() - t0;
                    long single = one.run(p1, in, 1).deviceTimesNs().getFirst();
                    long cpu0 = cpu.getProcessCpuTime();
                    long wall0 = System.nanoTime();
                    var run = all.run(pn, in, 1);
                    cpuNs += cpu.getProcessCpuTime() - cpu0;
                    wallNs += System.nanoTime() - wall0;
                    times[0][r] = hand;
                    times[1][r] = single;
                    times[2][r] = run.deviceTimesNs().getFirst();
                    last = run.output(0);
                }
                // Both sides must compute the same thing, or the comparison says nothing.
                HostTensor byHand = new HostTensor(last.dtype(), last.shape(), toDoubles(arrays[arrays.length - 1]));
                Comparison agree = Comparison.compare(last, byHand);
                if (!agree.pass()) {
                    throw new AssertionError(c.kernel() + ": hand-written and jvm disagree: " + agree.summary());
                }
                double hand = Timing.median(times[0]);
                double single = Timing.median(times[1]);
                double multi = Timing.median(times[2]);
                table.append(String.format("| %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f |%n", c.kernel(),
                        shape(dims), (c.defaults() == JVM ? "jvm" : "gpu") + ", group " + schedule(p),
                        Timing.format(hand), Timing.format(single), Timing.format(multi), hand / single, hand / multi,
                        cpuNs / (double) wallNs));
            }
        }
        String report = "Ratios above 1 mean the jvm device is faster. " + cores + " cores, Java "
                + Runtime.version() + ", " + System.getProperty("os.arch") + "; medians of " + RUNS + " runs after "
                + WARMUP + " warm-up runs (and at least " + WARMUP_NS / 1_000_000_000 + " s of them).\n\n" + table;
        System.out.println(report);
        Path out = Path.of("target", "jvm-benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    /** Inputs as float arrays, then one more array for the output. */
    private static float[][] arrays(List<HostTensor> in, GraphKernel k, Map<String, Long> dims) {
        float[][] a = new float[in.size() + 1][];
        for (int i = 0; i < in.size(); i++) {
            double[] d = in.get(i).data();
            a[i] = new float[d.length];
            for (int j = 0; j < d.length; j++) {
                a[i][j] = (float) d[j];
            }
        }
        a[in.size()] = new float[Math.toIntExact(k.results().getFirst().type().shape().elementCount(dims))];
        return a;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }



    /** The work-group shape the kernels were lowered to, e.g. {@code wg=1} or {@code 16x16}. */
    private static String schedule(LoopProgram p) {
        return p.kernels().stream().map(k -> k.localSize().stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining("x"))).collect(java.util.stream.Collectors.joining(" "));
    }

    private static String shape(Map<String, Long> dims) {
        List<String> parts = new ArrayList<>();
        dims.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }
}
