package dev.tessera.codegen.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopInterpreter;
import dev.tessera.ir.loop.LoopParser;
import dev.tessera.ir.loop.LoopProgram;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Barriers run as the work-item-loop transformation promises: every work-item finishes a region before any
 * starts the next, variables survive barriers per work-item (or once per group when uniform), loops with
 * barriers run once per group, and barriers the backend cannot honour are refused.
 */
class BarrierSplitTest {

    private static final ForkJoinPool POOL = new ForkJoinPool(2);

    @AfterAll
    static void shutdown() {
        POOL.shutdown();
    }

    private static HostTensor ramp(DType d, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = d == DType.I32 ? i * 7 - 50 : (i % 13) * 0.25 - 1;
        }
        return new HostTensor(d, new long[] {n}, v);
    }

    /** Runs {@code text} on the JVM (serially and pooled) and the interpreter, and wants bit-identical outputs. */
    private static List<HostTensor> same(String text, Map<String, Long> dims, List<HostTensor> in) {
        LoopProgram p = LoopParser.parseProgram(text);
        List<HostTensor> want = LoopInterpreter.run(p, dims, in);
        JvmProgram compiled = JvmCodegen.compile(p);
        for (ForkJoinPool pool : new ForkJoinPool[] {null, POOL}) {
            assertEquals(want, JvmRun.run(compiled, dims, in, pool), compiled.summary());
        }
        return want;
    }

    @Test
    void aGlobalMaskRunsExactlyTheWorkItemsThatPass() {
        // The mask cuts the last group short (N is no multiple of 32); the second kernel writes one element,
        // chosen by a dim, from whichever group holds it. Elements nobody writes stay poisoned in both runs.
        String text = """
                program @mask(%x: f32[N]) -> (%y: f32[N], %z: f32[N]) {
                  kernel @mask_0(global f32 %x, global mut f32 %y, dim %N) grid(((%N + 31) / 32) * 32) block(32) {
                    decl i32 g = global_id(0)
                    if (g < %N) {
                      store %y[g] = %x[g] * 2.0f
                    }
                  }
                  kernel @mask_1(global f32 %x, global mut f32 %z, dim %N, dim %K) grid(((%N + 31) / 32) * 32) block(32) {
                    if (global_id(0) == %K) {
                      store %z[global_id(0)] = %x[global_id(0)] + 1.0f
                    }
                  }
                }
                """;
        for (long k : new long[] {0, 31, 32, 70}) {
            List<HostTensor> out = same(text, Map.of("N", 71L, "K", k), List.of(ramp(DType.F32, 71)));
            assertEquals(ramp(DType.F32, 71).data()[70] * 2, out.getFirst().data()[70]);
            assertEquals(ramp(DType.F32, 71).data()[(int) k] + 1, out.get(1).data()[(int) k]);
        }
        String summary = JvmCodegen.compile(LoopParser.parseProgram(text)).summary();
        assertTrue(summary.contains("phases: r0 ("), summary);
    }

    @Test
    void aRegionFinishesForEveryWorkItemBeforeTheNextStarts() {
        // Work-item l reads what work-item 63 - l wrote before the barrier: run item by item, work-items
        // 0..31 would read elements nobody has written yet.
        String text = """
                program @rev(%x: f32[N]) -> (%y: f32[N]) {
                  kernel @rev_0(global f32 %x, global mut f32 %y, dim %N) local(f32 tmp[64]) grid(%N) block(64) {
                    decl i32 l = local_id(0)
                    decl i32 g = global_id(0)
                    store tmp[l] = %x[g]
                    barrier
                    store %y[g] = tmp[63 - l]
                  }
                }
                """;
        List<HostTensor> out = same(text, Map.of("N", 192L), List.of(ramp(DType.F32, 192)));
        HostTensor x = ramp(DType.F32, 192);
        for (int g = 0; g < 192; g++) {
            assertEquals(x.data()[g / 64 * 64 + 63 - g % 64], out.getFirst().data()[g], "element " + g);
        }
    }

    @Test
    void barriersInsideALoop() {
        // Hillis-Steele prefix sums per group: v and off cross two barriers per iteration; the step is not a
        // literal, so the loop checks it is positive.
        String text = """
                program @scan(%x: i32[N]) -> (%y: i32[N]) {
                  kernel @scan_0(global i32 %x, global mut i32 %y, dim %N) local(i32 buf[32]) grid(%N) block(32) {
                    decl i32 l = local_id(0)
                    store buf[l] = %x[global_id(0)]
                    barrier
                    decl i32 one = %N / %N
                    decl i32 off = 1
                    for i32 it = 0 to 5 step one {
                      decl i32 v = buf[l]
                      if (l >= off) {
                        v = v + buf[l - off]
                      }
                      barrier
                      store buf[l] = v
                      off = off * 2
                      barrier
                    }
                    store %y[global_id(0)] = buf[l]
                  }
                }
                """;
        List<HostTensor> out = same(text, Map.of("N", 96L), List.of(ramp(DType.I32, 96)));
        HostTensor x = ramp(DType.I32, 96);
        double sum = 0;
        for (int g = 0; g < 96; g++) {
            sum = g % 32 == 0 ? x.data()[g] : sum + x.data()[g];
            assertEquals(sum, out.getFirst().data()[g], "element " + g);
        }
        String summary = JvmCodegen.compile(LoopParser.parseProgram(text)).summary();
        assertTrue(summary.contains("phases: r0 (") && summary.contains("| loop it [r2 ("), summary);
        assertTrue(summary.contains("per work-item: off i32, v i32"), summary);
        // one is uniform, but computed from nothing stored: cheaper to compute again than to keep in a field.
        assertTrue(summary.contains("recomputed: l i32, one i32"), summary);
    }

    @Test
    void groupConstantsCrossBarriersOnceAndWorkItemValuesEach() {
        // The row total is uniform (read at index 0 after the barrier); acc differs per work-item.
        String text = """
                program @share(%x: f32[N, D]) -> (%y: f32[N, D]) {
                  kernel @share_0(global f32 %x, global mut f32 %y, dim %N, dim %D) local(f32 red[8]) grid(%N * 8) block(8) {
                    decl i32 row = group_id(0)
                    decl i32 lid = local_id(0)
                    decl f32 acc = 0.0f
                    for i32 k = lid to %D step 8 {
                      acc = acc + %x[(row * %D) + k]
                    }
                    store red[lid] = acc
                    barrier
                    decl f32 total = ((red[0] + red[1]) + (red[2] + red[3])) + ((red[4] + red[5]) + (red[6] + red[7]))
                    barrier
                    for i32 k = lid to %D step 8 {
                      store %y[(row * %D) + k] = (%x[(row * %D) + k] / total) + acc
                    }
                  }
                }
                """;
        // Rows shorter than the group, as long, and longer: the strided loops run interchanged.
        for (long d : new long[] {5, 8, 19}) {
            HostTensor x = HostTensor.random(DType.F32, new long[] {5, d}, 7);
            same(text, Map.of("N", 5L, "D", d), List.of(x));
        }
        String summary = JvmCodegen.compile(LoopParser.parseProgram(text)).summary();
        assertTrue(summary.contains("phases: r0 (") && summary.contains("| r1 strided ("), summary);
        assertTrue(summary.contains("per work-item: acc f32"), summary);
        assertTrue(summary.contains("recomputed: row i32, lid i32"), summary);
        assertTrue(summary.contains("uniform: total f32"), summary);
    }

    @Test
    void aNameDeclaredAgainInAnInnerBlockIsAVariableOfItsOwn() {
        String text = """
                program @shadow(%x: i32[N]) -> (%y: i32[N]) {
                  kernel @shadow_0(global i32 %x, global mut i32 %y, dim %N) local(i32 t[4]) grid(%N) block(4) {
                    decl i32 a = local_id(0)
                    decl i32 s = 0
                    for i32 k = 0 to 3 step 1 {
                      decl i32 a = (k * 100) + %x[global_id(0)]
                      store t[local_id(0)] = a
                      barrier
                      s = s + t[3 - local_id(0)]
                      barrier
                    }
                    store %y[global_id(0)] = s + a
                  }
                }
                """;
        same(text, Map.of("N", 12L), List.of(ramp(DType.I32, 12)));
    }

    @Test
    void threeDimensionalGroupsSeeTheirCoordinates() {
        String text = """
                program @coords(%x: i32[N]) -> (%y: i32[N]) {
                  kernel @coords_0(global i32 %x, global mut i32 %y, dim %N) grid(6, 4, 2) block(2, 4, 1) {
                    decl i32 flat = global_id(0) + (6 * (global_id(1) + (4 * global_id(2))))
                    decl i32 code = (((local_id(0) + (10 * local_id(1))) + (100 * group_id(0))) + (1000 * group_id(2))) + (10000 * ((num_groups(0) + num_groups(1)) + local_size(1)))
                    barrier
                    store %y[flat] = code + %x[flat]
                  }
                }
                """;
        same(text, Map.of("N", 48L), List.of(ramp(DType.I32, 48)));
    }

    @Test
    void aBarrierUnderAnIfIsRefused() {
        String text = """
                program @bad(%x: f32[N]) -> (%y: f32[N]) {
                  kernel @bad_0(global f32 %x, global mut f32 %y, dim %N) grid(%N) block(64) {
                    if (%N > 3) {
                      barrier
                    }
                    store %y[global_id(0)] = %x[global_id(0)]
                  }
                }
                """;
        CompileException e = assertThrows(CompileException.class, () -> JvmCodegen.compile(LoopParser.parseProgram(text)));
        assertTrue(e.getMessage().contains("@bad/@bad_0: the JVM backend cannot run a barrier under an if"),
                e.getMessage());
    }

    @Test
    void aProgramThatDoesNotVerifyIsRefusedWithTheVerifiersMessages() {
        String text = """
                program @bad(%x: f32[N]) -> (%y: f32[N]) {
                  kernel @bad_0(global f32 %x, global mut f32 %y, dim %N) grid(%N) block(64) {
                    for i32 k = 0 to global_id(0) step 1 {
                      barrier
                    }
                  }
                }
                """;
        CompileException e = assertThrows(CompileException.class, () -> JvmCodegen.compile(LoopParser.parseProgram(text)));
        assertTrue(e.getMessage().contains("depends on the thread id"), e.getMessage());
    }
}
