package dev.tessera.cli;

import dev.tessera.runtime.cache.CacheEntry;
import dev.tessera.runtime.cache.KernelCache;
import dev.tessera.runtime.jit.CacheKeys;
import dev.tessera.runtime.jit.DevicePolicy;
import dev.tessera.runtime.jit.TesseraVersion;
import dev.tessera.runtime.jit.Variant;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera cache}: where the kernel cache is, what it holds, and emptying it. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {
            "The kernel cache: tuning results (the fastest correct schedule per kernel, shape bucket and device, "
                    + "with its measurements) and compiled artefacts (loop IR and generated code per schedule and "
                    + "device). Without a subcommand, says where it is and how much it holds."},
        subcommands = {CacheCommand.ListEntries.class, CacheCommand.ClearEntries.class},
        footerHeading = "%nExamples:%n",
        footer = {"  tessera cache", "  tessera cache list", "  tessera cache clear",
            "  TESSERA_CACHE=/tmp/tc tessera cache list"})
final class CacheCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CacheOptions cacheOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        KernelCache cache = cacheOptions.open(spec.commandLine().getErr());
        List<CacheEntry> entries = cache.list();
        long tuned = entries.stream().filter(e -> e.key().kind().equals(CacheKeys.TUNING)).count();
        out.printf("cache %s: %d entr%s (%d tuning result%s, %d artefact%s)%n", cache.directory(), entries.size(),
                entries.size() == 1 ? "y" : "ies", tuned, tuned == 1 ? "" : "s", entries.size() - tuned,
                entries.size() - tuned == 1 ? "" : "s");
        out.println("`tessera cache list` shows them, `tessera cache clear` removes them");
        return ExitCodes.OK;
    }

    /** {@code tessera cache list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the entries, newest first: kind, kernel, device, shape, schedule, time, age.")
    static final class ListEntries implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        CacheOptions cacheOptions;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            KernelCache cache = cacheOptions.open(spec.commandLine().getErr());
            List<CacheEntry> entries = cache.list();
            if (entries.isEmpty()) {
                out.println("cache " + cache.directory() + " is empty");
                return ExitCodes.OK;
            }
            Instant now = Instant.now();
            out.printf("%-8s %-16s %-12s %-20s %-30s %-24s %6s  %s%n", "kind", "kernel", "device", "shape", "schedule",
                    "time", "age", "source");
            for (CacheEntry e : entries) {
                out.printf("%-8s %-16s %-12s %-20s %-30s %-24s %6s  %s%n", kind(e), e.key().field("kernel"),
                        e.key().field("device"), shape(e), schedule(e), time(e), age(Duration.between(e.written(), now)),
                        e.payload().getOrDefault("source-name", e.key().field("source").substring(0, 12))
                                + (e.key().field("tessera").equals(TesseraVersion.get()) ? "" : "  (older Tessera)"));
            }
            out.println(entries.size() + " entr" + (entries.size() == 1 ? "y" : "ies") + " in " + cache.directory());
            return ExitCodes.OK;
        }

        private static String kind(CacheEntry e) {
            return e.key().kind().equals(CacheKeys.TUNING) ? "tuned" : "code";
        }

        private static String shape(CacheEntry e) {
            // An artefact takes its dims as arguments: one serves every shape.
            return e.key().kind().equals(CacheKeys.TUNING) ? e.payload().getOrDefault("shape", "?") : "any";
        }

        private static String schedule(CacheEntry e) {
            String text = e.payload().getOrDefault(e.key().kind().equals(CacheKeys.TUNING) ? "winner" : "variant", "");
            try {
                return Variant.parse(text).display();
            } catch (IllegalArgumentException bad) {
                return "?";
            }
        }

        private static String time(CacheEntry e) {
            if (!e.key().kind().equals(CacheKeys.TUNING)) {
                return "-";
            }
            try {
                long w = Long.parseLong(e.payload().getOrDefault("winner-ns", "0"));
                long d = Long.parseLong(e.payload().getOrDefault("default-ns", "0"));
                return DevicePolicy.formatNs(w) + (w > 0 && d > 0 ? String.format(" (%.2fx)", (double) d / w) : "");
            } catch (NumberFormatException bad) {
                return "?";
            }
        }

        static String age(Duration d) {
            long s = Math.max(0, d.toSeconds());
            if (s < 60) {
                return s + "s";
            }
            if (s < 3600) {
                return s / 60 + "m";
            }
            if (s < 86400) {
                return s / 3600 + "h";
            }
            return s / 86400 + "d";
        }
    }

    /** {@code tessera cache clear}. */
    @Command(name = "clear", mixinStandardHelpOptions = true,
            description = "Remove every entry (and temporary file) Tessera wrote; nothing else in the directory.")
    static final class ClearEntries implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        CacheOptions cacheOptions;

        @Override
        public Integer call() throws IOException {
            KernelCache cache = cacheOptions.open(spec.commandLine().getErr());
            KernelCache.Cleared c = cache.clear();
            spec.commandLine().getOut().printf("removed %d entr%s%s (%s) from %s%n", c.entries(),
                    c.entries() == 1 ? "y" : "ies",
                    c.temporaries() == 0 ? "" : " and " + c.temporaries() + " unfinished write" + (c.temporaries() == 1 ? "" : "s"),
                    bytes(c.bytes()), c.directory());
            return ExitCodes.OK;
        }

        private static String bytes(long b) {
            return b < 1024 ? b + " bytes" : b < (1 << 20) ? String.format("%.1f KiB", b / 1024.0)
                    : String.format("%.1f MiB", b / (double) (1 << 20));
        }
    }

}
