package dev.tessera.runtime.cache;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the kernel cache lives: {@code $TESSERA_CACHE} when set and not empty, else {@code ~/.cache/tessera}
 * ({@code $XDG_CACHE_HOME/tessera} when that is set). Callers that know better (tests, {@code --cache-dir})
 * pass a directory to {@link KernelCache} directly.
 */
public final class CacheLocation {

    public static final String ENV = "TESSERA_CACHE";

    private CacheLocation() {}

    public static Path defaultRoot() {
        return resolve(System.getenv(), System.getProperty("user.home"));
    }

    /** The rule above, for a given environment and home directory. */
    public static Path resolve(Map<String, String> env, String home) {
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "tessera");
        }
        return Path.of(home, ".cache", "tessera");
    }
}
