package dev.tessera.codegen.ptx;

import dev.tessera.frontend.Frontend;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.passes.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The DSL kernels of the repository (examples and the test suite's kernels), compiled to loop IR. */
final class Kernels {

    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path TEST_KERNELS = Path.of("..", "test-suite", "src", "test", "resources", "kernels");

    /** A schedule unlike the default one, so that the emitter meets other tile sizes and work-group shapes. */
    static final Map<String, Integer> VARIANT = Map.of("wg", 64, "tm", 32, "tn", 16, "tk", 8, "rm", 2, "rn", 4);

    private Kernels() {}

    static List<Path> files() {
        List<Path> all = new ArrayList<>(list(EXAMPLES));
        all.addAll(list(TEST_KERNELS));
        if (all.isEmpty()) {
            throw new IllegalStateException("no .tsr files under " + EXAMPLES.toAbsolutePath() + " or " + TEST_KERNELS);
        }
        return all;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".tsr")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<LoopProgram> compile(Path file, Map<String, Integer> schedule) {
        try {
            GraphModule m = Frontend.compile(file.toString(), Files.readString(file));
            Pipeline.Options options = new Pipeline.Options(schedule, true, Set.of(), false, (pass, text) -> { });
            return Pipeline.defaults().run(m, options).loop().programs();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
