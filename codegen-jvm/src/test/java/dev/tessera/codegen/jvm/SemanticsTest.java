package dev.tessera.codegen.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopInterpreter;
import dev.tessera.ir.loop.LoopParser;
import dev.tessera.ir.loop.LoopProgram;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where Java and loop IR could disagree, the generated code follows the loop interpreter bit for bit: integer
 * division by zero and overflow, NaN through min, max and comparisons, conversions, storage rounding to f16,
 * bf16 and bool, i64 arithmetic, select. Unary math may differ from the interpreter's StrictMath by an ulp.
 */
class SemanticsTest {

    /** A kernel over N elements of {@code %a} and {@code %b} that stores {@code exprs[i]} to output {@code o<i>}. */
    private static LoopProgram pointwise(String in, List<String> outs, String... stores) {
        StringBuilder outDecls = new StringBuilder();
        StringBuilder outParams = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < stores.length; i++) {
            outDecls.append(i == 0 ? "" : ", ").append("%o").append(i).append(": ").append(outs.get(i)).append("[N]");
            outParams.append(", global mut ").append(outs.get(i)).append(" %o").append(i);
            body.append("      store %o").append(i).append("[i] = ").append(stores[i]).append('\n');
        }
        String text = "program @p(%a: " + in + "[N], %b: " + in + "[N]) -> (" + outDecls + ") {\n"
                + "  kernel @p_0(global " + in + " %a, global " + in + " %b" + outParams + ", dim %N)"
                + " grid(((%N + 7) / 8) * 8) block(8) {\n"
                + "    decl i32 i = global_id(0)\n"
                + "    if (i < %N) {\n" + body + "    }\n  }\n}\n";
        return LoopParser.parseProgram(text);
    }

    private static List<HostTensor> bothAgree(LoopProgram p, HostTensor a, HostTensor b) {
        Map<String, Long> dims = Map.of("N", (long) a.size());
        List<HostTensor> want = LoopInterpreter.run(p, dims, List.of(a, b));
        List<HostTensor> got = JvmRun.run(p, dims, List.of(a, b), null);
        for (int o = 0; o < want.size(); o++) {
            double[] w = want.get(o).data();
            double[] g = got.get(o).data();
            for (int i = 0; i < w.length; i++) {
                boolean same = Double.isNaN(w[i]) ? Double.isNaN(g[i])
                        : Double.doubleToRawLongBits(w[i]) == Double.doubleToRawLongBits(g[i]);
                int oo = o;
                int ii = i;
                assertTrue(same, () -> "output " + oo + " element " + ii + ": interpreter " + w[ii] + ", jvm " + g[ii]
                        + " (a = " + a.data()[ii] + ", b = " + b.data()[ii] + ")");
            }
        }
        return got;
    }

    /** Values rounded to the dtype, as a device holds them; the interpreter takes inputs as given. */
    private static HostTensor tensor(DType d, double... v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = dev.tessera.ir.interp.Rounding.round(d, v[i]);
        }
        return new HostTensor(d, new long[] {v.length}, r);
    }

    @Test
    void integers() {
        int min = Integer.MIN_VALUE;
        HostTensor a = tensor(DType.I32, 7, -7, 7, -7, min, min, 5, 0, min, 123456, -1, Integer.MAX_VALUE);
        HostTensor b = tensor(DType.I32, 2, 2, -2, 0, -1, 1, 0, 3, 0, -1000, Integer.MAX_VALUE, 1);
        List<String> ints = java.util.Collections.nCopies(12, "i32");
        bothAgree(pointwise("i32", ints, "%a[i] / %b[i]", "%a[i] % %b[i]", "min(%a[i], %b[i])", "max(%a[i], %b[i])",
                "abs(%a[i])", "neg(%b[i])", "(%a[i] * %b[i]) + %a[i]", "%a[i] / -1", "%a[i] % 3",
                "select(%a[i] < %b[i], %a[i], %b[i] / 0)", "not(%a[i])", "i32(i64(%a[i]) * i64(%b[i]))"), a, b);
    }

    @Test
    void floatsNanAndConversions() {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        HostTensor a = tensor(DType.F32, 1, nan, 2, nan, -3, 1e20, -1e20, 2.9, -2.9, inf, 7, 5.5, -0.5, 0, -0.0);
        HostTensor b = tensor(DType.F32, nan, 1, 3, nan, -4, 1, 1, 1, 1, 1, 0, 2, 3, -0.0, 0);
        List<String> types = List.of("f32", "f32", "f32", "f32", "f32", "i32", "bool", "bool", "bool", "bool", "f32",
                "i32", "f32");
        bothAgree(pointwise("f32", types, "max(%a[i], %b[i])", "min(%a[i], %b[i])", "%a[i] % %b[i]", "%a[i] / %b[i]",
                "sqrt(abs(%a[i]))", "i32(%a[i])", "%a[i] < %b[i]", "%a[i] != %b[i]", "bool(%a[i])",
                "(%a[i] >= %b[i]) || (%a[i] == %b[i])", "f32(f64(%a[i]) * 3.0)", "i32(i64(%a[i]))",
                "rsqrt(abs(%a[i]) + 1.0f)"), a, b);
    }

    @Test
    void storageRounding() {
        float[] probes = {1f + 0x1p-11f, 1f + 3 * 0x1p-11f, 1f + 0x1p-8f, 1f + 3 * 0x1p-8f, 65504f, 65520f, -65520f,
            1e-7f, 0x1p-25f, 0f, -0f, Float.POSITIVE_INFINITY, Float.NaN, 3.14159265f, 1e30f, 0x1.00ff8p0f, 0x1.01p0f};
        double[] v = new double[probes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = probes[i];
        }
        HostTensor a = tensor(DType.F32, v);
        List<String> types = List.of("f16", "bf16", "f32", "f32", "bool");
        bothAgree(pointwise("f32", types, "%a[i]", "%a[i]", "round_f16(%a[i])", "round_bf16(%a[i])", "%a[i] > 1.0f"),
                a, a);
        HostTensor h = tensor(DType.F16, 1, -2.5, 65504, 0.0009765625, 3);
        HostTensor m = tensor(DType.BOOL, 1, 0, 1, 1, 0);
        LoopProgram p = LoopParser.parseProgram("""
                program @p(%h: f16[N], %m: bool[N]) -> (%o: f32[N], %q: bool[N], %r: bf16[N]) {
                  kernel @p_0(global f16 %h, global bool %m, global mut f32 %o, global mut bool %q, global mut bf16 %r, dim %N) grid(%N) block(1) {
                    decl i32 i = global_id(0)
                    store %o[i] = select(%m[i], %h[i] * 2.0f, -1.0f)
                    store %q[i] = not(%m[i])
                    store %r[i] = %h[i] / 3.0f
                  }
                }
                """);
        Map<String, Long> dims = Map.of("N", 5L);
        assertEquals(LoopInterpreter.run(p, dims, List.of(h, m)), JvmRun.run(p, dims, List.of(h, m), null));
    }

    @Test
    void unaryMathWithinAnUlp() {
        HostTensor a = HostTensor.random(DType.F32, new long[] {200}, 3);
        LoopProgram p = pointwise("f32", List.of("f32", "f32", "f32", "f32"), "exp(%a[i])", "log(abs(%a[i]) + 0.5f)",
                "tanh(%a[i])", "erf(%a[i] * 2.0f)");
        Map<String, Long> dims = Map.of("N", 200L);
        List<HostTensor> want = LoopInterpreter.run(p, dims, List.of(a, a));
        List<HostTensor> got = JvmRun.run(p, dims, List.of(a, a), null);
        for (int o = 0; o < want.size(); o++) {
            for (int i = 0; i < 200; i++) {
                float w = (float) want.get(o).data()[i];
                float g = (float) got.get(o).data()[i];
                assertTrue(Math.abs(w - g) <= Math.ulp(w), "output " + o + " element " + i + ": " + w + " vs " + g);
            }
        }
    }
}
