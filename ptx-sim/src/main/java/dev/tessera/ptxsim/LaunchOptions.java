package dev.tessera.ptxsim;

/**
 * Less common launch settings.
 *
 * @param dynamicSharedBytes bytes of dynamic shared memory (the {@code .extern .shared} array), like
 *     the third launch-configuration argument of CUDA
 * @param maxInstructions thread-instructions after which the launch is stopped as a runaway loop
 */
public record LaunchOptions(int dynamicSharedBytes, long maxInstructions) {

    /** No dynamic shared memory, and a limit that only catches runaway loops. */
    public static final LaunchOptions DEFAULT = new LaunchOptions(0, 2_000_000_000L);

    public LaunchOptions {
        if (dynamicSharedBytes < 0 || maxInstructions <= 0) {
            throw new IllegalArgumentException("bad launch options " + dynamicSharedBytes + ", " + maxInstructions);
        }
    }

    /** These options with {@code bytes} of dynamic shared memory. */
    public LaunchOptions withDynamicShared(int bytes) {
        return new LaunchOptions(bytes, maxInstructions);
    }

    /** These options with a different runaway limit. */
    public LaunchOptions withMaxInstructions(long limit) {
        return new LaunchOptions(dynamicSharedBytes, limit);
    }
}
