package dev.tessera.runtime.jvm;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LoopInterpreter;
import dev.tessera.ir.loop.LoopParser;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;
import dev.tessera.runtime.Execution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The JVM device's contract: always there, caches, poisons what a kernel leaves unwritten, runs from many threads. */
class JvmDeviceTest {

    private static final JvmDevice DEVICE = new JvmDevice(3);

    @AfterAll
    static void close() {
        DEVICE.close();
    }

    private static LoopProgram copy(String name, int local) {
        return program(name, List.of(buffer("x", DType.F32, "N")), List.of(buffer("y", DType.F32, "N")),
                kernel(name, List.of(in("x", DType.F32), out("y", DType.F32), dim("N")), List.of(),
                        List.of(roundUp(i32("N"), local)), List.of(local),
                        decl(i32("i"), gid(0)),
                        when(lt(i32("i"), i32("N")), store("y", i32("i"), load("x", i32("i"), LType.F32)))));
    }

    /** Row sums through local memory and barriers: a kernel whose work-groups cooperate. */
    private static final String ROW_SUM = """
            program @rowsum(%x: f32[N, D]) -> (%y: f32[N]) {
              kernel @rowsum_0(global f32 %x, global mut f32 %y, dim %N, dim %D) local(f32 red[16]) grid(%N * 16) block(16) {
                decl i32 row = group_id(0)
                decl i32 lid = local_id(0)
                decl f32 acc = 0.0f
                for i32 k = lid to %D step 16 {
                  acc = acc + %x[(row * %D) + k]
                }
                store red[lid] = acc
                barrier
                if (lid < 8) {
                  store red[lid] = red[lid] + red[lid + 8]
                }
                barrier
                if (lid < 4) {
                  store red[lid] = red[lid] + red[lid + 4]
                }
                barrier
                if (lid == 0) {
                  store %y[row] = ((red[0] + red[1]) + red[2]) + red[3]
                }
              }
            }
            """;

    @Test
    void isAlwaysDiscoveredAndListedLast() {
        try (Devices devices = Devices.discover()) {
            Device last = devices.all().getLast();
            assertSame(devices.jvm(), last);
            assertEquals("jvm", last.id());
            assertSame(last, devices.find("jvm").orElseThrow());
            assertTrue(last.description().startsWith("JVM bytecode on "), last.description());
            assertTrue(last.properties().keySet().containsAll(List.of("threads", "cores", "java", "vm", "arch")));
        }
    }

    @Test
    void runsAndCachesPrograms() {
        CompiledProgram a = DEVICE.compile(copy("copy", 32));
        assertSame(a, DEVICE.compile(copy("copy", 32)), "an equal program is not compiled twice");
        assertNotSame(a, DEVICE.compile(copy("copy", 64)));
        assertEquals("jvm", a.deviceId());
        assertTrue(a.source().contains("@copy/@copy: hidden class"), a.source());
        HostTensor x = HostTensor.random(DType.F32, new long[] {1000}, 5);
        Execution e = DEVICE.run(a, List.of(x), 3);
        assertEquals(x, e.output(0));
        assertEquals(Map.of("N", 1000L), e.dims());
        assertEquals(3, e.deviceTimesNs().size());
    }

    @Test
    void elementsNoKernelWritesStayPoisoned() {
        // Stores only even elements: the odd ones must come back as the poison (NaN), not as zeros.
        LoopProgram half = program("half", List.of(buffer("x", DType.F32, "N")), List.of(buffer("y", DType.F32, "N")),
                kernel("half", List.of(in("x", DType.F32), out("y", DType.F32), dim("N")), List.of(),
                        List.of(roundUp(i32("N"), 8)), List.of(8),
                        decl(i32("i"), gid(0)),
                        when(and(lt(i32("i"), i32("N")), bin(dev.tessera.ir.loop.LBinOp.EQ,
                                bin(dev.tessera.ir.loop.LBinOp.REM, i32("i"), lit(2)), lit(0))),
                                store("y", i32("i"), load("x", i32("i"), LType.F32)))));
        HostTensor x = HostTensor.random(DType.F32, new long[] {21}, 9);
        HostTensor y = DEVICE.run(DEVICE.compile(half), List.of(x), 2).output(0);
        for (int i = 0; i < 21; i++) {
            if (i % 2 == 0) {
                assertEquals(x.data()[i], y.data()[i]);
            } else {
                assertTrue(Double.isNaN(y.data()[i]), "element " + i + " was never written but reads " + y.data()[i]);
            }
        }
    }

    @Test
    void anOutOfBoundsAccessFailsLoudly() {
        LoopProgram over = program("over", List.of(buffer("x", DType.F32, "N")), List.of(buffer("y", DType.F32, "N")),
                kernel("over", List.of(in("x", DType.F32), out("y", DType.F32), dim("N")), List.of(),
                        List.of(roundUp(i32("N"), 8)), List.of(8),
                        decl(i32("i"), gid(0)),
                        store("y", i32("i"), load("x", i32("i"), LType.F32))));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DEVICE.run(DEVICE.compile(over),
                List.of(HostTensor.random(DType.F32, new long[] {5}, 1)), 1));
        assertTrue(e.getMessage().startsWith("kernel 'over' of 'over' accessed memory out of bounds"), e.getMessage());
    }

    @Test
    void anOutOfBoundsAccessInOneOfManyParallelWorkGroupsFailsLoudly() {
        // One row per work-group, split across the pool's threads; only the last row reads one element too far.
        String text = """
                program @rowsum(%x: f32[N, D]) -> (%y: f32[N]) {
                  kernel @rowsum_0(global f32 %x, global mut f32 %y, dim %N, dim %D) grid(%N) block(1) {
                    decl i32 row = group_id(0)
                    decl f32 acc = 0.0f
                    for i32 k = 0 to %D + select(row == %N - 1, 1, 0) step 1 {
                      acc = acc + %x[(row * %D) + k]
                    }
                    store %y[row] = acc
                  }
                }
                """;
        LoopProgram p = LoopParser.parseProgram(text);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DEVICE.run(DEVICE.compile(p),
                List.of(HostTensor.random(DType.F32, new long[] {97, 13}, 1)), 1));
        assertTrue(e.getMessage().startsWith("kernel 'rowsum_0' of 'rowsum' accessed memory out of bounds"),
                e.getMessage());
    }

    @Test
    void matchesTheLoopInterpreterWithBarriers() {
        LoopProgram p = LoopParser.parseProgram(ROW_SUM);
        HostTensor x = HostTensor.random(DType.F32, new long[] {301, 45}, 2);
        List<HostTensor> want = LoopInterpreter.run(p, Map.of("N", 301L, "D", 45L), List.of(x));
        assertEquals(want, DEVICE.run(DEVICE.compile(p), List.of(x), 2).outputs());
    }

    @Test
    void twoThreadsRunProgramsOnOneDeviceAtOnce() throws Exception {
        LoopProgram sum = LoopParser.parseProgram(ROW_SUM);
        LoopProgram copy = copy("copy", 64);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                LoopProgram p = t == 0 ? sum : copy;
                int seed = t;
                results.add(callers.submit(() -> {
                    start.await();
                    for (int r = 0; r < 20; r++) {
                        List<HostTensor> in = t(p, seed * 100 + r);
                        Map<String, Long> dims = p == sum ? Map.of("N", 173L, "D", 67L) : Map.of("N", 40_000L);
                        List<HostTensor> want = LoopInterpreter.run(p, dims, in);
                        if (!want.equals(DEVICE.run(DEVICE.compile(p), in, 1).outputs())) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            start.countDown();
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            callers.shutdown();
        }
    }

    private static List<HostTensor> t(LoopProgram p, long seed) {
        long[] shape = p.name().equals("rowsum") ? new long[] {173, 67} : new long[] {40_000};
        return List.of(HostTensor.random(DType.F32, shape, seed));
    }

    @Test
    void refusesWhatItCannotRun() {
        LoopProgram ghost = program("broken", List.of(), List.of(buffer("y", DType.F32, 1)),
                kernel("broken", List.of(out("y", DType.F32)), List.of(), List.of(lit(1)), List.of(1),
                        store("y", lit(0), f32("ghost"))));
        CompileException e = assertThrows(CompileException.class, () -> DEVICE.compile(ghost));
        assertTrue(e.getMessage().contains("ghost"), e.getMessage());
        CompiledProgram c = DEVICE.compile(copy("copy", 32));
        assertThrows(IllegalArgumentException.class, () -> DEVICE.run(c, List.of(), 1));
        assertThrows(IllegalArgumentException.class,
                () -> DEVICE.run(c, List.of(HostTensor.zeros(DType.F32, new long[] {4})), 0));
        try (JvmDevice other = new JvmDevice(1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> other.run(c, List.of(HostTensor.zeros(DType.F32, new long[] {4})), 1));
        }
    }

    @Test
    void emptyTensorsRunNothingAndAClosedDeviceRefusesWork() {
        JvmDevice own = new JvmDevice(2);
        CompiledProgram c = own.compile(copy("copy", 32));
        Execution run = own.run(c, List.of(HostTensor.zeros(DType.F32, new long[] {0})), 2);
        assertEquals(0, run.output(0).size());
        own.close();
        own.close();
        assertThrows(IllegalStateException.class,
                () -> own.run(c, List.of(HostTensor.zeros(DType.F32, new long[] {4})), 1));
    }
}
