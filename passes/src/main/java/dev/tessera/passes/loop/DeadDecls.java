package dev.tessera.passes.loop;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LoopWalk;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drops declarations nothing reads, until none is left: the index parts of a split linear index that the
 * offsets did not need ({@link KernelContext#offset}), for example. Expressions have no effects, so a
 * declaration whose variable is never read can go, with the assignments to it.
 */
final class DeadDecls {

    private DeadDecls() {}

    static List<Stmt> prune(List<Stmt> body) {
        List<Stmt> current = body;
        while (true) {
            Map<String, Integer> reads = new HashMap<>();
            count(current, reads);
            List<Stmt> next = without(current, reads);
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
    }

    private static List<Stmt> without(List<Stmt> body, Map<String, Integer> reads) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : body) {
            switch (s) {
                case Stmt.Decl d when !reads.containsKey(d.var().name()) -> { }
                case Stmt.Assign a when !reads.containsKey(a.var().name()) -> { }
                case Stmt.For f -> out.add(new Stmt.For(f.var(), f.lo(), f.hi(), f.step(), without(f.body(), reads)));
                case Stmt.If i -> out.add(new Stmt.If(i.cond(), without(i.then(), reads), without(i.otherwise(), reads)));
                default -> out.add(s);
            }
        }
        return out;
    }

    private static void count(List<Stmt> body, Map<String, Integer> reads) {
        LoopWalk.statements(body, s -> {
            if (s instanceof Stmt.For f) {
                // The loop variable is read by the loop itself.
                reads.merge(f.var().name(), 1, Integer::sum);
            }
        });
        LoopWalk.expressions(body, e -> {
            if (e instanceof Expr.Var v) {
                reads.merge(v.name(), 1, Integer::sum);
            }
        });
    }
}
