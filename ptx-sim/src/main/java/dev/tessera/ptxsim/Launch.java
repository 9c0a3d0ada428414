package dev.tessera.ptxsim;

/** What every CTA of one kernel launch shares: code, parameters, memory and the launch shape. */
final class Launch {

    final Kernel kernel;
    final DeviceMemory memory;
    final byte[] params;
    final long[] globalAddresses;
    final byte[] constBank;
    final int[] grid;
    final int[] block;
    final int dynamicSharedBytes;
    final long instructionLimit;
    long executed;

    Launch(Kernel kernel, DeviceMemory memory, byte[] params, long[] globalAddresses, byte[] constBank,
           int[] grid, int[] block, int dynamicSharedBytes, long instructionLimit) {
        this.kernel = kernel;
        this.memory = memory;
        this.params = params;
        this.globalAddresses = globalAddresses;
        this.constBank = constBank;
        this.grid = grid;
        this.block = block;
        this.dynamicSharedBytes = dynamicSharedBytes;
        this.instructionLimit = instructionLimit;
    }

    int threadsPerCta() {
        return block[0] * block[1] * block[2];
    }
}
