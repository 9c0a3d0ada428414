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
 * faster than the best before them, and for at most 3T. Whether a batch was faster is judged on the device's
 * own times when it reports them; how long the warm-up has taken, and how many runs make a batch, on whichever
 * is larger, those times or the clock. A tiny kernel on PoCL takes a microsecond of device time and a hundred
 * of the clock: counted by its device time alone, its warm-up would last minutes.
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
        long cost = best;
        long spent = 0;
        int flat = 0;
        while (spent < 3 * targetNs && (spent < targetNs / 2 || flat < 3)) {
            int n = (int) Math.clamp(targetNs / 10 / cost, 1, 10_000);
            long[] batch = new long[n];
            long t0 = clock.nanoTime();
            if (deviceTiming) {
                List<Long> times = device.run(program, inputs, n).deviceTimesNs();
                for (int i = 0; i < n; i++) {
                    batch[i] = Math.max(1, times.get(i));
                }
            } else {
                for (int i = 0; i < n; i++) {
                    long r0 = clock.nanoTime();
                    device.run(program, inputs, 1);
                    batch[i] = Math.max(1, clock.nanoTime() - r0);
                }
            }
            long took = clock.nanoTime() - t0;
            long sum = 0;
            for (long t : batch) {
                sum += t;
            }
            spent += Math.max(took, sum);
            cost = Math.max(1, Math.max(took, sum) / n);
            Arrays.sort(batch);
            long median = batch[n / 2];
            flat = median < best - best / 20 ? 0 : flat + 1;
            best = Math.min(best, median);
        }
        return best;
    }
}
