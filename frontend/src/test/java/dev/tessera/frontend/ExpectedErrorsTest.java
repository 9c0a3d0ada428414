package dev.tessera.frontend;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.DiagnosticRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every {@code src/test/resources/invalid/*.tsr}: each {@code # expected-error {{text}}} (same line),
 * {@code @+N} or {@code @-N} (N lines below or above) must match a reported error on that line whose message
 * contains the text, and every reported error must be expected.
 */
class ExpectedErrorsTest {

    private static final Pattern ANNOTATION =
            Pattern.compile("#\\s*expected-error(?:@([+-]\\d+))?\\s*\\{\\{(.*?)}}");

    record Expectation(int line, String text) {}

    static Stream<Path> files() throws IOException {
        Path dir = Path.of("src", "test", "resources", "invalid");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".tsr")).sorted().toList().stream();
        }
    }

    static List<Expectation> expectations(String source) {
        List<Expectation> out = new ArrayList<>();
        List<String> lines = source.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = ANNOTATION.matcher(lines.get(i));
            while (m.find()) {
                int offset = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
                out.add(new Expectation(i + 1 + offset, m.group(2)));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void reportsExactlyTheExpectedErrors(Path file) throws IOException {
        String source = Files.readString(file);
        List<Expectation> expected = expectations(source);
        assertFalse(expected.isEmpty(), "no expected-error annotations in " + file);
        List<Diagnostic> reported;
        try {
            Frontend.compile(file.getFileName().toString(), source);
            reported = List.of();
        } catch (CompileException e) {
            reported = e.diagnostics();
        }
        List<String> problems = new ArrayList<>();
        for (Expectation x : expected) {
            boolean found = reported.stream()
                    .anyMatch(d -> d.span().line() == x.line() && d.message().contains(x.text()));
            if (!found) {
                problems.add("line " + x.line() + ": expected an error containing \"" + x.text() + "\"");
            }
        }
        for (Diagnostic d : reported) {
            boolean wanted = expected.stream()
                    .anyMatch(x -> d.span().line() == x.line() && d.message().contains(x.text()));
            if (!wanted) {
                problems.add("line " + d.span().line() + ": unexpected error \"" + d.message() + "\"");
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\n\nall diagnostics:\n"
                    + new DiagnosticRenderer(source).renderAll(reported));
        }
    }
}
