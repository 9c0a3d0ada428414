package dev.tessera.runtime.ascend;

import dev.tessera.runtime.NativeLibraries;
import java.util.List;

/**
 * Looks for Huawei's CANN runtime (AscendCL, {@code libascendcl.so}). Tessera emits Ascend C
 * ({@code tessera compile --target ascendc}) but does not yet build or launch it itself, so there is never an
 * {@code ascend} device: this only says why, naming what was found, rather than leaving the kind unmentioned or
 * pretending a device is there.
 */
public final class AscendDiscovery {

    /** Where CANN puts AscendCL once its {@code set_env.sh} has run. */
    static final List<String> NAMES = List.of("libascendcl.so");

    private AscendDiscovery() {}

    /** Why there is no {@code ascend} device on this machine. */
    public static String whyNone() {
        return whyNone(NAMES);
    }

    static String whyNone(List<String> names) {
        try {
            String found = NativeLibraries.load(names, "no CANN runtime",
                    "; CANN's set_env.sh puts libascendcl.so on LD_LIBRARY_PATH", (name, lookup) -> name,
                    IllegalStateException::new);
            return "the CANN runtime is here (" + found + "), but Tessera cannot launch Ascend kernels yet; build "
                    + "the project `tessera compile --target ascendc -o DIR` writes with CANN instead";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }
}
