package dev.tessera.runtime.opencl;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.BinaryRejectedException;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Devices;
import dev.tessera.runtime.DiscoveredDevices;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Program binaries on the OpenCL device: exported after a build, loaded by a fresh device (as in another
 * process) without the OpenCL C compiler, and refused, without harm, when they are not the program's.
 */
class OpenClBinaryTest {

    @RegisterExtension
    static final DiscoveredDevices devices = new DiscoveredDevices();

    /** out = alpha * x + y: one kernel named after the program. */
    private static LoopProgram axpy(String name) {
        return program(name,
                List.of(buffer("alpha", DType.F32), buffer("x", DType.F32, "N"), buffer("y", DType.F32, "N")),
                List.of(buffer("out", DType.F32, "N")),
                elementwise(name, List.of(in("alpha", DType.F32), in("x", DType.F32), in("y", DType.F32),
                        out("out", DType.F32), dim("N")), "out",
                        add(mul(load("alpha", lit(0), LType.F32), load("x", i32("i"), LType.F32)),
                                load("y", i32("i"), LType.F32))));
    }

    private static List<HostTensor> inputs() {
        return List.of(new HostTensor(DType.F32, new long[0], new double[] {(float) 1.75}),
                HostTensor.random(DType.F32, new long[] {1000}, 1), HostTensor.random(DType.F32, new long[] {1000}, 2));
    }

    /** A device of its own, with no programs in memory: what another process would have. */
    private static OpenClDevice fresh(Devices own) {
        return (OpenClDevice) own.openCl().getFirst();
    }

    @Test
    void aFreshDeviceLoadsTheBinaryWithoutCompilingAndComputesTheSameBits() throws Exception {
        OpenClDevice builder = (OpenClDevice) Pocl.firstDevice(devices.get());
        LoopProgram p = axpy("axpy_binary");
        int before = builder.sourceBuilds();
        CompiledProgram built = builder.compile(p);
        assertEquals(before + 1, builder.sourceBuilds());
        byte[] binary = builder.exportBinary(built).orElseThrow(() -> new AssertionError("PoCL gives binaries"));
        HostTensor want = builder.run(built, inputs(), 1).output(0);

        try (Devices own = Devices.discover()) {
            OpenClDevice other = fresh(own);
            CompiledProgram loaded = other.loadBinary(p, binary);
            assertEquals(0, other.sourceBuilds(), "the OpenCL C compiler did not run");
            assertEquals(1, other.binaryLoads());
            assertSame(loaded, other.compile(p), "a loaded program is cached like a compiled one");
            assertEquals(0, other.sourceBuilds());
            assertEquals(built.source(), loaded.source());
            Pocl.assertExact(want.data(), other.run(loaded, inputs(), 1).output(0));
        }
    }

    @Test
    void bytesTheDriverRefusesAreRejectedAndTheProgramStillCompiles() {
        Pocl.firstDevice(devices.get());
        LoopProgram p = axpy("axpy_refused");
        try (Devices own = Devices.discover()) {
            OpenClDevice other = fresh(own);
            BinaryRejectedException garbage = assertThrows(BinaryRejectedException.class,
                    () -> other.loadBinary(p, "not a program binary".getBytes(StandardCharsets.US_ASCII)));
            assertTrue(garbage.getMessage().startsWith("the driver refuses it: clCreateProgramWithBinary failed"),
                    garbage.getMessage());
            BinaryRejectedException empty = assertThrows(BinaryRejectedException.class,
                    () -> other.loadBinary(p, new byte[0]));
            assertEquals("the binary is empty", empty.getMessage());
            assertEquals(0, other.binaryLoads());
            CompiledProgram compiled = other.compile(p);
            assertEquals(1, other.sourceBuilds(), "a refused binary left nothing cached in its place");
            other.run(compiled, inputs(), 1);
        }
    }

    @Test
    void anotherProgramsBinaryIsRejected() {
        OpenClDevice builder = (OpenClDevice) Pocl.firstDevice(devices.get());
        byte[] binary = builder.exportBinary(builder.compile(axpy("axpy_mine"))).orElseThrow();
        LoopProgram theirs = axpy("axpy_theirs");
        try (Devices own = Devices.discover()) {
            OpenClDevice other = fresh(own);
            BinaryRejectedException e = assertThrows(BinaryRejectedException.class,
                    () -> other.loadBinary(theirs, binary));
            assertTrue(e.getMessage().startsWith("it is not this program's binary: clCreateKernel failed"),
                    e.getMessage());
            assertEquals(0, other.binaryLoads());
            other.compile(theirs);
            assertEquals(1, other.sourceBuilds());
        }
    }
}
