package dev.tessera.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tessera} command as a user meets it: outputs, diagnostics and exit codes. */
class CliTest {

    record Run(int code, String out, String err) {}

    static Run tessera(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static String example(String name) {
        return Examples.DIR.resolve(name).toString();
    }

    static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void softmaxAndLayernormAreEachOneOpenClKernel() {
        for (String f : new String[] {"softmax.tsr", "layernorm.tsr", "rmsnorm.tsr"}) {
            Run r = tessera("compile", example(f), "--target", "opencl", "--emit", "code");
            assertEquals(0, r.code(), r.err());
            assertEquals(1, count(r.out(), "__kernel\\b"), f + " should compile to one kernel:\n" + r.out());
        }
    }

    @Test
    void malformedFileGetsCaretDiagnosticAndExitOne(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.tsr");
        Files.writeString(bad, "kernel k(x: f32[N]) -> f32[N] {\n  return exp(x +)\n}\n");
        Run r = tessera("check", bad.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(bad + ":2:"), r.err());
        assertTrue(r.err().contains("error: expected"), r.err());
        assertTrue(r.err().contains("  return exp(x +)\n"), r.err());
        assertTrue(r.err().contains("^"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void typeErrorsAreAllReported(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("types.tsr");
        Files.writeString(bad, """
                kernel a(x: f32[N], y: f32[M]) -> f32[N] {
                  return x + y
                }
                kernel b(x: f32[N], i: i32[N]) -> f32[N] {
                  return x * i
                }
                """);
        Run r = tessera("check", bad.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(bad + ":2:"), r.err());
        assertTrue(r.err().contains(bad + ":5:"), r.err());
    }

    @Test
    void checkAcceptsEveryExample() {
        for (Path f : Examples.files()) {
            Run r = tessera("check", f.toString());
            assertEquals(0, r.code(), f + ": " + r.err());
        }
    }

    @Test
    void missingFileIsAUserError() {
        Run r = tessera("check", "no/such/file.tsr");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("tessera: error: cannot read 'no/such/file.tsr'"), r.err());
    }

    @Test
    void badUsageExitsTwo() {
        assertEquals(2, tessera("compile").code());
        assertEquals(2, tessera("compile", example("axpy.tsr"), "--no-such-flag").code());
        assertEquals(2, tessera("frobnicate").code());
    }

    @Test
    void helpOnEveryCommand() {
        for (String c : new String[] {"check", "compile", "run", "devices", "passes"}) {
            Run r = tessera(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().contains("Usage: tessera " + c), r.out());
        }
        assertTrue(tessera("--help").out().contains("Examples:"));
    }

    @Test
    void ascendcTargetWritesAProjectPerKernel(@TempDir Path dir) throws IOException {
        Run r = tessera("compile", example("attention.tsr"), "--target", "ascendc", "--cores", "48", "-o", dir.toString());
        assertEquals(0, r.code(), r.err());
        for (String p : new String[] {"attention", "softmax"}) {
            for (String f : new String[] {p + "_kernels.cpp", p + "_tiling.h", p + "_launch.h", "main.asc", "CMakeLists.txt",
                    "tessera_ascendc.h", "tessera_tiling.h"}) {
                assertTrue(Files.isRegularFile(dir.resolve(p).resolve(f)), p + "/" + f + " missing; wrote:\n" + r.out());
            }
        }
        String kernels = Files.readString(dir.resolve("attention").resolve("attention_kernels.cpp"));
        assertEquals(3, count(kernels, "extern \"C\" __global__ __aicore__ void "), kernels);
        Run bad = tessera("compile", example("axpy.tsr"), "--target", "ascendc", "--cores", "1");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--cores must be between 2 and 4096"), bad.err());
    }

    @Test
    void unknownTargetPassAndScheduleAreClearErrors() {
        Run t = tessera("compile", example("axpy.tsr"), "--target", "cuda-c");
        assertEquals(1, t.code());
        assertTrue(t.err().contains("unknown target 'cuda-c'"), t.err());
        Run p = tessera("compile", example("axpy.tsr"), "--passes", "cse,frobnicate");
        assertEquals(1, p.code());
        assertTrue(p.err().contains("unknown pass 'frobnicate'"), p.err());
        Run s = tessera("compile", example("axpy.tsr"), "--schedule", "zz=4");
        assertEquals(1, s.code());
        assertTrue(s.err().contains("unknown schedule parameter 'zz'"), s.err());
        Run w = tessera("compile", example("softmax.tsr"), "--schedule", "wg=100");
        assertEquals(1, w.code());
        assertTrue(w.err().contains("power of two"), w.err());
    }

    @Test
    void emitsEveryIrLevelAndPrintsAfterPasses() {
        assertTrue(tessera("compile", example("softmax.tsr"), "--emit", "graph").out().contains("fuse @softmax_0 reduce"));
        assertTrue(tessera("compile", example("softmax.tsr"), "--emit", "tile").out().contains("@softmax_0"));
        assertTrue(tessera("compile", example("softmax.tsr"), "--emit", "loop").out().contains("barrier"));
        Run r = tessera("compile", example("softmax.tsr"), "--emit", "graph", "--print-ir-after", "cse");
        assertTrue(r.err().contains("IR after cse"), r.err());
        Run all = tessera("compile", example("softmax.tsr"), "--print-ir-after-all");
        for (String pass : new String[] {"canonicalize", "fuse", "tile", "lower-loop"}) {
            assertTrue(all.err().contains("IR after " + pass), pass);
        }
    }

    @Test
    void writesOneFilePerKernel(@TempDir Path dir) {
        Run r = tessera("compile", example("attention.tsr"), "-o", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("attention.cl")));
        assertTrue(Files.exists(dir.resolve("softmax.cl")));
    }

    @Test
    void kernelSelection() {
        Run r = tessera("compile", example("attention.tsr"), "--kernel", "nope");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no kernel 'nope'") && r.err().contains("attention, softmax"), r.err());
    }

    @Test
    void runOnReferenceReportsEveryKernel() {
        Run r = tessera("run", example("gelu.tsr"), "--device", "reference", "--check", "--shape", "N=7,D=5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gelu ") && r.out().contains("gelu_tanh"), r.out());
        assertTrue(r.out().contains("N=7 D=5"), r.out());
        assertEquals(2, count(r.out(), "PASS"), r.out());
    }

    /** The foundation's promise: every example passes {@code tessera run --check} on the best device. */
    @Test
    void everyExamplePassesRunCheck() {
        for (Path f : Examples.files()) {
            Run r = tessera("run", f.toString(), "--check", "--repeat", "2");
            assertEquals(0, r.code(), f + ":\n" + r.out() + r.err());
            assertFalse(r.out().contains("FAIL"), r.out());
        }
    }

    @Test
    void theJvmDeviceRunsAndIsListed() {
        Run r = tessera("run", example("softmax.tsr"), "--device", "jvm", "--check", "--shape", "N=37,D=301");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("device jvm: JVM bytecode on "), r.out());
        assertEquals(1, count(r.out(), "PASS"), r.out());
        Run d = tessera("devices");
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains("\njvm  JVM bytecode on "), d.out());
        assertTrue(d.out().contains("\nascend: none ("), d.out());
        Run bad = tessera("run", example("softmax.tsr"), "--device", "gpu");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("use auto, cuda, cuda:I, opencl, opencl:I, jvm or reference"), bad.err());
    }

    @Test
    void badShapeIsAUserError() {
        Run r = tessera("run", example("axpy.tsr"), "--shape", "N=0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad --shape entry N=0"), r.err());
    }

    @Test
    void shapesTooLargeForTheHostAreUserErrorsNotCrashes() {
        Run huge = tessera("run", example("gelu.tsr"), "--device", "jvm", "--shape", "N=100000000,D=100");
        assertEquals(1, huge.code(), huge.err());
        assertTrue(huge.err().contains("x of kernel gelu at N=100000000 D=100 has 1.00e+10 elements"), huge.err());
        // 2e9 elements fit an array, but not twice over in any test JVM's heap.
        Run big = tessera("tune", example("softmax.tsr"), "--device", "jvm", "--shape", "N=2000000,D=1000");
        assertEquals(1, big.code(), big.err());
        assertTrue(big.err().contains("needs about 89.4 GiB of host memory"), big.err());
        assertTrue(big.err().contains("TESSERA_JAVA_OPTS=-Xmx"), big.err());
        assertFalse(big.err().contains("Exception"), big.err());
    }
}
