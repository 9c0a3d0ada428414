package dev.tessera.runtime.ascend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** There is never an ascend device; the reason names what was looked for and what was found. */
class AscendDiscoveryTest {

    @Test
    void aMissingRuntimeIsNamedWithTheHint() {
        assertEquals("no CANN runtime: tried libtessera-no-such-ascendcl.so (not found); CANN's set_env.sh puts "
                + "libascendcl.so on LD_LIBRARY_PATH", AscendDiscovery.whyNone(List.of("libtessera-no-such-ascendcl.so")));
    }

    @Test
    void aRuntimeThatLoadsIsNamedButNotUsed() {
        // Any library the linker finds stands in for libascendcl.so: only the path through the message is tested.
        String why = AscendDiscovery.whyNone(List.of("libtessera-no-such-ascendcl.so", "libc.so.6"));
        assertTrue(why.startsWith("the CANN runtime is here (libc.so.6), but Tessera cannot launch Ascend kernels"),
                why);
    }
}
