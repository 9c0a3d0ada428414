package dev.tessera.cli;

import dev.tessera.runtime.jit.DevicePolicy;
import dev.tessera.runtime.jit.Measurement;
import dev.tessera.runtime.jit.Tuner;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Tuning progress on stderr: a bar redrawn in place on a terminal, one line per candidate otherwise (logs and
 * pipes keep every line), or nothing.
 */
final class Progress implements Tuner.Listener {

    enum Mode { auto, bar, plain, none }

    private static final int WIDTH = 24;
    /** Fits an 80-column terminal. */
    private static final int MAX_LINE = 79;

    private final PrintWriter err;
    private final Mode mode;
    private String what = "";
    private int drawn;
    private int skipped;

    Progress(PrintWriter err, Mode mode) {
        this.err = err;
        this.mode = mode == Mode.auto ? (Terminal.stderrIsTerminal() ? Mode.bar : Mode.plain) : mode;
    }

    @Override
    public void started(String kernel, String device, int candidates) {
        what = kernel + " on " + device;
        skipped = 0;
        drawn = 0;
        if (mode == Mode.bar) {
            draw(0, candidates, Optional.empty());
        } else if (mode == Mode.plain) {
            err.println("tune: " + what + ": " + candidates + " candidate" + (candidates == 1 ? "" : "s"));
            err.flush();
        }
    }

    @Override
    public void measured(int index, int total, Measurement m, Optional<Measurement> best) {
        switch (mode) {
            case bar -> {
                draw(index + 1, total, best);
                if (index + 1 == total) {
                    err.println();
                    err.flush();
                }
            }
            case plain -> {
                if (m.status() == Measurement.Status.SKIPPED) {
                    skipped++;
                } else {
                    err.printf("tune: %s [%d/%d] %s: %s%n", what, index + 1, total, m.variant().display(),
                            m.ok() ? DevicePolicy.formatNs(m.medianNs()) : m.status().label() + " (" + m.note() + ")");
                }
                if (index + 1 == total && skipped > 0) {
                    err.println("tune: " + what + ": " + skipped + " skipped, the budget was spent");
                }
                err.flush();
            }
            case none, auto -> { }
        }
    }

    private void draw(int done, int total, Optional<Measurement> best) {
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        String line = String.format("%s [%s%s] %d/%d%s", what, "#".repeat(filled), "-".repeat(WIDTH - filled), done,
                total, best.map(b -> "  best " + DevicePolicy.formatNs(b.medianNs()) + " " + b.variant().display())
                        .orElse(""));
        // A line longer than the terminal wraps, and \r then redraws only its last part.
        if (line.length() > MAX_LINE) {
            line = line.substring(0, MAX_LINE - 3) + "...";
        }
        // Pad over the previous line's tail: \r returns to the start of the line but does not clear it.
        err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        drawn = line.length();
        err.flush();
    }
}
