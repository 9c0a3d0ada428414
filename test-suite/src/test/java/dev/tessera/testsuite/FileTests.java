package dev.tessera.testsuite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tessera.codegen.opencl.OpenClEmitter;
import dev.tessera.frontend.Frontend;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.GraphParser;
import dev.tessera.ir.graph.GraphPrinter;
import dev.tessera.ir.loop.LoopPrinter;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.tile.TilePrinter;
import dev.tessera.passes.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests under {@code filetests/<pass>/}: each file has a {@code RUN:} line with
 * {@code --passes=LIST --emit graph|tile|loop|code [--schedule k=v,...]}, an input (graph IR in
 * {@code .tir} files, DSL in {@code .tsr} files) and {@code CHECK} lines matched against the emitted text.
 */
class FileTests {

    static final Path ROOT = Path.of("src/test/resources/filetests");
    private static final Pattern RUN = Pattern.compile("^\\s*(?://|#)\\s*RUN:(.*)$", Pattern.MULTILINE);

    @TestFactory
    Stream<DynamicTest> filetests() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT)) {
            files = s.filter(p -> p.toString().endsWith(".tir") || p.toString().endsWith(".tsr")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no filetests found under " + ROOT.toAbsolutePath());
        return files.stream().map(f -> DynamicTest.dynamicTest(ROOT.relativize(f).toString(), () -> runOne(f)));
    }

    static void runOne(Path file) throws IOException {
        String text = Files.readString(file);
        Matcher run = RUN.matcher(text);
        if (!run.find()) {
            throw new AssertionError(file + ": no RUN: line");
        }
        String passes = Pipeline.DEFAULT;
        String emit = "graph";
        Map<String, Integer> schedule = new LinkedHashMap<>();
        for (String arg : run.group(1).trim().split("\\s+")) {
            if (arg.startsWith("--passes=")) {
                passes = arg.substring("--passes=".length());
            } else if (arg.startsWith("--emit=")) {
                emit = arg.substring("--emit=".length());
            } else if (arg.startsWith("--schedule=")) {
                for (String kv : arg.substring("--schedule=".length()).split(",")) {
                    String[] p = kv.split("=");
                    schedule.put(p[0], Integer.parseInt(p[1]));
                }
            } else if (!arg.isEmpty()) {
                throw new AssertionError(file + ": unknown RUN argument " + arg);
            }
        }
        // Directive lines become blank lines so that parse errors keep their line numbers.
        String input = text.lines().map(l -> l.stripLeading().startsWith("//") ? "" : l)
                .reduce(new StringBuilder(), (sb, l) -> sb.append(l).append('\n'), StringBuilder::append).toString();
        GraphModule module = file.toString().endsWith(".tsr")
                ? Frontend.compile(file.toString(), input)
                : GraphParser.parse(input);
        Pipeline.Result r = Pipeline.parse(passes).run(module,
                new Pipeline.Options(schedule, true, Set.of(), false, (p, t) -> { }));
        String output = switch (emit) {
            case "graph" -> GraphPrinter.print(r.graph());
            case "tile" -> TilePrinter.print(r.tile());
            case "loop" -> LoopPrinter.print(r.loop());
            case "code" -> {
                List<String> code = new ArrayList<>();
                for (LoopProgram p : r.loop().programs()) {
                    code.add(OpenClEmitter.emit(p));
                }
                yield String.join("\n", code);
            }
            default -> throw new AssertionError(file + ": bad --emit=" + emit);
        };
        List<FileCheck.Directive> ds = FileCheck.directives(text);
        assertFalse(ds.isEmpty(), file + " has no CHECK lines");
        String failure = FileCheck.check(ds, output);
        assertNull(failure, () -> file + ":" + failure + "\n--- output ---\n" + output);
    }
}
