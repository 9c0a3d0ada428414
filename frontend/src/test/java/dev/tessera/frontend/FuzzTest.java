package dev.tessera.frontend;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.DiagnosticRenderer;
import dev.tessera.ir.graph.GraphKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Broken inputs made from the examples (every truncation, random edits) compile or fail with diagnostics only:
 * never another exception, never an internal error, and every diagnostic points into the file and renders.
 */
class FuzzTest {

    private static final String[] PIECES = {
        "(", ")", "[", "]", "{", "}", ",", "=", "<", ">", "-", "@", "*", "let ", "return ", "kernel ", "x", "N",
        "f32", "i32[", "1", "1.5", "-1", "true", "cast<f16>", "sum(", "axis=", "#", "\n", " ", ";", "$", "softmax(",
    };

    private static List<String> sources() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("..", "examples"))) {
            // Only the DSL sources: examples/ also holds other things (examples/java/).
            for (Path p : s.filter(f -> f.toString().endsWith(".tsr")).sorted().toList()) {
                out.add(Files.readString(p));
            }
        }
        try (Stream<Path> s = Files.list(Path.of("src", "test", "resources", "invalid"))) {
            for (Path p : s.sorted().toList()) {
                out.add(Files.readString(p));
            }
        }
        return out;
    }

    private static void check(String source) {
        try {
            for (GraphKernel k : Frontend.compile("fuzz.tsr", source).kernels()) {
                ExamplesTest.assertWellFormed(k, "fuzz.tsr");
            }
        } catch (CompileException e) {
            List<Diagnostic> ds = e.diagnostics();
            assertFalse(ds.isEmpty(), "CompileException without diagnostics");
            int lines = Math.max(1, (int) source.lines().count());
            for (Diagnostic d : ds) {
                if (d.message().startsWith("internal compiler error")) {
                    fail(d.message() + "\nfor input:\n" + source);
                }
                assertTrue(d.span().line() >= 1 && d.span().line() <= lines + 1,
                        "span " + d.span() + " outside the input:\n" + source);
            }
            new DiagnosticRenderer(source).renderAll(ds);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("input made the frontend throw " + e + ":\n" + source, e);
        }
    }

    @Test
    void everyTruncationOfEveryExample() throws IOException {
        for (String s : sources()) {
            for (int cut = 0; cut <= s.length(); cut++) {
                check(s.substring(0, cut));
            }
        }
    }

    @Test
    void randomEdits() throws IOException {
        Random random = new Random(20240611);
        List<String> sources = sources();
        for (int round = 0; round < 3000; round++) {
            StringBuilder sb = new StringBuilder(sources.get(random.nextInt(sources.size())));
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && !sb.isEmpty(); e++) {
                int at = random.nextInt(sb.length());
                switch (random.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, PIECES[random.nextInt(PIECES.length)]);
                    default -> sb.delete(at, Math.min(sb.length(), at + 1 + random.nextInt(12)));
                }
            }
            check(sb.toString());
        }
    }
}
