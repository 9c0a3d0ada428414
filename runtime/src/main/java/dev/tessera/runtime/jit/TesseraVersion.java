package dev.tessera.runtime.jit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The compiler's identity as the kernel cache sees it: the project version and the build time of the runtime,
 * so that a rebuilt compiler (whose lowering or code generation may have changed) never serves what an older
 * build cached.
 */
public final class TesseraVersion {

    private static final String VERSION = load();

    private TesseraVersion() {}

    /** For example {@code 0.1.0-SNAPSHOT+2026-11-03T10:12:44Z}. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = TesseraVersion.class.getResourceAsStream("tessera-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // An unreadable resource only makes the cache key less specific; "unknown" never matches a real build.
        }
        String version = p.getProperty("version", "unknown");
        String build = p.getProperty("build", "");
        // Unfiltered (an IDE build without Maven): the placeholders must not pose as a version.
        if (version.startsWith("${")) {
            version = "unknown";
        }
        return build.isEmpty() || build.startsWith("${") ? version : version + "+" + build;
    }
}
