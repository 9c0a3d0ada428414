package dev.tessera.codegen.ascendc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.frontend.Frontend;
import dev.tessera.ir.CompileException;
import dev.tessera.ir.DType;
import dev.tessera.ir.GeneratedNames;
import dev.tessera.ir.interp.Comparison;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.tile.TileParser;
import dev.tessera.ir.tile.TileProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the generator promises about its output: structure, checked limits, refusals, the host program. */
class AscendEmitterTest {

    static TileProgram program(String source, String name) {
        GraphModule m = Frontend.compile("test.tsr", source);
        return StandinHarness.tile(m).stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    static TileProgram example(String file, String name) {
        return StandinHarness.tile(StandinHarness.parse(Path.of("..", "examples", file))).stream()
                .filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void refusesATileThatOverflowsTheUnifiedBuffer() {
        TileProgram softmax = example("softmax.tsr", "softmax");
        CompileException e = assertThrows(CompileException.class,
                () -> AscendEmitter.emit(softmax, AscendOptions.defaults().withTileLength(65536)));
        assertTrue(e.getMessage().contains("softmax_0"), e.getMessage());
        assertTrue(e.getMessage().contains("more than the 196608 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("VECIN"), "the message itemises the buffers: " + e.getMessage());
    }

    @Test
    void refusesAKernelThatCannotFitEvenTheSmallestTile() {
        TileProgram gelu = example("gelu.tsr", "gelu");
        CompileException e = assertThrows(CompileException.class,
                () -> AscendEmitter.emit(gelu, AscendOptions.defaults().withUbBytes(4096)));
        assertTrue(e.getMessage().contains("does not fit in the 4096-byte unified buffer"), e.getMessage());
    }

    @Test
    void automaticTileIsTheLargestThatFits() {
        TileProgram layernorm = example("layernorm.tsr", "layernorm");
        AscendProgram big = AscendEmitter.emit(layernorm, AscendOptions.defaults());
        AscendProgram small = AscendEmitter.emit(layernorm, AscendOptions.defaults().withUbBytes(48 * 1024));
        KernelCode b = big.kernels().get(0);
        KernelCode s = small.kernels().get(0);
        assertTrue(b.localBytes() <= AscendOptions.A2_UB_BYTES, "uses " + b.localBytes());
        assertTrue(s.localBytes() <= 48 * 1024, "uses " + s.localBytes());
        assertTrue(s.tile() < b.tile(), s.tile() + " vs " + b.tile());
        assertEquals(0, b.tile() % AscendOptions.TILE_QUANTUM);
    }

    @Test
    void vectorKernelHasThePipelineShape() {
        AscendProgram p = AscendEmitter.emit(example("softmax.tsr", "softmax"), AscendOptions.defaults());
        String k = p.files().get("softmax/softmax_kernels.cpp");
        for (String want : List.of("extern \"C\" __global__ __aicore__ void tsr_softmax_0(GM_ADDR b_x, GM_ADDR b_result_0, TesseraTiling tiling)",
                "AscendC::TQue<AscendC::TPosition::VECIN, 2>", "AscendC::TQue<AscendC::TPosition::VECOUT, 2>",
                "AscendC::TBuf<AscendC::TPosition::VECCALC>", "SetGlobalBuffer", "AscendC::GetBlockIdx()",
                "CopyIn_0", "Compute_0", "CopyIn_S", "Compute_S", "CopyOut_S", "AscendC::ReduceMax(", "AscendC::ReduceSum(",
                "AscendC::Exp(", "KERNEL_TYPE_AIV_ONLY")) {
            assertTrue(k.contains(want), "missing " + want + " in\n" + k);
        }
        String launch = p.files().get("softmax/softmax_launch.h");
        assertTrue(launch.contains("kernel<<<blockDim, nullptr, stream>>>(__VA_ARGS__)"), launch);
        assertTrue(launch.contains("TESSERA_LAUNCH(tsr_softmax_0, t.blockDim, stream, buf[0], buf[1], t);"), launch);
        assertTrue(p.files().get("softmax/main.asc").contains("aclrtMalloc"));
        assertTrue(p.files().get("softmax/CMakeLists.txt").contains("find_package(ASC REQUIRED)"));
        assertTrue(p.files().get("softmax/tessera_ascendc.h").contains("DataCopyPad"));
    }

    @Test
    void columnReductionsAccumulateWholeTilesInsteadOfGathering() {
        TileProgram p = StandinHarness.tile(StandinHarness.parse(
                Path.of("..", "test-suite", "src", "test", "resources", "kernels", "shapes.tsr"))).stream()
                .filter(x -> x.name().equals("column_mean")).findFirst().orElseThrow();
        String k = AscendEmitter.emit(p, AscendOptions.defaults()).files().get("column_mean/column_mean_kernels.cpp");
        assertTrue(k.contains("AscendC::Add(acc, acc, "), k);
        assertTrue(k.contains("AscendC::Div(acc, acc, "), "mean divides the accumulator tile: " + k);
        assertTrue(!k.contains("tessera::gather(l"), "no element-by-element gather: " + k);
    }

    @Test
    void halfMatmulGoesToTheCubeWithAVectorEpilogue() {
        TileProgram p = StandinHarness.tile(StandinHarness.parse(
                Path.of("..", "test-suite", "src", "test", "resources", "kernels", "dtypes.tsr"))).stream()
                .filter(x -> x.name().equals("half_linear_gelu")).findFirst().orElseThrow();
        AscendProgram a = AscendEmitter.emit(p, AscendOptions.defaults());
        assertEquals(List.of("cube", "vector"), a.kernels().stream().map(KernelCode::unit).toList());
        String k = a.files().get("half_linear_gelu/half_linear_gelu_kernels.cpp");
        for (String want : List.of("AscendC::Nd2NzParams", "AscendC::LoadData(", "AscendC::Mmad(", "AscendC::Fixpipe<float, float, AscendC::CFG_ROW_MAJOR>",
                "TPosition::A1", "TPosition::B2", "TPosition::CO1", "KERNEL_TYPE_AIC_ONLY", "using T = half;")) {
            assertTrue(k.contains(want), "missing " + want);
        }
        assertTrue(a.files().get("half_linear_gelu/half_linear_gelu_launch.h").contains("cores / 2"));
        assertTrue(a.buffers().temps().stream().anyMatch(b -> b.name().equals("ws.half_linear_gelu_0")));
    }

    @Test
    void refusesWhatItCannotComputeExactly() {
        CompileException fmod = assertThrows(CompileException.class, () -> AscendEmitter.emit(
                program("kernel m(x: f32[N], y: f32[N]) -> f32[N] {\n  return x % y\n}\n", "m"), AscendOptions.defaults()));
        assertTrue(fmod.getMessage().contains("% of floating-point values"), fmod.getMessage());
        CompileException f64 = assertThrows(CompileException.class, () -> AscendEmitter.emit(
                program("kernel d(x: f64[N]) -> f64[N] {\n  return x * 2.0\n}\n", "d"), AscendOptions.defaults()));
        assertTrue(f64.getMessage().contains("f64"), f64.getMessage());
    }

    /** Names a DSL does not produce, but tile IR allows: dots, and two buffers that sanitise alike. */
    static final String ODD_NAMES = """
            program @odd.sum(%x.in: f32[N, D], %x_in: f32[N, D]) -> (%result.0: f32[N]) {
              kernel @odd.sum_0 reduce domain=[N | D] reads=[%x.in, %x_in] writes=[%result.0] schedule(wg=128) {
                %a.1 = load %x.in[d0, d1] : f32
                %b.1 = load %x_in[d0, d1] : f32
                %c = add %a.1, %b.1 : f32
                %s.1 = reduce.sum %c : f32
                store %result.0[d0], %s.1
              }
            }
            """;

    /** Every name from the IR reaches C++ through GeneratedNames, as on the OpenCL and PTX backends. */
    @Test
    void namesAreSanitisedAsOnTheOtherBackends(@TempDir Path dir) throws IOException, InterruptedException {
        TileProgram odd = TileParser.parseProgram(ODD_NAMES);
        AscendProgram a = AscendEmitter.emit(odd, AscendOptions.defaults());
        assertEquals("odd_sum", a.cName());
        String k = a.files().get("odd.sum/odd_sum_kernels.cpp");
        String symbol = GeneratedNames.kernelSymbol("odd.sum_0");
        assertTrue(symbol.startsWith("tsrx_odd_sum_0_"), symbol);
        assertTrue(k.contains("extern \"C\" __global__ __aicore__ void " + symbol
                + "(GM_ADDR b_x_in, GM_ADDR b_x_in_2, GM_ADDR b_result_0, TesseraTiling tiling)"), k);
        assertTrue(k.contains("class Kernel_" + symbol + " {"), k);
        assertTrue(k.contains("float red_s_1 = 0;"), k);
        assertTrue(a.files().get("odd.sum/odd_sum_launch.h").contains("tessera_odd_sum_launch("));

        Assumptions.assumeTrue(StandinHarness.gppPresent(), "g++ not found: cannot compile the generated code");
        Path exe = StandinHarness.compile(StandinHarness.emit(List.of(odd), AscendOptions.defaults(), dir).dir());
        HostTensor x = HostTensor.random(DType.F32, new long[] {5, 300}, 1);
        HostTensor y = HostTensor.random(DType.F32, new long[] {5, 300}, 2);
        HostTensor got = StandinHarness.run(exe, a, 3, Map.of("N", 5L, "D", 300L), List.of(x, y)).getFirst();
        for (int r = 0; r < 5; r++) {
            double want = 0;
            for (int c = 0; c < 300; c++) {
                want += x.data()[r * 300 + c] + y.data()[r * 300 + c];
            }
            assertEquals(want, got.data()[r], 1e-3, "row " + r);
        }
    }

    /** The generated host program (main.asc) against the ACL and AscendC stand-ins: reads inputs, writes outputs. */
    @Test
    void hostProgramRunsEndToEndOnTheStandins(@TempDir Path dir) throws IOException, InterruptedException {
        Assumptions.assumeTrue(StandinHarness.gppPresent(), "g++ not found: cannot compile the generated host program");
        TileProgram layernorm = example("layernorm.tsr", "layernorm");
        AscendProgram a = AscendEmitter.emit(layernorm, AscendOptions.defaults());
        for (Map.Entry<String, String> f : a.files().entrySet()) {
            Path t = dir.resolve(f.getKey());
            Files.createDirectories(t.getParent());
            Files.writeString(t, f.getValue());
        }
        Path src = dir.resolve("layernorm");
        // the stand-in's TESSERA_LAUNCH replaces <<<...>>>, which g++ cannot parse
        Files.writeString(src.resolve("host.cpp"), "#include \"ascendc_standin.h\"\n#include \"main.asc\"\n");
        Process cc = new ProcessBuilder("g++", "-std=c++17", "-O1", "-I", StandinHarness.STANDIN.toString(), "-I",
                src.toString(), "host.cpp", "-o", "host").directory(src.toFile()).redirectErrorStream(true).start();
        String log = new String(cc.getInputStream().readAllBytes());
        assertTrue(cc.waitFor(300, TimeUnit.SECONDS) && cc.exitValue() == 0, log);
        long n = 37, d = 300;
        List<HostTensor> in = List.of(HostTensor.random(dev.tessera.ir.DType.F32, new long[] {n, d}, 1),
                HostTensor.random(dev.tessera.ir.DType.F32, new long[] {d}, 2),
                HostTensor.random(dev.tessera.ir.DType.F32, new long[] {d}, 3));
        for (int i = 0; i < 3; i++) {
            Files.write(src.resolve("in" + i + ".bin"), StandinHarness.encode(in.get(i)));
        }
        Process run = new ProcessBuilder("./host", Long.toString(n), Long.toString(d), "in0.bin", "in1.bin", "in2.bin")
                .directory(src.toFile()).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes());
        assertTrue(run.waitFor(120, TimeUnit.SECONDS) && run.exitValue() == 0, out);
        assertTrue(out.contains("wrote result.0.bin"), out);
        HostTensor got = StandinHarness.decode(dev.tessera.ir.DType.F32, new long[] {n, d},
                Files.readAllBytes(src.resolve("result.0.bin")));
        var kernel = StandinHarness.parse(Path.of("..", "examples", "layernorm.tsr")).kernels().get(0);
        Comparison c = Comparison.compare(ReferenceInterpreter.run(kernel, in).get(0), got);
        assertTrue(c.pass(), c.summary());
    }
}
