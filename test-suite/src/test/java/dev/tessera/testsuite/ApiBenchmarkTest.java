package dev.tessera.testsuite;

import dev.tessera.api.DType;
import dev.tessera.api.Kernel;
import dev.tessera.api.Tensor;
import dev.tessera.api.Tessera;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.runtime.StorageCodec;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the Java API costs around a kernel, measured side by side in one process, per example and device:
 * {@code runInto} back to back in a loop, {@code runInto} alternating with the other two (into a tensor made once:
 * nothing allocated per call), {@code run} with {@code close} (a result
 * tensor made and freed per call), and {@code run} with the conversions the API made before devices took the
 * tensors' own memory (every input decoded to doubles and encoded again, the result decoded and encoded). That
 * last column is a lower bound of the old cost: its re-encoding goes to a confined arena, where the old jvm run
 * used a shared one. Not a test: tagged {@code benchmark},
 * <pre>./mvnw -o -q install -DskipTests && ./mvnw -o -pl test-suite test -Pbenchmark -Dtest=ApiBenchmarkTest</pre>
 * It prints a Markdown table and writes it to {@code test-suite/target/api-benchmark.md}.
 */
@Tag("benchmark")
class ApiBenchmarkTest {

    private static final long WARMUP_NS = 2_000_000_000L;
    private static final int RUNS = 41;

    private record Case(String file, String kernel, long[] shape) {}

    @Test
    void apiAgainstItself() throws IOException {
        List<Case> cases = List.of(
                new Case("axpy.tsr", "axpy", new long[] {1000}),
                new Case("axpy.tsr", "axpy", new long[] {1 << 20}),
                new Case("softmax.tsr", "softmax", new long[] {1000, 777}),
                new Case("layernorm.tsr", "layernorm", new long[] {1000, 777}));
        StringBuilder table = new StringBuilder();
        table.append("| kernel | shape | device | runInto in a loop | runInto | run + close | through doubles + close |"
                + " run / runInto | doubles / run |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String device : List.of("jvm", "opencl")) {
            try (Tessera t = Tessera.create(Tessera.Options.defaults().withDevice(device).withoutCache())) {
                for (Case c : cases) {
                    table.append(row(t, device, c));
                }
            } catch (IllegalArgumentException noSuchDevice) {
                table.append("| (").append(device).append(": ").append(noSuchDevice.getMessage()).append(") |\n");
            }
        }
        String report = "Medians of " + RUNS + " alternating runs after " + WARMUP_NS / 1_000_000_000
                + " s of warm-up; " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version()
                + ".\n\n" + table;
        System.out.println(report);
        Path out = Path.of("target", "api-benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static String row(Tessera t, String device, Case c) {
        Kernel k = t.load(Examples.DIR.resolve(c.file())).kernel(c.kernel());
        GraphKernel g = Examples.parse(Examples.DIR.resolve(c.file())).kernels().stream()
                .filter(x -> x.name().equals(c.kernel())).findFirst().orElseThrow();
        List<Tensor> inputs = new ArrayList<>();
        for (HostTensor h : Examples.inputs(g, Examples.dims(g, c.shape()), 1)) {
            inputs.add(t.tensor(DType.F32, h.shape()).copyFrom(h.data()));
        }
        Tensor[] args = inputs.toArray(Tensor[]::new);
        Tensor into = k.runOne(args);
        LongSupplier runInto = () -> time(() -> k.runInto(List.of(into), args));
        LongSupplier run = () -> time(() -> k.runOne(args).close());
        LongSupplier doubles = () -> time(() -> throughDoubles(k, args).close());
        long until = System.nanoTime() + WARMUP_NS;
        while (System.nanoTime() < until) {
            runInto.getAsLong();
            run.getAsLong();
            doubles.getAsLong();
        }
        long[][] times = new long[3][RUNS];
        for (int r = 0; r < RUNS; r++) {
            times[0][r] = runInto.getAsLong();
            times[1][r] = run.getAsLong();
            times[2][r] = doubles.getAsLong();
        }
        // The same runInto back to back, as a loop calling one small kernel makes it: each sample is a batch of
        // calls lasting about 10 ms, divided by its count.
        int batch = (int) Math.clamp(10_000_000L / Math.max(1L, (long) Timing.median(times[0])), 1, 10_000);
        long[] loop = new long[RUNS];
        for (int r = 0; r < RUNS; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                k.runInto(List.of(into), args);
            }
            loop[r] = (System.nanoTime() - t0) / batch;
        }
        double a = Timing.median(times[0]);
        double b = Timing.median(times[1]);
        double d = Timing.median(times[2]);
        return String.format("| %s | %s | %s | %s | %s | %s | %s | %.2f | %.2f |%n", c.kernel(),
                Arrays.toString(c.shape()), device, Timing.format(Timing.median(loop)), Timing.format(a),
                Timing.format(b), Timing.format(d), b / a, d / b);
    }

    /** {@code run} with the conversions the API made before: see the class comment. */
    private static Tensor throughDoubles(Kernel k, Tensor[] args) {
        try (Arena device = Arena.ofConfined()) {
            for (Tensor a : args) {
                HostTensor h = StorageCodec.decode(dev.tessera.ir.DType.F32, a.shape(), a.segment());
                StorageCodec.encode(device, h);
            }
            Tensor out = k.runOne(args);
            HostTensor result = StorageCodec.decode(dev.tessera.ir.DType.F32, out.shape(), out.segment());
            StorageCodec.encode(result, out.segment());
            return out;
        }
    }

    private static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }


}
