package dev.tessera.runtime.jit;

/**
 * A monotonic clock in nanoseconds. The tuner reads time only through this, so tests can drive it with a fake
 * clock instead of real timing.
 */
@FunctionalInterface
public interface TimeSource {

    TimeSource SYSTEM = System::nanoTime;

    long nanoTime();
}
