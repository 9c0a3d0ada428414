package dev.tessera.cli;

import dev.tessera.runtime.cache.CacheLocation;
import dev.tessera.runtime.cache.KernelCache;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --cache-dir} option of the commands that use the kernel cache. */
final class CacheOptions {

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "The kernel cache (default: $TESSERA_CACHE, else ~/.cache/tessera).")
    Path dir;

    Path root() {
        return dir != null ? dir : CacheLocation.defaultRoot();
    }

    /** The cache; its warnings (an entry ignored as damaged) go to {@code err}. */
    KernelCache open(PrintWriter err) {
        return new KernelCache(root(), line -> {
            err.println(line);
            err.flush();
        });
    }
}
