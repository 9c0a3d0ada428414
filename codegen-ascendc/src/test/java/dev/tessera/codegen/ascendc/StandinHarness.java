package dev.tessera.codegen.ascendc;

import dev.tessera.frontend.Frontend;
import dev.tessera.ir.Buffer;
import dev.tessera.ir.DType;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.Rounding;
import dev.tessera.ir.tile.TileProgram;
import dev.tessera.passes.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compiles the Ascend C of one .tsr file against the CPU stand-in (test/cpp/ascendc_standin.h) with a
 * generated driver, one translation unit per file, and runs its programs with inputs and outputs passed as
 * raw little-endian files.
 */
final class StandinHarness {

    static final Path STANDIN = Path.of("src", "test", "cpp").toAbsolutePath();

    /** What emitting one .tsr file gave: programs emitted, and CompileException messages by program. */
    record Emitted(Path dir, Map<String, AscendProgram> programs, Map<String, String> refused) {}

    private StandinHarness() {}

    static GraphModule parse(Path file) {
        try {
            return Frontend.compile(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<TileProgram> tile(GraphModule module) {
        Pipeline.Result r = Pipeline.parse("canonicalize,constant-fold,cse,dce,shape-infer,fuse,tile")
                .run(module, new Pipeline.Options(Map.of(), true, java.util.Set.of(), false, (p, t) -> { }));
        return r.tile().programs();
    }

    static boolean gppPresent() {
        try {
            Process p = new ProcessBuilder("g++", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Emits every program of {@code module} into {@code dir} and writes the driver. */
    static Emitted emit(List<TileProgram> programs, AscendOptions options, Path dir) throws IOException {
        Map<String, AscendProgram> ok = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (TileProgram p : programs) {
            try {
                AscendProgram a = AscendEmitter.emit(p, options);
                ok.put(p.name(), a);
                for (Map.Entry<String, String> f : a.files().entrySet()) {
                    Path target = dir.resolve(f.getKey());
                    Files.createDirectories(target.getParent());
                    Files.writeString(target, f.getValue());
                }
            } catch (dev.tessera.ir.CompileException e) {
                refused.put(p.name(), e.getMessage());
            }
        }
        Files.writeString(dir.resolve("driver.cpp"), driver(ok.values()));
        return new Emitted(dir, ok, refused);
    }

    /** The driver's table names each program by its {@link AscendProgram#cName()}, as the generated files do. */
    static String driver(Iterable<AscendProgram> programs) {
        StringBuilder sb = new StringBuilder("// Test driver: runs one program of this file on the stand-in.\n");
        sb.append("#include \"ascendc_standin.h\"\n#include <string>\n");
        List<String> rows = new ArrayList<>();
        for (AscendProgram a : programs) {
            String p = a.cName();
            sb.append("#include \"").append(a.name()).append('/').append(p).append("_kernels.cpp\"\n");
            sb.append("#include \"").append(a.name()).append('/').append(p).append("_launch.h\"\n");
            rows.add("    {\"" + p + "\", tessera_" + p + "_buffers, tessera_" + p + "_inputs, tessera_" + p
                    + "_outputs, tessera_" + p + "_dims, tessera_" + p + "_bytes, tessera_" + p + "_launch},\n");
        }
        sb.append("""

                struct Program {
                    const char *name;
                    int buffers, inputs, outputs, dims;
                    int64_t (*bytes)(int, const int64_t *);
                    void (*launch)(const int64_t *, uint8_t *const *, uint32_t, void *);
                };
                static const Program programs[] = {
                """);
        rows.forEach(sb::append);
        sb.append("""
                    {nullptr, 0, 0, 0, 0, nullptr, nullptr}};

                // driver PROGRAM CORES DIM... INPUT-FILE... OUTPUT-FILE...
                int main(int argc, char **argv)
                {
                    if (argc < 3) return 2;
                    const Program *p = programs;
                    while (p->name && std::string(p->name) != argv[1]) p++;
                    if (!p->name) { std::fprintf(stderr, "no program %s\\n", argv[1]); return 2; }
                    const uint32_t cores = (uint32_t)std::atoi(argv[2]);
                    tessera_standin::state().vectorCores = cores;
                    if (argc != 3 + p->dims + p->inputs + p->outputs) { std::fprintf(stderr, "bad arguments\\n"); return 2; }
                    int64_t dims[8] = {0};
                    for (int i = 0; i < p->dims; i++) dims[i] = std::atoll(argv[3 + i]);
                    std::vector<std::vector<uint8_t>> mem(p->buffers);
                    std::vector<uint8_t *> ptr(p->buffers);
                    for (int i = 0; i < p->buffers; i++) {
                        const int64_t bytes = p->bytes(i, dims);
                        mem[i].assign((size_t)bytes + 1, 0xFF);  // poison: unwritten outputs read as NaN
                        ptr[i] = mem[i].data();
                        if (i < p->inputs) {
                            FILE *f = std::fopen(argv[3 + p->dims + i], "rb");
                            if (!f || std::fread(mem[i].data(), 1, (size_t)bytes, f) != (size_t)bytes) { std::perror("input"); return 1; }
                            std::fclose(f);
                        }
                    }
                    p->launch(dims, ptr.data(), cores, nullptr);
                    for (int o = 0; o < p->outputs; o++) {
                        const int i = p->inputs + o;
                        FILE *f = std::fopen(argv[3 + p->dims + p->inputs + o], "wb");
                        if (!f) { std::perror("output"); return 1; }
                        std::fwrite(mem[i].data(), 1, (size_t)p->bytes(i, dims), f);
                        std::fclose(f);
                    }
                    return 0;
                }
                """);
        return sb.toString();
    }

    /** g++ -std=c++17 -O1 of the driver; the compiler's output on failure. */
    static Path compile(Path dir) throws IOException, InterruptedException {
        Path exe = dir.resolve("driver");
        Process p = new ProcessBuilder("g++", "-std=c++17", "-O1", "-Wall", "-Wno-unused-variable",
                "-Wno-unused-but-set-variable", "-I", STANDIN.toString(), "-I", dir.toString(), "driver.cpp", "-o", "driver")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("g++ failed on " + dir + ":\n" + out.substring(0, Math.min(out.length(), 6000)));
        }
        return exe;
    }

    /** Runs one program; returns its outputs. */
    static List<HostTensor> run(Path exe, AscendProgram program, int cores, Map<String, Long> dims, List<HostTensor> inputs)
            throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(exe.getParent(), "run");
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), program.cName(), Integer.toString(cores)));
        for (String d : program.dims()) {
            cmd.add(Long.toString(dims.get(d)));
        }
        for (int i = 0; i < inputs.size(); i++) {
            Path f = work.resolve("in" + i + ".bin");
            Files.write(f, encode(inputs.get(i)));
            cmd.add(f.toString());
        }
        List<Buffer> outs = program.buffers().outputs();
        for (int i = 0; i < outs.size(); i++) {
            cmd.add(work.resolve("out" + i + ".bin").toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("stand-in run of " + program.name() + " failed (exit " + p.exitValue() + "): " + log);
        }
        List<HostTensor> result = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            Buffer b = outs.get(i);
            result.add(decode(b.type().dtype(), b.type().shape().extents(dims), Files.readAllBytes(work.resolve("out" + i + ".bin"))));
        }
        try (Stream<Path> s = Files.list(work)) {
            for (Path f : s.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(work);
        return result;
    }

    static byte[] encode(HostTensor t) {
        ByteBuffer b = ByteBuffer.allocate(t.size() * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : t.data()) {
            switch (t.dtype()) {
                case F32 -> b.putFloat((float) v);
                case F16 -> b.putShort(Float.floatToFloat16((float) v));
                case BF16 -> b.putShort(Rounding.floatToBf16((float) v));
                case I32 -> b.putInt((int) v);
                case BOOL -> b.put(v != 0 ? (byte) 1 : 0);
                case F64 -> b.putDouble(v);
            }
        }
        return b.array();
    }

    static HostTensor decode(DType d, long[] shape, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[] data = new double[Math.toIntExact(HostTensor.count(shape))];
        for (int i = 0; i < data.length; i++) {
            data[i] = switch (d) {
                case F32 -> b.getFloat();
                case F16 -> Float.float16ToFloat(b.getShort());
                case BF16 -> Rounding.bf16ToFloat(b.getShort());
                case I32 -> b.getInt();
                case BOOL -> {
                    byte x = b.get();
                    yield x == 0 ? 0 : x == 1 ? 1 : Double.NaN;
                }
                case F64 -> b.getDouble();
            };
        }
        return new HostTensor(d, shape, data);
    }
}
