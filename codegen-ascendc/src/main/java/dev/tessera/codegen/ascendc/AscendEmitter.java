package dev.tessera.codegen.ascendc;

import dev.tessera.ir.tile.TileKernel;
import dev.tessera.ir.tile.TileModule;
import dev.tessera.ir.tile.TileProgram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits Ascend C for the Atlas A2 (910B) family from tile IR: per DSL kernel, one {@code extern "C"
 * __global__ __aicore__} kernel per tile kernel (a class with Init, Process, CopyIn, Compute, CopyOut on
 * TPipe/TQue/TBuf), the host tiling computed from the bound shapes, a launcher, a host program and a CMake
 * project for the CANN toolchain. Every generated file lands under a directory named after the DSL kernel.
 *
 * <p>Pointwise and reduce kernels run on the vector unit ({@link RowKernelWriter}); matmuls of f16/bf16
 * operands on the cube unit with the epilogue on the vector unit ({@link CubeMatmulWriter}), other matmuls on
 * the vector unit ({@link VectorMatmulWriter}). What the backend cannot express it refuses with a
 * {@link dev.tessera.ir.CompileException} naming the kernel and the reason.
 */
public final class AscendEmitter {

    private AscendEmitter() {}

    /** Every program of a module; file names are prefixed by the program's directory. */
    public static Map<String, String> emit(TileModule module, AscendOptions options) {
        Map<String, String> files = new LinkedHashMap<>();
        for (TileProgram p : module.programs()) {
            files.putAll(emit(p, options).files());
        }
        return files;
    }

    public static AscendProgram emit(TileProgram program, AscendOptions options) {
        TileProgram prepared = MatmulPlanner.prepare(program);
        ProgramEnv env = new ProgramEnv(prepared);
        List<KernelCode> kernels = new ArrayList<>();
        for (TileKernel k : prepared.kernels()) {
            kernels.add(switch (k.kind()) {
                case POINTWISE, REDUCE -> new RowKernelWriter(env, k, options).write();
                case MATMUL -> MatmulPlanner.isCube(k, env)
                        ? new CubeMatmulWriter(env, k).write()
                        : new VectorMatmulWriter(env, k, options).write();
            });
        }
        String dir = program.name() + "/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put(dir + "tessera_tiling.h", Prelude.TILING_H);
        files.put(dir + "tessera_ascendc.h", Prelude.DEVICE_H);
        files.put(dir + env.cName + "_tiling.h", HostWriter.tilingHeader(env, kernels));
        files.put(dir + env.cName + "_kernels.cpp", HostWriter.kernelsFile(env, kernels));
        files.put(dir + env.cName + "_launch.h", HostWriter.launchHeader(env, kernels));
        files.put(dir + "main.asc", HostWriter.mainProgram(env, kernels));
        files.put(dir + "CMakeLists.txt", HostWriter.cmake(env));
        return new AscendProgram(program.name(), kernels, prepared.buffers(), env.dims, files);
    }
}
