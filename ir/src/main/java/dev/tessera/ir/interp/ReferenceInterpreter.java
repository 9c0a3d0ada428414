package dev.tessera.ir.interp;

import dev.tessera.ir.DType;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.GraphPrinter;
import dev.tessera.ir.graph.GraphVerifier;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes graph IR on the host: the oracle every backend is compared with.
 *
 * <p>Every intermediate is held in f64 and never rounded to its dtype, so the oracle is more accurate than
 * any device; only {@code cast} (to another dtype), literals and the kernel's results are rounded, with
 * {@link Rounding#round}. i32 arithmetic is exact and wraps to 32 bits. Element semantics, including the
 * corner cases (i32 division by zero gives 0, {@code mod} is the truncated remainder, NaN propagates through
 * max and min), are those of {@link Scalars}.
 */
public final class ReferenceInterpreter {

    /** A dense row-major intermediate; unlike {@link HostTensor} its values need not fit its dtype. */
    private record Dense(long[] shape, double[] data) {}

    private ReferenceInterpreter() {}

    /** Runs the kernel named {@code kernel} of {@code module}. */
    public static List<HostTensor> run(GraphModule module, String kernel, List<HostTensor> inputs) {
        GraphKernel k = module.kernel(kernel)
                .orElseThrow(() -> new IllegalArgumentException("no kernel @" + kernel + " in the module"));
        return run(k, inputs);
    }

    /**
     * Runs {@code k} on {@code inputs} (one per parameter, in order) and returns one tensor per result,
     * rounded to the result's dtype.
     *
     * @throws IllegalArgumentException when the kernel is not valid graph IR, or the inputs do not match the
     *     parameters in count, dtype, rank or extents (symbolic dims must agree across parameters)
     */
    public static List<HostTensor> run(GraphKernel k, List<HostTensor> inputs) {
        List<Diagnostic> problems = GraphVerifier.verify(k);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("kernel @" + k.name() + " is not valid graph IR: "
                    + problems.getFirst().message());
        }
        List<String> names = k.params().stream().map(Value::name).toList();
        List<TensorType> types = k.params().stream().map(Value::type).toList();
        Map<String, Long> bindings = DimBinder.bind("@" + k.name(), names, types, inputs);
        Map<String, Dense> env = new HashMap<>();
        for (int p = 0; p < inputs.size(); p++) {
            env.put(names.get(p), new Dense(inputs.get(p).shape(), inputs.get(p).data()));
        }
        for (Instr i : k.body()) {
            long[] shape = i.result().type().shape().extents(bindings);
            Dense r = eval(i, shape, env);
            if (r.data().length != IndexMaps.count(shape)) {
                throw new IllegalStateException("interpreter bug at " + GraphPrinter.print(i));
            }
            env.put(i.result().name(), r);
        }
        List<HostTensor> out = new ArrayList<>();
        for (Value r : k.results()) {
            Dense d = env.get(r.name());
            DType dtype = r.type().dtype();
            double[] rounded = new double[d.data().length];
            for (int e = 0; e < rounded.length; e++) {
                rounded[e] = Rounding.round(dtype, d.data()[e]);
            }
            out.add(new HostTensor(dtype, d.shape(), rounded));
        }
        return out;
    }

    private static Dense eval(Instr instr, long[] shape, Map<String, Dense> env) {
        DType resultDtype = instr.result().type().dtype();
        return switch (instr.op()) {
            case Op.Unary u -> {
                DType dt = u.x().type().dtype();
                double[] x = env.get(u.x().name()).data();
                double[] r = new double[x.length];
                for (int e = 0; e < r.length; e++) {
                    r[e] = Scalars.unary(u.op(), dt, x[e]);
                }
                yield new Dense(shape, r);
            }
            case Op.Binary b -> {
                DType dt = b.a().type().dtype();
                Dense a = env.get(b.a().name());
                Dense c = env.get(b.b().name());
                int[] ma = IndexMaps.broadcast(a.shape(), shape);
                int[] mb = IndexMaps.broadcast(c.shape(), shape);
                double[] r = new double[IndexMaps.count(shape)];
                for (int e = 0; e < r.length; e++) {
                    r[e] = Scalars.binary(b.op(), dt, a.data()[at(ma, e)], c.data()[at(mb, e)]);
                }
                yield new Dense(shape, r);
            }
            case Op.Select s -> {
                Dense c = env.get(s.cond().name());
                Dense a = env.get(s.a().name());
                Dense b = env.get(s.b().name());
                int[] mc = IndexMaps.broadcast(c.shape(), shape);
                int[] ma = IndexMaps.broadcast(a.shape(), shape);
                int[] mb = IndexMaps.broadcast(b.shape(), shape);
                double[] r = new double[IndexMaps.count(shape)];
                for (int e = 0; e < r.length; e++) {
                    r[e] = c.data()[at(mc, e)] != 0 ? a.data()[at(ma, e)] : b.data()[at(mb, e)];
                }
                yield new Dense(shape, r);
            }
            case Op.Cast c -> {
                DType from = c.x().type().dtype();
                double[] x = env.get(c.x().name()).data();
                double[] r = new double[x.length];
                for (int e = 0; e < r.length; e++) {
                    r[e] = Scalars.cast(from, c.to(), x[e]);
                }
                yield new Dense(shape, r);
            }
            case Op.Constant c -> new Dense(shape, new double[] {Scalars.constant(resultDtype, c.value())});
            case Op.Reduce r -> reduce(r, env.get(r.x().name()), shape);
            case Op.MatMul m -> matmul(env.get(m.a().name()), env.get(m.b().name()), shape, resultDtype);
            case Op.Transpose t -> {
                Dense x = env.get(t.x().name());
                int[] map = IndexMaps.permute(x.shape(), t.perm());
                yield new Dense(shape, gather(x.data(), map));
            }
            // same row-major elements: the storage is shared, intermediates are never written after creation
            case Op.Reshape r -> new Dense(shape, env.get(r.x().name()).data());
            case Op.BroadcastTo b -> {
                Dense x = env.get(b.x().name());
                int[] map = IndexMaps.broadcast(x.shape(), shape);
                yield new Dense(shape, map == null ? x.data() : gather(x.data(), map));
            }
        };
    }

    private static int at(int[] map, int e) {
        return map == null ? e : map[e];
    }

    private static double[] gather(double[] x, int[] map) {
        double[] r = new double[map.length];
        for (int e = 0; e < r.length; e++) {
            r[e] = x[map[e]];
        }
        return r;
    }

    private static Dense reduce(Op.Reduce op, Dense x, long[] shape) {
        long[] in = x.shape();
        long[] kept = in.clone();
        for (int axis : op.axes()) {
            kept[axis] = 1;
        }
        // each input element's slot in the (keepdim-shaped, same layout) output
        int[] slot = IndexMaps.broadcast(kept, in);
        int n = IndexMaps.count(kept);
        double[] xs = x.data();
        double[] acc = new double[n];
        boolean i32 = op.x().type().dtype() == DType.I32;
        switch (op.op()) {
            case SUM, MEAN -> {
                if (i32) {
                    // 64-bit sums wrap modulo 2^64, which agrees with wrapping each step modulo 2^32
                    long[] sums = new long[n];
                    for (int e = 0; e < xs.length; e++) {
                        sums[at(slot, e)] += (long) xs[e];
                    }
                    for (int o = 0; o < n; o++) {
                        acc[o] = (int) sums[o];
                    }
                } else {
                    for (int e = 0; e < xs.length; e++) {
                        acc[at(slot, e)] += xs[e];
                    }
                }
            }
            case MAX -> {
                Arrays.fill(acc, Double.NEGATIVE_INFINITY);
                for (int e = 0; e < xs.length; e++) {
                    int o = at(slot, e);
                    acc[o] = Math.max(acc[o], xs[e]);
                }
            }
            case MIN -> {
                Arrays.fill(acc, Double.POSITIVE_INFINITY);
                for (int e = 0; e < xs.length; e++) {
                    int o = at(slot, e);
                    acc[o] = Math.min(acc[o], xs[e]);
                }
            }
        }
        if (op.op() == ReduceOp.MEAN) {
            double count = n == 0 ? 0 : (double) xs.length / n;
            for (int o = 0; o < n; o++) {
                acc[o] /= count;
            }
        }
        return new Dense(shape, acc);
    }

    /** Batched matmul; rank-1 operands are a row (lhs) or a column (rhs) vector, as in NumPy. */
    private static Dense matmul(Dense a, Dense b, long[] shape, DType dtype) {
        long[] ea = a.shape().length == 1 ? new long[] {1, a.shape()[0]} : a.shape();
        long[] eb = b.shape().length == 1 ? new long[] {b.shape()[0], 1} : b.shape();
        int m = Math.toIntExact(ea[ea.length - 2]);
        int k = Math.toIntExact(ea[ea.length - 1]);
        int n = Math.toIntExact(eb[eb.length - 1]);
        int removed = (a.shape().length == 1 ? 1 : 0) + (b.shape().length == 1 ? 1 : 0);
        long[] batch = Arrays.copyOf(shape, shape.length - 2 + removed);
        int[] mapA = IndexMaps.broadcast(Arrays.copyOf(ea, ea.length - 2), batch);
        int[] mapB = IndexMaps.broadcast(Arrays.copyOf(eb, eb.length - 2), batch);
        int batches = IndexMaps.count(batch);
        double[] x = a.data();
        double[] y = b.data();
        double[] c = new double[Math.multiplyExact(batches, Math.multiplyExact(m, n))];
        for (int bi = 0; bi < batches; bi++) {
            int ao = at(mapA, bi) * m * k;
            int bo = at(mapB, bi) * k * n;
            int co = bi * m * n;
            if (dtype == DType.I32) {
                matmulI32(x, ao, y, bo, c, co, m, k, n);
                continue;
            }
            for (int i = 0; i < m; i++) {
                int row = co + i * n;
                for (int p = 0; p < k; p++) {
                    double aip = x[ao + i * k + p];
                    int bRow = bo + p * n;
                    for (int j = 0; j < n; j++) {
                        c[row + j] += aip * y[bRow + j];
                    }
                }
            }
        }
        return new Dense(shape, c);
    }

    /** Exact products and sums in 64 bits, wrapped to 32 at the end (the same as wrapping every step). */
    private static void matmulI32(double[] x, int ao, double[] y, int bo, double[] c, int co, int m, int k, int n) {
        long[] row = new long[n];
        for (int i = 0; i < m; i++) {
            Arrays.fill(row, 0);
            for (int p = 0; p < k; p++) {
                long aip = (long) x[ao + i * k + p];
                int bRow = bo + p * n;
                for (int j = 0; j < n; j++) {
                    row[j] += aip * (long) y[bRow + j];
                }
            }
            for (int j = 0; j < n; j++) {
                c[co + i * n + j] = (int) row[j];
            }
        }
    }
}
