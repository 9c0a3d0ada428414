package dev.tessera.codegen.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopInterpreter;
import dev.tessera.ir.loop.LoopParser;
import dev.tessera.ir.loop.LoopProgram;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Kernels as the lowerings write them (softmax, layernorm, matmul with two schedules, gelu; printed by
 * {@code tessera compile --emit loop}) give what the loop interpreter gives, at sizes no tile divides, serially
 * and on a pool.
 */
class LoweredKernelsTest {

    private static final ForkJoinPool POOL = new ForkJoinPool(3);

    @AfterAll
    static void shutdown() {
        POOL.shutdown();
    }

    static List<LoopProgram> fixture(String name) {
        try (InputStream in = LoweredKernelsTest.class.getResourceAsStream("/loops/" + name + ".loop")) {
            return LoopParser.parseModule(name + ".loop", new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .programs();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<HostTensor> inputs(LoopProgram p, Map<String, Long> dims, long seed) {
        List<HostTensor> in = new ArrayList<>();
        for (int i = 0; i < p.buffers().inputs().size(); i++) {
            var b = p.buffers().inputs().get(i);
            in.add(HostTensor.random(b.type().dtype(), b.type().shape().extents(dims), seed + i));
        }
        return in;
    }

    /** Relative to the output's largest magnitude: exp and erf may differ from the interpreter's by an ulp. */
    static void assertClose(HostTensor want, HostTensor got, double rel, String what) {
        assertEquals(want.size(), got.size());
        double scale = 0;
        for (double v : want.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.size(); i++) {
            double w = want.data()[i];
            double g = got.data()[i];
            int at = i;
            assertTrue(Math.abs(w - g) <= rel * scale, () -> what + ": element " + at + " want " + w + " got " + g);
        }
    }

    private static void check(String name, Map<String, Long> dims, double rel) {
        for (LoopProgram p : fixture(name)) {
            List<HostTensor> in = inputs(p, dims, 42);
            List<HostTensor> want = LoopInterpreter.run(p, dims, in);
            JvmProgram compiled = JvmCodegen.compile(p);
            for (ForkJoinPool pool : new ForkJoinPool[] {null, POOL}) {
                List<HostTensor> got = JvmRun.run(compiled, dims, in, pool);
                for (int o = 0; o < want.size(); o++) {
                    assertClose(want.get(o), got.get(o), rel,
                            p.name() + (pool == null ? " serial" : " pooled") + " output " + o);
                }
            }
        }
    }

    private static Map<String, Long> dims(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
        }
        return m;
    }

    @Test
    void softmax() {
        check("softmax", dims("N", 37, "D", 301), 1e-6);
    }

    @Test
    void layernorm() {
        check("layernorm", dims("N", 41, "D", 130), 1e-6);
    }

    @Test
    void matmulIsBitExact() {
        check("matmul", dims("M", 67, "K", 75, "N", 131), 0);
        check("matmul_small", dims("M", 67, "K", 29, "N", 45), 0);
    }

    @Test
    void gelu() {
        check("gelu", dims("N", 131, "D", 75), 1e-6);
    }
}
