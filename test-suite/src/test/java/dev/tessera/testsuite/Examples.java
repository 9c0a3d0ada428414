package dev.tessera.testsuite;

import dev.tessera.frontend.Frontend;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.interp.HostTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The kernels every backend must run: the examples under {@code examples/} and the test kernels under
 * {@code src/test/resources/kernels/} (dtypes, layouts and shapes the examples do not reach), with odd
 * shapes and random inputs for running them.
 */
final class Examples {

    static final Path DIR = Path.of("..", "examples");
    static final Path TEST_KERNELS = Path.of("src", "test", "resources", "kernels");

    /** One kernel of one example file. */
    record Case(Path file, GraphModule module, GraphKernel kernel) {
        @Override
        public String toString() {
            return file.getFileName() + ":" + kernel.name();
        }
    }

    private Examples() {}

    static List<Path> files() {
        return list(DIR);
    }

    static List<Path> allFiles() {
        List<Path> all = new ArrayList<>(list(DIR));
        all.addAll(list(TEST_KERNELS));
        return all;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".tsr")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GraphModule parse(Path file) {
        try {
            return Frontend.compile(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Path f : allFiles()) {
            GraphModule m = parse(f);
            for (GraphKernel k : m.kernels()) {
                cases.add(new Case(f, m, k));
            }
        }
        return cases;
    }

    /** Binds the kernel's symbolic dims, in order of first appearance, to the given extents. */
    static Map<String, Long> dims(GraphKernel k, long... extents) {
        Map<String, Long> dims = new LinkedHashMap<>();
        for (String s : k.symbols()) {
            dims.put(s, extents[Math.min(dims.size(), extents.length - 1)]);
        }
        return dims;
    }

    static List<HostTensor> inputs(GraphKernel k, Map<String, Long> dims, long seed) {
        List<HostTensor> in = new ArrayList<>();
        for (int i = 0; i < k.params().size(); i++) {
            Value p = k.params().get(i);
            in.add(HostTensor.random(p.type().dtype(), p.type().shape().extents(dims), seed + i));
        }
        return in;
    }
}
