package dev.tessera.ir.loop;

import java.util.List;

/**
 * One device kernel in SIMT form: every thread of the launch runs {@code body}. The launch is
 * {@code globalSize} threads per dimension (expressions over dimension parameters, multiples of
 * {@code localSize}) in work-groups of {@code localSize}.
 */
public record LoopKernel(
        String name,
        List<LoopParam> params,
        List<LocalArray> locals,
        List<Expr> globalSize,
        List<Integer> localSize,
        List<Stmt> body) {

    public LoopKernel {
        params = List.copyOf(params);
        locals = List.copyOf(locals);
        globalSize = List.copyOf(globalSize);
        localSize = List.copyOf(localSize);
        body = List.copyOf(body);
        if (globalSize.size() != localSize.size() || globalSize.isEmpty() || globalSize.size() > 3) {
            throw new IllegalArgumentException("launch needs 1 to 3 dimensions, global and local alike");
        }
    }
}
