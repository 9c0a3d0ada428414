package dev.tessera.runtime.jit;

import dev.tessera.runtime.Device;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place that decides where a kernel runs when the user lets Tessera choose ({@code --device auto},
 * {@code Tessera.create()} without a device), and with which schedule:
 * <ol>
 *   <li><b>Measured</b>: among the devices present that have a cached tuning result for this request (same
 *       source, kernel, dtypes, shape bucket, device identity and driver, Tessera version), the one whose
 *       winning variant measured fastest, with that variant.</li>
 *   <li><b>Untuned</b>: otherwise the first device present by kind, in the order of {@link #UNTUNED_ORDER}
 *       (a CUDA GPU first: native code for the GPU; then OpenCL; the JVM device before the reference
 *       interpreter), with the default schedules.</li>
 *   <li><b>Nothing</b>: otherwise the reference interpreter.</li>
 * </ol>
 * On a device the user named, the schedule is that device's cached winner if there is one, else the defaults.
 * Times measured by different devices are compared as they are (device timing where a device has it, else
 * wall-clock); a device of a kind not in the list comes after those that are.
 */
public final class DevicePolicy {

    /** Device kinds ({@link DeviceIdentity#kindOf}) in order of preference when nothing was measured. */
    public static final List<String> UNTUNED_ORDER = List.of("cuda", "opencl", "ascend", "jvm");

    private DevicePolicy() {}

    /**
     * @param devices the devices present, in {@code Devices.all()} order
     * @param tuned the cached tuning result of this request on a device, if any
     * @param defaults the variant with every kernel's default schedule on a device
     */
    public static Choice choose(List<Device> devices, Function<Device, Optional<TuningResult>> tuned,
            Function<Device, Variant> defaults) {
        Device fastest = null;
        Measurement fastestWinner = null;
        int tunedCount = 0;
        for (Device d : devices) {
            Optional<Measurement> w = tuned.apply(d).flatMap(TuningResult::winner);
            if (w.isPresent()) {
                tunedCount++;
                if (fastestWinner == null || w.get().medianNs() < fastestWinner.medianNs()) {
                    fastest = d;
                    fastestWinner = w.get();
                }
            }
        }
        if (fastest != null) {
            return new Choice(Optional.of(fastest), fastestWinner.variant(), "tuned: fastest of " + tunedCount
                    + " tuned device" + (tunedCount == 1 ? "" : "s") + " (" + formatNs(fastestWinner.medianNs()) + ")");
        }
        for (String kind : UNTUNED_ORDER) {
            for (Device d : devices) {
                if (DeviceIdentity.kindOf(d.id()).equals(kind)) {
                    return new Choice(Optional.of(d), defaults.apply(d), "untuned: first " + kind + " device, default schedule");
                }
            }
        }
        if (!devices.isEmpty()) {
            Device d = devices.getFirst();
            return new Choice(Optional.of(d), defaults.apply(d), "untuned: first device, default schedule");
        }
        // The reference interpreter runs the graph IR and takes no schedule.
        return new Choice(Optional.empty(), new Variant(Map.of()), "no device present: reference interpreter");
    }

    /** The schedule on a device the user chose: its cached winner, else the defaults. */
    public static Choice onDevice(Device d, Optional<TuningResult> tuned, Variant defaults) {
        Optional<Measurement> w = tuned.flatMap(TuningResult::winner);
        return w.map(m -> new Choice(Optional.of(d), m.variant(), "device chosen by the user, tuned schedule ("
                        + formatNs(m.medianNs()) + ")"))
                .orElseGet(() -> new Choice(Optional.of(d), defaults, "device chosen by the user, default schedule"));
    }

    public static String formatNs(long ns) {
        if (ns < 1_000_000) {
            return String.format("%.1f us", ns / 1e3);
        }
        if (ns < 10_000_000_000L) {
            return String.format("%.2f ms", ns / 1e6);
        }
        return String.format("%.1f s", ns / 1e9);
    }
}
