package dev.tessera.frontend;

import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The instructions of one kernel being built, and its value names; shared with everything inlined into it. */
final class GraphBuilder {

    /**
     * Inlining doubles a kernel for each level of a callee called twice; past this many instructions a file is
     * refused rather than left to exhaust memory.
     */
    static final int MAX_INSTRUCTIONS = 100_000;

    private final List<Instr> body = new ArrayList<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedPrefixes = new HashSet<>();
    private int nextTemp;
    private boolean tooLargeReported;

    Value param(String name, TensorType type) {
        usedNames.add(name);
        return new Value(name, type);
    }

    /** Appends {@code result = op}, naming the result {@code preferred} when that name is still free. */
    Value emit(Op op, TensorType type, SourceSpan span, String preferred) {
        Value v = new Value(freshName(preferred), type);
        body.add(new Instr(v, op, span));
        return v;
    }

    private String freshName(String preferred) {
        if (preferred != null && usedNames.add(preferred)) {
            return preferred;
        }
        // DSL names never start with a digit, so temporaries cannot take a name a later let wants.
        while (!usedNames.add(Integer.toString(nextTemp))) {
            nextTemp++;
        }
        return Integer.toString(nextTemp++);
    }

    /**
     * A prefix for the values of one inlined call: {@code softmax}, then {@code softmax.2} for a second call of it,
     * nested as {@code attention_block.softmax}. Its lets become {@code prefix.name}.
     */
    String inlinePrefix(String parentPrefix, String callee) {
        String base = parentPrefix == null ? callee : parentPrefix + "." + callee;
        String p = base;
        for (int i = 2; !usedPrefixes.add(p); i++) {
            p = base + "." + i;
        }
        return p;
    }

    boolean isFull() {
        return body.size() >= MAX_INSTRUCTIONS;
    }

    /** True the first time only, so that a kernel that grew too large is reported once. */
    boolean firstTooLargeReport() {
        boolean first = !tooLargeReported;
        tooLargeReported = true;
        return first;
    }

    List<Instr> body() {
        return List.copyOf(body);
    }
}
