package dev.tessera.runtime;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LoopKernel;
import java.util.Map;

/** Computes a kernel's launch grid from its size expressions and the bound dims. */
public final class LaunchGeometry {

    private LaunchGeometry() {}

    /**
     * Global work-items per dimension.
     *
     * @throws IllegalArgumentException when a size is negative, overflows, is not a multiple of the local
     *     size, or uses something other than dims, int literals and + - * / % min max
     */
    public static long[] global(LoopKernel k, Map<String, Long> dims) {
        long[] g = new long[k.globalSize().size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = evaluate(k.globalSize().get(i), dims);
            long l = k.localSize().get(i);
            if (l <= 0) {
                throw new IllegalArgumentException(
                        "kernel '" + k.name() + "': local size " + l + " along dimension " + i);
            }
            if (g[i] < 0 || g[i] % l != 0) {
                throw new IllegalArgumentException("kernel '" + k.name() + "': global size " + g[i]
                        + " along dimension " + i + " is not a non-negative multiple of the local size " + l);
            }
        }
        return g;
    }

    public static long[] local(LoopKernel k) {
        return k.localSize().stream().mapToLong(Integer::longValue).toArray();
    }

    /** Integer arithmetic with the IR's rules (x / 0 == 0, x % 0 == 0), exact or an error on overflow. */
    public static long evaluate(Expr e, Map<String, Long> dims) {
        return switch (e) {
            case Expr.IntLit i -> i.value();
            case Expr.Var v -> {
                Long value = dims.get(v.name());
                if (value == null) {
                    throw new IllegalArgumentException(
                            "launch size uses '" + v.name() + "', which is not a bound dimension");
                }
                yield value;
            }
            case Expr.Bin b -> {
                long x = evaluate(b.a(), dims);
                long y = evaluate(b.b(), dims);
                try {
                    yield switch (b.op()) {
                        case ADD -> Math.addExact(x, y);
                        case SUB -> Math.subtractExact(x, y);
                        case MUL -> Math.multiplyExact(x, y);
                        case DIV -> y == 0 ? 0 : x / y;
                        case REM -> y == 0 ? 0 : x % y;
                        case MIN -> Math.min(x, y);
                        case MAX -> Math.max(x, y);
                        default -> throw new IllegalArgumentException("launch size uses operator " + b.op().irName());
                    };
                } catch (ArithmeticException overflow) {
                    throw new IllegalArgumentException("launch size overflows: " + x + " " + b.op().irName() + " " + y);
                }
            }
            default -> throw new IllegalArgumentException("launch sizes are built from dims, int literals and "
                    + "+ - * / % min max; got " + e);
        };
    }
}
