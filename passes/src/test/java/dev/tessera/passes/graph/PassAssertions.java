package dev.tessera.passes.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.GraphParser;
import dev.tessera.ir.graph.GraphPrinter;
import dev.tessera.ir.graph.GraphVerifier;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.interp.Comparison;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Before/after checks for graph passes, written as IR text: the output must print as expected, verify,
 * be a fixed point of the pass, and compute what the input computed (on the reference interpreter, with
 * every symbolic dim bound to 3 and random inputs).
 */
final class PassAssertions {

    private PassAssertions() {}

    static GraphModule assertPass(dev.tessera.passes.GraphPass pass, String before, String after) {
        GraphModule in = GraphParser.parse(before);
        assertTrue(GraphVerifier.verify(in).isEmpty(), () -> "input does not verify: " + GraphVerifier.verify(in));
        GraphModule out = pass.run(in);
        assertEquals(after, GraphPrinter.print(out));
        assertTrue(GraphVerifier.verify(out).isEmpty(), () -> "output does not verify: " + GraphVerifier.verify(out));
        if (before.equals(after)) {
            assertSame(in, out, "a pass that changes nothing returns the same module");
        }
        assertSame(out, pass.run(out), "the output is a fixed point of " + pass.name());
        for (int k = 0; k < in.kernels().size(); k++) {
            assertSameResults(in.kernels().get(k), out.kernels().get(k));
        }
        return out;
    }

    static void assertSameResults(GraphKernel before, GraphKernel after) {
        Map<String, Long> bindings = new HashMap<>();
        List<HostTensor> inputs = new ArrayList<>();
        long seed = 11;
        for (Value p : before.params()) {
            p.type().shape().symbols().forEach(s -> bindings.put(s, 3L));
            inputs.add(HostTensor.random(p.type().dtype(), p.type().shape().extents(bindings), seed++));
        }
        List<HostTensor> expected = ReferenceInterpreter.run(before, inputs);
        List<HostTensor> actual = ReferenceInterpreter.run(after, inputs);
        for (int r = 0; r < expected.size(); r++) {
            Comparison c = Comparison.compare(expected.get(r), actual.get(r));
            assertTrue(c.pass(), "result " + r + " of @" + before.name() + ": " + c.summary());
        }
    }
}
