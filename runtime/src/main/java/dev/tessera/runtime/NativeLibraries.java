package dev.tessera.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Opens a native library by its candidate names through the foreign function API and says why none loaded,
 * in the words of the API that asked; binding its entry points stays with that API's package.
 */
public final class NativeLibraries {

    private NativeLibraries() {}

    /**
     * Binds the first of {@code names} that the dynamic linker finds. A failure is {@code unavailable} applied to
     * a message that starts with {@code what} (e.g. "no CUDA driver") and, when every name is missing, ends
     * with {@code hint}.
     */
    public static <L> L load(List<String> names, String what, String hint, BiFunction<String, SymbolLookup, L> bind,
            Function<String, ? extends RuntimeException> unavailable) {
        if (Linker.nativeLinker().canonicalLayouts().get("size_t").byteSize() != 8) {
            throw unavailable.apply(what + ": only 64-bit platforms are supported");
        }
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            SymbolLookup lookup;
            try {
                // The global arena keeps the library mapped for the life of the process, as the handles need.
                lookup = SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException e) {
                problems.add(name + " (not found)");
                continue;
            } catch (IllegalCallerException e) {
                throw unavailable.apply(what + ": native access is disabled; "
                        + "run java with --enable-native-access=ALL-UNNAMED");
            }
            return bind.apply(name, lookup);
        }
        throw unavailable.apply(what + ": tried " + String.join(", ", problems) + hint);
    }

    /** A downcall throws only what the JVM throws; nothing checked can come out of native code. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
