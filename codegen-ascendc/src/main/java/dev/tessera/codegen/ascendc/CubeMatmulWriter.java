package dev.tessera.codegen.ascendc;

import dev.tessera.ir.tile.TileKernel;

/** Placeholder while the cube path is written. */
final class CubeMatmulWriter {
    CubeMatmulWriter(ProgramEnv env, TileKernel k, AscendOptions options) {
    }

    KernelCode write() {
        throw Cpp.unsupported("cube matmuls yet");
    }
}
