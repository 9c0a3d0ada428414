package dev.tessera.ir.tile;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.Dim;
import dev.tessera.ir.SourceSpan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Checks a program's buffer plan (shared by the tile and loop verifiers): unique names and well-formed views. */
public final class BufferPlanVerifier {

    private BufferPlanVerifier() {}

    /** @param where the program, as messages name it ({@code @softmax}) */
    public static List<Diagnostic> verify(String where, BufferPlan plan) {
        List<Diagnostic> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Buffer b : plan.all()) {
            if (!seen.add(b.name())) {
                out.add(error(where, "buffer %" + b.name() + " is declared twice"));
            }
        }
        for (BufferPlan.View v : plan.views()) {
            Buffer view = v.buffer();
            Optional<Buffer> target = plan.find(v.of());
            if (target.isEmpty()) {
                out.add(error(where, "view %" + view.name() + " names unknown buffer %" + v.of()));
                continue;
            }
            if (target.get().type().dtype() != view.type().dtype()) {
                out.add(error(where, "view %" + view.name() + " has dtype " + view.type().dtype() + " but %"
                        + v.of() + " has " + target.get().type().dtype()));
            }
            if (!sameSize(view.type().shape().dims(), target.get().type().shape().dims())) {
                out.add(error(where, "view %" + view.name() + " " + view.type().shape() + " has another element count"
                        + " than %" + v.of() + " " + target.get().type().shape()));
            }
            if (cyclic(plan, view.name())) {
                out.add(error(where, "view %" + view.name() + " is part of a cycle of views"));
            }
        }
        return out;
    }

    /** Element counts as monomials: equal when the literal products and the multisets of symbols agree. */
    static boolean sameSize(List<Dim> a, List<Dim> b) {
        return monomial(a).equals(monomial(b));
    }

    private static Map<String, Long> monomial(List<Dim> dims) {
        Map<String, Long> m = new TreeMap<>();
        long literal = 1;
        for (Dim d : dims) {
            switch (d) {
                case Dim.Lit l -> literal = l.value() == 0 || literal == 0 ? 0 : saturatingTimes(literal, l.value());
                case Dim.Sym s -> m.merge(s.name(), 1L, Long::sum);
            }
        }
        if (literal == 0) {
            return Map.of("", 0L);
        }
        m.put("", literal);
        return m;
    }

    private static long saturatingTimes(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Whether the view chain from {@code name} ends (so {@link BufferPlan#storageOf} terminates). */
    public static boolean acyclic(BufferPlan plan, String name) {
        return !cyclic(plan, name);
    }

    private static boolean cyclic(BufferPlan plan, String start) {
        Set<String> visited = new HashSet<>();
        String cur = start;
        while (true) {
            String next = null;
            for (BufferPlan.View v : plan.views()) {
                if (v.buffer().name().equals(cur)) {
                    next = v.of();
                    break;
                }
            }
            if (next == null) {
                return false;
            }
            if (next.equals(start) || !visited.add(next)) {
                return true;
            }
            cur = next;
        }
    }

    static Diagnostic error(String where, String message) {
        return Diagnostic.error(SourceSpan.UNKNOWN, where + ": " + message);
    }
}
