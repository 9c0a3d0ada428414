package dev.tessera.testsuite;

import dev.tessera.codegen.ptx.PtxArch;
import dev.tessera.codegen.ptx.PtxEmitter;
import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ptxsim.DeviceMemory;
import dev.tessera.ptxsim.PtxModule;
import dev.tessera.runtime.LaunchGeometry;
import dev.tessera.runtime.ShapeBinder;
import dev.tessera.runtime.StorageCodec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The PTX Tessera emits, executed by the independent PTX interpreter ({@code ptx-sim}, which parses the PTX
 * text), against the reference interpreter: every example and test kernel, both schedules, odd shapes,
 * fresh random inputs and poisoned outputs. This is how PTX is shown correct without a GPU.
 */
class PtxInterpreterTest {

    @TestFactory
    Stream<DynamicTest> everyKernelOnThePtxInterpreter() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Examples.Case c : Examples.cases()) {
            for (Map<String, Integer> s : DifferentialTest.SCHEDULES) {
                tests.add(DynamicTest.dynamicTest(c + " " + s, () -> {
                    long seed = new SplittableRandom().nextLong();
                    Map<String, Long> dims = Examples.dims(c.kernel(), DifferentialTest.INTERPRETER_DIMS);
                    List<HostTensor> in = Examples.inputs(c.kernel(), dims, seed);
                    List<HostTensor> expected = ReferenceInterpreter.run(c.kernel(), in);
                    LoopProgram p = DifferentialTest.compile(c.module(), c.kernel().name(), s);
                    List<HostTensor> actual = run(p, in);
                    DifferentialTest.assertMatches(expected, actual, c + " on ptx-sim dims " + dims + " seed " + seed);
                }));
            }
        }
        return tests.stream();
    }

    /** Runs a program the way the CUDA device does, with the interpreter standing in for the GPU. */
    static List<HostTensor> run(LoopProgram p, List<HostTensor> inputs) {
        Map<String, Long> dims = ShapeBinder.bind(p, inputs);
        PtxModule module = PtxModule.parse(PtxEmitter.emit(p, PtxArch.SM_80));
        DeviceMemory mem = new DeviceMemory();
        BufferPlan plan = p.buffers();
        Map<String, Long> pointers = new HashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < plan.inputs().size(); i++) {
                MemorySegment bytes = StorageCodec.encode(arena, inputs.get(i));
                long ptr = mem.alloc(Math.max(1, bytes.byteSize()));
                mem.write(ptr, bytes.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                pointers.put(plan.inputs().get(i).name(), ptr);
            }
        }
        List<Buffer> scratch = new ArrayList<>(plan.outputs());
        scratch.addAll(plan.temps());
        for (Buffer b : scratch) {
            int bytes = (int) StorageCodec.byteSize(b.type().dtype(), count(ShapeBinder.shapeOf(b, dims)));
            long ptr = mem.alloc(Math.max(1, bytes));
            byte[] poison = new byte[bytes];
            Arrays.fill(poison, (byte) 0xFF);
            mem.write(ptr, poison);
            pointers.put(b.name(), ptr);
        }
        for (LoopKernel k : p.kernels()) {
            long[] global = LaunchGeometry.global(k, dims);
            long[] local = LaunchGeometry.local(k);
            int[] grid = new int[3];
            int[] block = new int[3];
            for (int d = 0; d < 3; d++) {
                block[d] = d < local.length ? (int) local[d] : 1;
                grid[d] = d < global.length ? (int) (global[d] / block[d]) : 1;
            }
            if (grid[0] * (long) grid[1] * grid[2] == 0) {
                continue;
            }
            List<Object> args = new ArrayList<>();
            for (LoopParam param : k.params()) {
                switch (param) {
                    case LoopParam.BufferParam b -> args.add(pointers.get(plan.storageOf(b.name())));
                    case LoopParam.DimParam d -> args.add(Math.toIntExact(dims.get(d.name())));
                }
            }
            module.launch(PtxEmitter.kernelSymbol(k), grid, block, args, mem);
        }
        List<HostTensor> out = new ArrayList<>();
        for (Buffer b : plan.outputs()) {
            long[] shape = ShapeBinder.shapeOf(b, dims);
            int bytes = (int) StorageCodec.byteSize(b.type().dtype(), count(shape));
            byte[] data = bytes == 0 ? new byte[0] : mem.read(pointers.get(b.name()), bytes);
            // decode reads with aligned layouts; a heap byte[] segment is only byte-aligned
            MemorySegment aligned = Arena.ofAuto().allocate(Math.max(1, data.length), 8);
            MemorySegment.copy(MemorySegment.ofArray(data), 0, aligned, 0, data.length);
            out.add(StorageCodec.decode(b.type().dtype(), shape, aligned.asSlice(0, data.length)));
        }
        return out;
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
