package dev.tessera.codegen.ptx;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.frontend.Frontend;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.passes.Pipeline;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the PTX backend's benchmark (docs/performance.md). For softmax, layernorm and matmul it times
 * the whole DSL-to-PTX compile in a warm JVM (parse, check, every pass with verification, emit) against
 * {@code nvcc -ptx} of hand-written CUDA C kernels of the same algorithm (src/test/resources/bench/*.cu), and
 * compares what {@code ptxas -v} makes of both: registers and spills. Tagged "benchmark", which the build
 * excludes; run it with
 *
 * <pre>./mvnw -o -q -pl codegen-ptx -am test -Dtest=PtxBenchmark -DexcludedTestGroups=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * It prints a Markdown table and writes it to codegen-ptx/target/ptx-benchmark.md.
 */
@Tag("benchmark")
class PtxBenchmark {

    private static final List<String> KERNELS = List.of("softmax", "layernorm", "matmul");
    private static final int WARMUP = 1000;
    private static final int MEASURED = 200;
    private static final int NVCC_RUNS = 5;

    record Row(String kernel, PtxArch arch, double tesseraMs, double nvccMs, Ptxas.KernelStats ours,
            Ptxas.KernelStats theirs) {}

    @Test
    void compileTimeAndRegistersAgainstNvcc() throws Exception {
        assumeTrue(Ptxas.unavailable().isEmpty(), () -> Ptxas.unavailable().orElse(""));
        assumeTrue(onPath("nvcc"), "nvcc is not on the PATH");
        List<Row> rows = new ArrayList<>();
        for (PtxArch arch : List.of(PtxArch.SM_80, PtxArch.SM_90)) {
            for (String k : KERNELS) {
                rows.add(measure(k, arch));
            }
        }
        String table = table(rows);
        System.out.println(table);
        Files.writeString(Path.of("target", "ptx-benchmark.md"), table);
    }

    private Row measure(String kernel, PtxArch arch) throws Exception {
        Path tsr = Kernels.EXAMPLES.resolve(kernel + ".tsr");
        String source = Files.readString(tsr);
        // Warm: the JIT has compiled the compiler before anything is timed.
        String ptx = null;
        for (int i = 0; i < WARMUP; i++) {
            ptx = dslToPtx(tsr.toString(), source, arch);
        }
        long[] ns = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            long t0 = System.nanoTime();
            ptx = dslToPtx(tsr.toString(), source, arch);
            ns[i] = System.nanoTime() - t0;
        }
        Path dir = Files.createTempDirectory("tessera-bench");
        Path cu = dir.resolve(kernel + ".cu");
        try (InputStream in = PtxBenchmark.class.getResourceAsStream("/bench/" + kernel + ".cu")) {
            Files.write(cu, in.readAllBytes());
        }
        Path nvPtx = dir.resolve(kernel + ".nvcc.ptx");
        long[] nvccNs = new long[NVCC_RUNS];
        for (int i = 0; i < NVCC_RUNS; i++) {
            long t0 = System.nanoTime();
            run(List.of("nvcc", "-ptx", "-arch=" + arch.target(), cu.toString(), "-o", nvPtx.toString()));
            nvccNs[i] = System.nanoTime() - t0;
        }
        Ptxas.KernelStats ours = onlyKernel(ptx, arch);
        Ptxas.KernelStats theirs = onlyKernel(Files.readString(nvPtx), arch);
        return new Row(kernel, arch, median(ns) / 1e6, median(nvccNs) / 1e6, ours, theirs);
    }

    /** What `tessera compile --target ptx` does once the JVM is warm: parse, every pass (verified), emit. */
    static String dslToPtx(String name, String source, PtxArch arch) {
        GraphModule m = Frontend.compile(name, source);
        Pipeline.Options options = new Pipeline.Options(Map.of(), true, Set.of(), false, (p, t) -> { });
        List<LoopProgram> programs = Pipeline.defaults().run(m, options).loop().programs();
        StringBuilder sb = new StringBuilder();
        for (LoopProgram p : programs) {
            sb.append(PtxEmitter.emit(p, arch));
        }
        return sb.toString();
    }

    private static Ptxas.KernelStats onlyKernel(String ptx, PtxArch arch) {
        Ptxas.Result r = Ptxas.assemble(ptx, arch, true);
        if (!r.ok()) {
            throw new AssertionError("ptxas failed:\n" + Ptxas.explain(ptx, r.log()));
        }
        List<Ptxas.KernelStats> stats = Ptxas.stats(r.log());
        if (stats.size() != 1) {
            throw new AssertionError("expected one kernel:\n" + r.log());
        }
        return stats.getFirst();
    }

    private static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| kernel | arch | Tessera DSL→PTX, warm (ms) | nvcc -ptx (ms) | ratio | registers Tessera / nvcc |"
                + " spills Tessera / nvcc (bytes st+ld) | goals met |\n");
        sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Row r : rows) {
            double ratio = r.tesseraMs() / r.nvccMs();
            double regs = (double) r.ours().registers() / r.theirs().registers();
            boolean fast = ratio <= 0.1;
            boolean lean = regs <= 1.25;
            boolean noSpill = !r.ours().spills();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.0f | 1/%.0f | %d / %d (%.2f×) | %d / %d | %s |%n",
                    r.kernel(), r.arch(), r.tesseraMs(), r.nvccMs(), 1 / ratio, r.ours().registers(),
                    r.theirs().registers(), regs, r.ours().spillStoreBytes() + r.ours().spillLoadBytes(),
                    r.theirs().spillStoreBytes() + r.theirs().spillLoadBytes(),
                    (fast ? "time ✓" : "time ✗") + ", " + (lean ? "registers ✓" : "registers ✗") + ", "
                            + (noSpill ? "no spills ✓" : "spills ✗")));
        }
        return sb.toString();
    }

    private static double median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
        }
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, exe)));
    }
}
