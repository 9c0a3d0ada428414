package dev.tessera.ptxsim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and linked PTX module whose entries can be launched on a {@link DeviceMemory}.
 *
 * <pre>{@code
 * PtxModule m = PtxModule.parse(ptxText);
 * DeviceMemory mem = new DeviceMemory();
 * long x = mem.allocFloats(1, 2, 3), y = mem.alloc(12);
 * m.launch("axpy", new int[] {1}, new int[] {32}, List.of(3, 2.0f, x, y), mem);
 * float[] out = mem.readFloats(y, 3);
 * }</pre>
 *
 * <p>Every entry is compiled when the module is parsed, so unsupported instructions or modifiers
 * fail here, with their line, rather than silently at run time.
 */
public final class PtxModule {

    private final Ast.Module ast;
    private final ModuleLayout layout;
    private final Map<String, Kernel> kernels = new LinkedHashMap<>();

    private PtxModule(Ast.Module ast) {
        this.ast = ast;
        this.layout = ModuleLayout.of(ast);
        for (Ast.Entry e : ast.entries()) {
            if (kernels.put(e.name(), Linker.link(layout, e)) != null) {
                throw new PtxException(e.line(), "entry " + e.name() + " defined twice");
            }
        }
    }

    /** Parses PTX text; throws {@link PtxException} naming the line of anything malformed or unsupported. */
    public static PtxModule parse(String ptx) {
        return new PtxModule(Parser.parse(ptx));
    }

    /** The names of the module's {@code .entry} kernels, in source order. */
    public List<String> entryNames() {
        return List.copyOf(kernels.keySet());
    }

    /** The module's {@code .version}. */
    public String version() {
        return ast.version();
    }

    /** The module's {@code .target} list, comma-separated. */
    public String target() {
        return ast.target();
    }

    /** Launches with {@link LaunchOptions#DEFAULT}. */
    public LaunchStats launch(String entry, int[] grid, int[] block, List<?> args, DeviceMemory mem) {
        return launch(entry, grid, block, args, mem, LaunchOptions.DEFAULT);
    }

    /**
     * Runs {@code entry} over a grid of CTAs, one CTA after another.
     *
     * @param grid CTAs per dimension, 1 to 3 values (missing ones are 1)
     * @param block threads per CTA per dimension, 1 to 3 values
     * @param args one value per {@code .param}: {@code Long} (or {@code Integer}) for 64-bit integers and
     *     pointers, {@code Integer} for 32-bit integers, {@code Short}/{@code Byte} for 16/8-bit ones
     *     (and for .f16/.bf16 bit patterns), {@code Float} for .f32, {@code Double} for .f64, and
     *     {@code byte[]} of exactly the declared size for array parameters ({@code .b8 p[16]})
     */
    public LaunchStats launch(String entry, int[] grid, int[] block, List<?> args, DeviceMemory mem,
                              LaunchOptions options) {
        Kernel k = kernels.get(entry);
        if (k == null) {
            throw new PtxException(0, "no entry named " + entry + " (entries: " + kernels.keySet() + ")");
        }
        int[] g = dims("grid", grid, Integer.MAX_VALUE);
        int[] b = dims("block", block, 1024);
        long threads = (long) b[0] * b[1] * b[2];
        if (threads > 1024) {
            throw new PtxException(0, "a CTA of " + threads + " threads exceeds the limit of 1024");
        }
        byte[] params = Params.pack(k, args);
        long[] globals = mem.moduleGlobals(layout);
        Launch launch = new Launch(k, mem, params, globals, layout.constBank(), g, b, options.dynamicSharedBytes(),
                options.maxInstructions());
        long ctas = 0;
        for (int z = 0; z < g[2]; z++) {
            for (int y = 0; y < g[1]; y++) {
                for (int x = 0; x < g[0]; x++) {
                    new CtaRunner(launch, new int[] {x, y, z}).run();
                    ctas++;
                }
            }
        }
        return new LaunchStats(launch.executed, ctas, (int) threads);
    }

    private static int[] dims(String what, int[] d, int max) {
        if (d == null || d.length < 1 || d.length > 3) {
            throw new PtxException(0, what + " must have 1 to 3 dimensions");
        }
        int[] out = {1, 1, 1};
        for (int i = 0; i < d.length; i++) {
            if (d[i] < 1 || d[i] > max) {
                throw new PtxException(0, what + " dimension " + i + " is " + d[i]);
            }
            out[i] = d[i];
        }
        return out;
    }
}
