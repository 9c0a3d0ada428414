package dev.tessera.runtime.jit;

import dev.tessera.ir.interp.HostTensor;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a compiled program, untimed, until its time per run has settled, so that what is timed afterwards is the
 * code as it will stay. Code gets faster as it runs: the JVM compiles a kernel's bytecode in tiers as it gets
 * hot, and PoCL builds a kernel again for each new work-group size.
 *
 * <p>For a target time T: batches of about T/10, for at least T/2, until three batches in a row have not been 5%
 * faster than the best before them, and for at most 3T. The time counted is what the runs took (the device's
 * own when it reports it), so a device that reports its own times needs no clock.
 */
public final class WarmUp {

    private WarmUp() {}

    /**
     * @param deviceTiming time by the device's own times ({@link dev.tessera.runtime.Execution#deviceTimesNs})
     *     rather than by {@code clock}
     * @param firstNs the time of a run already made, where the warm-up starts from
     * @return the time of one run once settled (the median of the last batch, or less if an earlier one was)
     */
    public static long settle(Device device, CompiledProgram program, List<HostTensor> inputs, boolean deviceTiming,
            TimeSource clock, long targetNs, long firstNs) {
        long best = Math.max(1, firstNs);
        long spent = 0;
        int flat = 0;
        while (spent < 3 * targetNs && (spent < targetNs / 2 || flat < 3)) {
            int n = (int) Math.clamp(targetNs / 10 / best, 1, 10_000);
            long[] batch = new long[n];
            if (deviceTiming) {
                List<Long> times = device.run(program, inputs, n).deviceTimesNs();
                for (int i = 0; i < n; i++) {
                    batch[i] = Math.max(1, times.get(i));
                }
            } else {
                for (int i = 0; i < n; i++) {
                    long t0 = clock.nanoTime();
                    device.run(program, inputs, 1);
                    batch[i] = Math.max(1, clock.nanoTime() - t0);
                }
            }
            for (long t : batch) {
                spent += t;
            }
            Arrays.sort(batch);
            long median = batch[n / 2];
            flat = median < best - best / 20 ? 0 : flat + 1;
            best = Math.min(best, median);
        }
        return best;
    }
}
