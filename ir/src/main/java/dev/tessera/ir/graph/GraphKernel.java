package dev.tessera.ir.graph;

import dev.tessera.ir.SourceSpan;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A kernel in graph IR: parameters, SSA instructions in definition order, returned values, and (after the
 * fuse pass) the fusion groups that become device kernels.
 */
public record GraphKernel(
        String name,
        List<Value> params,
        List<Instr> body,
        List<Value> results,
        List<FusionGroup> fusions,
        SourceSpan span) {

    /** Kernel names as the DSL allows them; backends still sanitise before emitting. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public GraphKernel {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad kernel name '" + name + "'");
        }
        params = List.copyOf(params);
        body = List.copyOf(body);
        results = List.copyOf(results);
        fusions = List.copyOf(fusions);
    }

    public GraphKernel(String name, List<Value> params, List<Instr> body, List<Value> results, SourceSpan span) {
        this(name, params, body, results, List.of(), span);
    }

    /** A copy with a new body and results; fusion groups are dropped since they may no longer hold. */
    public GraphKernel withBody(List<Instr> newBody, List<Value> newResults) {
        return new GraphKernel(name, params, newBody, newResults, List.of(), span);
    }

    /** The symbolic dims of the parameters, in order of first appearance: what a launch must bind. */
    public List<String> symbols() {
        return params.stream().flatMap(p -> p.type().shape().symbols().stream()).distinct().toList();
    }

    public GraphKernel withFusions(List<FusionGroup> groups) {
        return new GraphKernel(name, params, body, results, groups, span);
    }
}
