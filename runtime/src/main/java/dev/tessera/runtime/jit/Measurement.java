package dev.tessera.runtime.jit;

/**
 * What the tuner found for one variant on one device.
 *
 * @param medianNs the median of the timed runs (0 unless {@link Status#OK})
 * @param minNs the fastest timed run (0 unless OK)
 * @param runs how many timed runs the figures come from
 * @param confirmed whether it was timed again in the tuner's confirmation rounds, alternating with the default
 * @param note why a variant was rejected or skipped, else empty
 */
public record Measurement(Variant variant, Status status, long medianNs, long minNs, int runs, boolean confirmed,
        String note) {

    /** The fate of a candidate. */
    public enum Status {
        /** Ran and matched the reference; timed. */
        OK,
        /** Ran but its results differ from the reference: never chosen, never cached. */
        WRONG,
        /** Did not lower, compile or run on the device. */
        FAILED,
        /** Not tried: the tuning budget was spent. */
        SKIPPED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Measurement {
        note = note.replaceAll("\\s+", " ").strip();
    }

    public static Measurement ok(Variant v, long medianNs, long minNs, int runs, boolean confirmed) {
        return new Measurement(v, Status.OK, medianNs, minNs, runs, confirmed, "");
    }

    public static Measurement rejected(Variant v, Status status, String note) {
        return new Measurement(v, status, 0, 0, 0, false, note);
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
