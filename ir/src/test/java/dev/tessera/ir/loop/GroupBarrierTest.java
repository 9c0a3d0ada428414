package dev.tessera.ir.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The interpreter's work-group barrier: ordinary rounds, and the divergence it must report rather than hang on. */
class GroupBarrierTest {

    private static void runAll(Runnable... bodies) throws InterruptedException {
        Thread[] threads = new Thread[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            Runnable body = bodies[i];
            threads[i] = Thread.ofVirtual().start(() -> {
                try {
                    body.run();
                } catch (RuntimeException e) {
                    // the barrier records the failure; woken threads just stop
                }
            });
        }
        for (Thread t : threads) {
            assertTrue(t.join(Duration.ofSeconds(10)), "a thread hung");
        }
    }

    @Test
    void everyRoundWaitsForAllThreads() throws InterruptedException {
        int parties = 8;
        GroupBarrier b = new GroupBarrier(parties, "in test");
        Object site = new Object();
        AtomicInteger arrived = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        Runnable body = () -> {
            for (int round = 1; round <= 50; round++) {
                arrived.incrementAndGet();
                b.await(site);
                if (arrived.get() < round * parties) {
                    wrong.incrementAndGet();
                }
                b.await(site);
            }
            b.finish();
        };
        runAll(body, body, body, body, body, body, body, body);
        assertNull(b.failure());
        assertEquals(0, wrong.get());
    }

    @Test
    void aThreadFinishingWhileAnotherWaitsIsReported() throws InterruptedException {
        GroupBarrier b = new GroupBarrier(2, "in @p/@k work-group (0, 0, 0)");
        runAll(() -> b.await(new Object()), b::finish);
        assertNotNull(b.failure());
        assertTrue(b.failure().getMessage().matches(".*(finished without reaching a barrier|finished while 1 other).*"
                + "in @p/@k work-group \\(0, 0, 0\\)"), b.failure().getMessage());
    }

    @Test
    void threadsAtDifferentBarriersAreReported() throws InterruptedException {
        GroupBarrier b = new GroupBarrier(2, "in test");
        runAll(() -> b.await(new Object()), () -> b.await(new Object()));
        assertTrue(b.failure().getMessage().startsWith("threads of one work-group wait at different barriers"));
    }

    /** An out-of-bounds store in one thread of a group with barriers wakes the others and is what is reported. */
    @Test
    void aFailingThreadDoesNotHangItsGroup() {
        String broken = LoopInterpreterTest.MATMUL.replace("{ store as[ty * 8 + tx] = %a", "{ store as[ty * 8 + tx + 1] = %a");
        HostTensor a = HostTensor.random(DType.F32, new long[] {8, 8}, 1);
        HostTensor c = HostTensor.random(DType.F32, new long[] {8, 8}, 2);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> LoopInterpreter.run(LoopParser.parseProgram(broken), Map.of("M", 8L, "N", 8L, "K", 8L),
                        List.of(a, c)));
        assertEquals("out-of-bounds store as[64] (size 64) in @mm/@mm_0 at global_id (7, 7, 0)", e.getMessage());
    }
}
