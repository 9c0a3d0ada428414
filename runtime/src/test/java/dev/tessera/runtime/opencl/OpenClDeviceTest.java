package dev.tessera.runtime.opencl;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.DType;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;
import dev.tessera.runtime.DiscoveredDevices;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The device contract around running: discovery, build errors, caching, argument checks, CL errors. */
class OpenClDeviceTest {

    @RegisterExtension
    static final DiscoveredDevices devices = new DiscoveredDevices();

    private static LoopProgram copy(String name, int local) {
        return program(name, List.of(buffer("x", DType.F32, "N")), List.of(buffer("y", DType.F32, "N")),
                kernel(name, List.of(in("x", DType.F32), out("y", DType.F32), dim("N")), List.of(),
                        List.of(roundUp(i32("N"), local)), List.of(local),
                        decl(i32("i"), gid(0)),
                        when(lt(i32("i"), i32("N")), store("y", i32("i"), load("x", i32("i"), LType.F32)))));
    }

    @Test
    void buildErrorBecomesACompileExceptionWithTheLog() {
        Device device = Pocl.firstDevice(devices.get());
        // The emitter does not check that variables are declared (the IR verifier does), so this reaches clang.
        LoopProgram broken = program("broken", List.of(), List.of(buffer("y", DType.F32, 1)),
                kernel("broken", List.of(out("y", DType.F32)), List.of(), List.of(lit(1)), List.of(1),
                        store("y", lit(0), f32("ghost"))));
        CompileException e = assertThrows(CompileException.class, () -> device.compile(broken));
        Diagnostic d = e.diagnostics().getFirst();
        assertEquals(Diagnostic.Severity.ERROR, d.severity());
        assertTrue(d.message().startsWith("OpenCL build failed for kernel broken:\n"), d.message());
        assertTrue(d.message().contains("v_ghost"), d.message());
    }

    @Test
    void compileIsCachedPerProgram() {
        Device device = Pocl.firstDevice(devices.get());
        CompiledProgram a = device.compile(copy("copy", 32));
        assertSame(a, device.compile(copy("copy", 32)), "an equal program is not built twice");
        assertNotSame(a, device.compile(copy("copy", 64)));
        assertEquals(device.id(), a.deviceId());
        assertTrue(a.source().contains("void tsr_copy("));
    }

    @Test
    void buffersAreKeptBetweenRunsAndUsedAgain() {
        OpenClDevice device = (OpenClDevice) Pocl.firstDevice(devices.get());
        CompiledProgram c = device.compile(copy("copy", 32));
        HostTensor a = HostTensor.random(DType.F32, new long[] {1001}, 1);
        HostTensor b = HostTensor.random(DType.F32, new long[] {1001}, 2);
        assertEquals(a, device.run(c, List.of(a), 1).output(0));
        int made = device.buffersCreated();
        // Same sizes: the kept buffers serve, and hold nothing of the last run that the new one would see.
        assertEquals(b, device.run(c, List.of(b), 1).output(0));
        assertEquals(made, device.buffersCreated(), "no new buffers for a run of the same sizes");
        HostTensor longer = HostTensor.random(DType.F32, new long[] {1002}, 3);
        assertEquals(longer, device.run(c, List.of(longer), 1).output(0));
        assertEquals(made + 2, device.buffersCreated(), "other sizes get buffers of their own");
    }

    @Test
    void inputsThatDoNotFitThePlanAreRejectedClearly() {
        Device device = Pocl.firstDevice(devices.get());
        CompiledProgram c = device.compile(copy("copy", 32));
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> device.run(c, List.of(HostTensor.zeros(DType.F16, new long[] {4})), 1));
        assertEquals("input 1 ('x') of 'copy' must be f32[N] but the tensor given is f16[4]", wrongType.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> device.run(c, List.of(), 1));
        assertEquals("kernel 'copy' takes 1 input (x: f32[N]) but 0 were given", count.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> device.run(c, List.of(HostTensor.zeros(DType.F32, new long[] {4})), 0));
    }

    @Test
    void emptyTensorsRunNothing() {
        Device device = Pocl.firstDevice(devices.get());
        var run = device.run(device.compile(copy("copy", 32)), List.of(HostTensor.zeros(DType.F32, new long[] {0})), 2);
        assertEquals(0, run.output(0).size());
        assertEquals(List.of(0L, 0L), run.deviceTimesNs());
    }

    @Test
    void openClErrorsNameTheFunctionAndTheCode() {
        Device device = Pocl.firstDevice(devices.get());
        OpenClDevice cl = (OpenClDevice) device;
        int tooBig = (int) Math.min(Integer.MAX_VALUE / 2, cl.clDevice().maxWorkGroupSize() * 2);
        RuntimeException e = assertThrows(RuntimeException.class, () -> device.run(device.compile(copy("wide", tooBig)),
                List.of(HostTensor.random(DType.F32, new long[] {10}, 1)), 1));
        // Drivers differ in where they notice: at build time (the reqd_work_group_size attribute) or at launch.
        if (e instanceof OpenClException ce) {
            assertEquals("clEnqueueNDRangeKernel", ce.function());
            assertEquals("CL_INVALID_WORK_GROUP_SIZE", ce.codeName());
            assertTrue(ce.getMessage().startsWith("clEnqueueNDRangeKernel failed: CL_INVALID_WORK_GROUP_SIZE"), ce.getMessage());
        } else {
            assertInstanceOf(CompileException.class, e);
        }
    }

    @Test
    void aClosedDeviceRefusesWork() {
        try (Devices own = Devices.discover()) {
            Device device = Pocl.firstDevice(own);
            CompiledProgram c = device.compile(copy("copy", 32));
            device.close();
            device.close();
            assertThrows(IllegalStateException.class,
                    () -> device.run(c, List.of(HostTensor.zeros(DType.F32, new long[] {4})), 1));
        }
    }

    @Test
    void programsRunOnlyWhereTheyWereCompiled() {
        try (Devices own = Devices.discover()) {
            Device mine = Pocl.firstDevice(devices.get());
            Device other = Pocl.firstDevice(own);
            CompiledProgram c = other.compile(copy("copy", 32));
            assertThrows(IllegalArgumentException.class,
                    () -> mine.run(c, List.of(HostTensor.zeros(DType.F32, new long[] {4})), 1));
        }
    }

    @Test
    void describesDevices() {
        Device device = Pocl.firstDevice(devices.get());
        assertTrue(device.id().matches("opencl:\\d+:\\d+"), device.id());
        assertFalse(device.description().isBlank());
        assertTrue(device.properties().keySet().containsAll(List.of("name", "vendor", "version", "driver version",
                "compute units", "global memory bytes", "max work-group size", "type")));
        assertTrue(OpenClInfo.describe().contains(device.id() + "  " + device.description()), OpenClInfo.describe());
    }

    @Test
    void missingLibraryIsReportedNotThrown() {
        OpenClDiscovery.Result r = OpenClDiscovery.discover(List.of("libTesseraNoSuchOpenCL.so.9"));
        assertTrue(r.devices().isEmpty());
        assertEquals("no OpenCL library: tried libTesseraNoSuchOpenCL.so.9 (not found)", r.reason().orElseThrow());
    }

    @Test
    void errorCodesHaveNames() {
        assertEquals("CL_INVALID_WORK_GROUP_SIZE", ClErrors.name(-54));
        assertEquals("CL_BUILD_PROGRAM_FAILURE", ClErrors.name(-11));
        assertEquals("CL_ERROR(-9999)", ClErrors.name(-9999));
        assertEquals("clFinish failed: CL_OUT_OF_RESOURCES (while testing)",
                new OpenClException("clFinish", -5, "while testing").getMessage());
    }
}
