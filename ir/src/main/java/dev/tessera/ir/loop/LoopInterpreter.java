package dev.tessera.ir.loop;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.Shape;
import dev.tessera.ir.interp.HostTensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a loop program on host data: the loop-level reference that tests compare lowerings and backends with.
 * Outputs and temporaries start poisoned (NaN, or a garbage integer) and, by default, reading an element
 * nothing has written yet throws, as does any out-of-bounds access: both are lowering bugs. Kernels run in
 * order; work-groups one after another; the threads of a group with barriers run as virtual threads that meet
 * at a {@link GroupBarrier}, those of a group without barriers one after another on the calling thread.
 * {@code select} evaluates only the chosen operand, as C's {@code ?:} does.
 */
public final class LoopInterpreter {

    /** What an unwritten i32 element holds: distinctive, and far from small test values. */
    static final int POISON_I32 = 0x5EADBEEF;

    private LoopInterpreter() {}

    /** Runs {@code program} with its dimensions bound; inputs in plan order; returns the outputs in plan order. */
    public static List<HostTensor> run(LoopProgram program, Map<String, Long> dims, List<HostTensor> inputs) {
        return run(program, dims, inputs, true);
    }

    /**
     * @param trapUnwrittenReads whether loading an element that no store (or input) has written throws; off,
     *     such loads see the poison value
     * @throws IllegalArgumentException when the program does not verify or the inputs do not match its plan
     * @throws IllegalStateException on an out-of-bounds access, an unwritten read, or a barrier not every thread
     *     of a work-group reaches
     */
    public static List<HostTensor> run(LoopProgram program, Map<String, Long> dims, List<HostTensor> inputs,
            boolean trapUnwrittenReads) {
        List<Diagnostic> errors = LoopVerifier.verify(program).stream()
                .filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("program does not verify:\n"
                    + errors.stream().map(Diagnostic::message).collect(Collectors.joining("\n")));
        }
        BufferPlan plan = program.buffers();
        Map<String, LoopCompiler.Storage> storage = allocate(plan, dims, inputs);
        for (LoopKernel k : program.kernels()) {
            launch(k, "@" + program.name() + "/@" + k.name(), dims, storage, trapUnwrittenReads);
        }
        return plan.outputs().stream().map(b -> {
            LoopCompiler.Storage s = storage.get(b.name());
            return new HostTensor(b.type().dtype(), b.type().shape().extents(dims), s.data().clone());
        }).toList();
    }

    /** Storage for every buffer of the plan by name; views share what they view. */
    private static Map<String, LoopCompiler.Storage> allocate(BufferPlan plan, Map<String, Long> dims,
            List<HostTensor> inputs) {
        if (inputs.size() != plan.inputs().size()) {
            throw new IllegalArgumentException("program takes " + plan.inputs().size() + " inputs, got " + inputs.size());
        }
        Map<String, LoopCompiler.Storage> out = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Buffer b = plan.inputs().get(i);
            HostTensor t = inputs.get(i);
            long[] shape = b.type().shape().extents(dims);
            if (t.dtype() != b.type().dtype() || !Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException("input %" + b.name() + " must be " + b.type().dtype()
                        + Arrays.toString(shape) + ", got " + t);
            }
            boolean[] written = new boolean[t.size()];
            Arrays.fill(written, true);
            out.put(b.name(), new LoopCompiler.Storage(b.name(), b.type().dtype(), t.data().clone(), written));
        }
        for (List<Buffer> list : List.of(plan.outputs(), plan.temps())) {
            for (Buffer b : list) {
                int n = Math.toIntExact(b.type().shape().elementCount(dims));
                double[] data = new double[n];
                Arrays.fill(data, poison(b.type().dtype()));
                out.put(b.name(), new LoopCompiler.Storage(b.name(), b.type().dtype(), data, new boolean[n]));
            }
        }
        for (BufferPlan.View v : plan.views()) {
            LoopCompiler.Storage of = out.get(plan.storageOf(v.buffer().name()));
            Shape shape = v.buffer().type().shape();
            if (of == null || shape.elementCount(dims) != of.data().length) {
                throw new IllegalArgumentException("view %" + v.buffer().name() + " does not fit its storage");
            }
            out.put(v.buffer().name(), new LoopCompiler.Storage(v.buffer().name(), v.buffer().type().dtype(),
                    of.data(), of.written()));
        }
        return out;
    }

    private static double poison(DType dtype) {
        return switch (dtype) {
            case I32 -> POISON_I32;
            case BOOL -> 1;
            default -> Double.NaN;
        };
    }

    private static void launch(LoopKernel k, String where, Map<String, Long> dims,
            Map<String, LoopCompiler.Storage> storage, boolean trap) {
        Map<String, Long> kernelDims = new HashMap<>();
        Map<String, LoopCompiler.Storage> buffers = new HashMap<>();
        for (LoopParam p : k.params()) {
            switch (p) {
                case LoopParam.BufferParam b -> buffers.put(b.name(), storage.get(b.name()));
                case LoopParam.DimParam d -> {
                    Long v = dims.get(d.name());
                    if (v == null || v != (int) (long) v) {
                        throw new IllegalArgumentException("dimension " + d.name() + " of " + where
                                + (v == null ? " is not bound" : " = " + v + " does not fit in i32"));
                    }
                    kernelDims.put(d.name(), v);
                }
            }
        }
        LoopCompiler compiler = new LoopCompiler(k, where, kernelDims, buffers, trap);
        long[] grid = compiler.gridSizes();
        int[] local = {1, 1, 1};
        int[] groups = {1, 1, 1};
        for (int d = 0; d < grid.length; d++) {
            local[d] = k.localSize().get(d);
            if (grid[d] < 0 || grid[d] % local[d] != 0 || grid[d] / local[d] > Integer.MAX_VALUE) {
                throw new IllegalStateException("global size " + grid[d] + " of " + where + " in dimension " + d
                        + " is not a non-negative multiple of the work-group size " + local[d]);
            }
            groups[d] = (int) (grid[d] / local[d]);
        }
        LoopCompiler.Compiled c = compiler.compile(local, groups);
        int groupSize = local[0] * local[1] * local[2];
        Lane[] lanes = new Lane[c.hasBarrier() ? groupSize : 1];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(c.intSlots(), c.floatSlots());
        }
        int[] g = new int[3];
        for (g[2] = 0; g[2] < groups[2]; g[2]++) {
            for (g[1] = 0; g[1] < groups[1]; g[1]++) {
                for (g[0] = 0; g[0] < groups[0]; g[0]++) {
                    String at = where + " work-group (" + g[0] + ", " + g[1] + ", " + g[2] + ")";
                    Lane.Group group = newGroup(k, c.hasBarrier() ? new GroupBarrier(groupSize, "in " + at) : null);
                    if (c.hasBarrier()) {
                        runConcurrently(c, lanes, group, g, local);
                    } else {
                        runInTurn(c, lanes[0], group, g, local);
                    }
                }
            }
        }
    }

    private static Lane.Group newGroup(LoopKernel k, GroupBarrier barrier) {
        Object[] arrays = new Object[k.locals().size()];
        boolean[][] written = new boolean[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            LocalArray a = k.locals().get(i);
            if (a.elem().isFloat()) {
                double[] d = new double[a.length()];
                Arrays.fill(d, Double.NaN);
                arrays[i] = d;
            } else {
                long[] l = new long[a.length()];
                Arrays.fill(l, a.elem() == LType.BOOL ? 1 : POISON_I32);
                arrays[i] = l;
            }
            written[i] = new boolean[a.length()];
        }
        return new Lane.Group(arrays, written, barrier);
    }

    private static void place(Lane lane, Lane.Group group, int[] g, int[] local, int x, int y, int z) {
        lane.group = group;
        int[] l = {x, y, z};
        for (int d = 0; d < 3; d++) {
            lane.groupId[d] = g[d];
            lane.localId[d] = l[d];
            lane.globalId[d] = g[d] * local[d] + l[d];
        }
    }

    private static void runInTurn(LoopCompiler.Compiled c, Lane lane, Lane.Group group, int[] g, int[] local) {
        for (int z = 0; z < local[2]; z++) {
            for (int y = 0; y < local[1]; y++) {
                for (int x = 0; x < local[0]; x++) {
                    place(lane, group, g, local, x, y, z);
                    c.body().exec(lane);
                }
            }
        }
    }

    private static void runConcurrently(LoopCompiler.Compiled c, Lane[] lanes, Lane.Group group, int[] g, int[] local) {
        GroupBarrier barrier = group.barrier;
        Thread[] threads = new Thread[lanes.length];
        int i = 0;
        for (int z = 0; z < local[2]; z++) {
            for (int y = 0; y < local[1]; y++) {
                for (int x = 0; x < local[0]; x++) {
                    Lane lane = lanes[i];
                    place(lane, group, g, local, x, y, z);
                    threads[i++] = Thread.ofVirtual().unstarted(() -> {
                        try {
                            c.body().exec(lane);
                            barrier.finish();
                        } catch (GroupBarrier.Aborted e) {
                            // another thread of the group failed first; its failure is the one to report
                        } catch (RuntimeException e) {
                            barrier.abort(e);
                        } catch (StackOverflowError e) {
                            barrier.abort(new IllegalStateException("stack overflow interpreting a thread", e));
                        }
                    });
                }
            }
        }
        for (Thread t : threads) {
            t.start();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        RuntimeException failure = barrier.failure();
        if (failure != null) {
            throw failure;
        }
    }
}
