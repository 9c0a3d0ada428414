package dev.tessera.runtime.jit;

import dev.tessera.frontend.Frontend;
import dev.tessera.ir.CompileException;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.interp.DimBinder;
import dev.tessera.ir.tile.TileModule;
import dev.tessera.ir.tile.TileProgram;
import dev.tessera.passes.Pipeline;
import dev.tessera.passes.loop.LoopLowering;
import dev.tessera.runtime.cache.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/**
 * A source file compiled as far as the tile level with the default pipeline: what every variant of its
 * kernels starts from. Keeps the graph IR as the frontend made it, which the reference interpreter runs.
 */
public final class CompiledSource {

    /** The graph passes and tiling every variant goes through; part of every cache key. */
    public static final String PIPELINE = Pipeline.DEFAULT;

    private final String name;
    private final String sha256;
    private final GraphModule graph;
    private final TileModule tile;

    private CompiledSource(String name, String sha256, GraphModule graph, TileModule tile) {
        this.name = name;
        this.sha256 = sha256;
        this.graph = graph;
        this.tile = tile;
    }

    /**
     * Parses, checks, optimises and tiles {@code text}.
     *
     * @throws CompileException with every diagnostic when the source is not a valid program
     */
    public static CompiledSource compile(String name, String text) {
        return of(name, text, Frontend.compile(name, text));
    }

    /** As {@link #compile}, for a caller that has already run the frontend on {@code text}. */
    public static CompiledSource of(String name, String text, GraphModule graph) {
        String upToTile = Pipeline.parse(PIPELINE).steps().stream()
                .filter(s -> !s.equals(LoopLowering.name())).collect(Collectors.joining(","));
        TileModule tile = Pipeline.parse(upToTile).run(graph, Pipeline.Options.plain()).tile();
        return new CompiledSource(name, Sha256.hex(text), graph, tile);
    }

    public String name() {
        return name;
    }

    /** Hex SHA-256 of the source text (UTF-8): which source a cache entry was made from. */
    public String sha256() {
        return sha256;
    }

    public GraphModule graph() {
        return graph;
    }

    public List<String> kernelNames() {
        return graph.kernels().stream().map(GraphKernel::name).toList();
    }

    /** @throws NoSuchElementException naming the kernels there are */
    public GraphKernel kernel(String kernel) {
        return graph.kernel(kernel).orElseThrow(() -> new NoSuchElementException("no kernel '" + kernel + "' in "
                + name + "; it has: " + String.join(", ", kernelNames())));
    }

    /** The kernel at tile level with the default schedules. */
    public TileProgram tileProgram(String kernel) {
        kernel(kernel);
        return tile.programs().stream().filter(p -> p.name().equals(kernel)).findFirst().orElseThrow();
    }

    /** The kernel's symbolic dims bound from its inputs' shapes. */
    public Map<String, Long> bind(String kernel, List<long[]> shapes) {
        GraphKernel k = kernel(kernel);
        return DimBinder.bindShapes(kernel, k.params().stream().map(Value::name).toList(),
                k.params().stream().map(Value::type).toList(), shapes);
    }

    public KernelRequest request(String kernel, Map<String, Long> dims) {
        GraphKernel k = kernel(kernel);
        return new KernelRequest(sha256, kernel, dims, k.params().stream().map(p -> p.type().dtype()).toList());
    }

    /** The parameters as {@code x: f32[N, D]}, for messages. */
    public String signature(String kernel) {
        List<String> ps = new ArrayList<>();
        for (Value p : kernel(kernel).params()) {
            ps.add(p.name() + ": " + p.type());
        }
        return kernel + "(" + String.join(", ", ps) + ")";
    }
}
