package dev.tessera.runtime.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.tile.KernelKind;
import dev.tessera.ir.tile.Schedule;
import dev.tessera.passes.tile.Schedules;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The search space: grids per kind, variant text, and applying a variant to a program. */
class VariantsTest {

    @Test
    void gridsStartAtTheDefaultAndHoldOnlyValidDistinctSchedules() {
        for (Schedules.Profile w : Schedules.Profile.values()) {
            for (KernelKind kind : KernelKind.values()) {
                List<Schedule> grid = Variants.grid(kind, w);
                assertEquals(Schedules.defaults(kind, w), grid.getFirst(), kind.irName() + " " + w);
                assertEquals(grid.size(), new HashSet<>(grid).size(), "no duplicates");
                grid.forEach(s -> assertEquals(null, Schedules.check(kind, s), s.toString()));
            }
        }
        var gpu = Schedules.Profile.GPU;
        assertEquals(3, Variants.grid(KernelKind.POINTWISE, gpu).size());
        assertEquals(6, Variants.grid(KernelKind.REDUCE, gpu).size(), "wg 64, 128, 256, each with stash 0, 1");
        assertEquals(8, Variants.grid(KernelKind.REDUCE, Schedules.Profile.JVM).size(), "and wg=1");
        assertEquals(new Schedule(Map.of("wg", 64, "stash", 1)),
                Variants.grid(KernelKind.REDUCE, Schedules.Profile.CPU).getFirst());
        assertEquals(32, Variants.grid(KernelKind.MATMUL, Schedules.Profile.CPU).getFirst().get("tn"));
        assertEquals(new Schedule(Map.of("wg", 1, "stash", 1)),
                Variants.grid(KernelKind.REDUCE, Schedules.Profile.JVM).getFirst());
        assertEquals(64, Variants.grid(KernelKind.MATMUL, gpu).size());
        // Nearest to the default first: the next five change one parameter each.
        Schedule def = Schedules.defaults(KernelKind.MATMUL);
        for (Schedule s : Variants.grid(KernelKind.MATMUL, gpu).subList(1, 6)) {
            long changed = def.params().keySet().stream().filter(k -> s.get(k) != def.get(k)).count();
            assertEquals(1, changed, s.toString());
        }
    }

    @Test
    void variantTextRoundTrips() {
        Variant v = new Variant(Map.of("attention_0", new Schedule(Map.of("tm", 32, "tn", 64, "tk", 8, "rm", 2, "rn", 4))))
                .with("attention_1", new Schedule(Map.of("wg", 64)));
        assertEquals("attention_0[rm=2,rn=4,tk=8,tm=32,tn=64] attention_1[wg=64]", v.text());
        assertEquals(v, Variant.parse(v.text()));
        assertEquals("wg=64", Variant.parse("k_0[wg=64]").display());
        for (String bad : new String[] {"", "k_0", "k_0[wg=x]", "k_0[wg=64] k_0[wg=32]", "k_0[=4]"}) {
            assertThrows(IllegalArgumentException.class, () -> Variant.parse(bad), bad);
        }
    }

    @Test
    void applyingChecksTheSchedule() {
        CompiledSource src = CompiledSource.compile("s.tsr", TunerTest.SOFTMAX);
        var p = src.tileProgram("softmax");
        var lowered = Variants.lower(p, Variant.parse("softmax_0[stash=0,wg=256]"));
        assertEquals(List.of(256), lowered.kernels().getFirst().localSize());
        var notPow2 = assertThrows(IllegalArgumentException.class, () -> Variants.apply(p, Variant.parse("softmax_0[stash=0,wg=100]")));
        assertTrue(notPow2.getMessage().contains("power of two"), notPow2.getMessage());
        var wrongKeys = assertThrows(IllegalArgumentException.class, () -> Variants.apply(p, Variant.parse("softmax_0[tm=64]")));
        assertTrue(wrongKeys.getMessage().contains("does not fit reduce kernel softmax_0"), wrongKeys.getMessage());
        var badSwitch = assertThrows(IllegalArgumentException.class,
                () -> Variants.apply(p, Variant.parse("softmax_0[stash=2,wg=64]")));
        assertTrue(badSwitch.getMessage().contains("stash must be 0 or 1"), badSwitch.getMessage());
        var noKernel = assertThrows(IllegalArgumentException.class, () -> Variants.apply(p, Variant.parse("other_0[wg=64]")));
        assertTrue(noKernel.getMessage().contains("does not have"), noKernel.getMessage());
    }

    @Test
    void shapeBuckets() {
        assertEquals(1024, KernelRequest.bucketOf(1000));
        assertEquals(1024, KernelRequest.bucketOf(1024));
        assertEquals(2048, KernelRequest.bucketOf(1025));
        assertEquals(1, KernelRequest.bucketOf(1));
        assertEquals(0, KernelRequest.bucketOf(0));
    }
}
