package dev.tessera.codegen.jvm;

import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.Stmt;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One loop kernel compiled to a hidden JVM class, ready to launch: the grid's work-groups are split into
 * contiguous chunks that the calling thread and the workers of a {@link ForkJoinPool} run. Work-groups of a
 * correct kernel write disjoint data, so the result does not depend on how the grid is split.
 */
public final class JvmKernel {

    /**
     * Launches of a loop-free kernel with fewer work-items than this run on the calling thread: forking would
     * cost more than it saves. A work-item with a loop (a row of a reduction, a tile of a matmul) may do any
     * amount of work, so such kernels fork whenever there is more than one work-group.
     */
    static final long SERIAL_WORK_ITEMS = 1 << 14;

    private final LoopKernel kernel;
    private final KernelCode prototype;
    private final int[] localSize;
    private final String summary;
    private final int classBytes;
    private final boolean loops;
    private final List<LoopParam.BufferParam> bufferParams;
    private final List<LoopParam.DimParam> dimParams;

    JvmKernel(LoopKernel kernel, KernelCode prototype, int[] localSize, String summary, int classBytes) {
        this.kernel = kernel;
        this.prototype = prototype;
        this.localSize = localSize.clone();
        this.summary = summary;
        this.classBytes = classBytes;
        this.loops = hasLoop(kernel.body());
        this.bufferParams = kernel.params().stream().filter(p -> p instanceof LoopParam.BufferParam)
                .map(p -> (LoopParam.BufferParam) p).toList();
        this.dimParams = kernel.params().stream().filter(p -> p instanceof LoopParam.DimParam)
                .map(p -> (LoopParam.DimParam) p).toList();
    }

    private static boolean hasLoop(List<Stmt> body) {
        return body.stream().anyMatch(st -> switch (st) {
            case Stmt.For f -> true;
            case Stmt.If i -> hasLoop(i.then()) || hasLoop(i.otherwise());
            default -> false;
        });
    }

    public LoopKernel kernel() {
        return kernel;
    }

    /** The kernel's buffer parameters: {@link #launch} takes their segments in this order. */
    public List<LoopParam.BufferParam> bufferParams() {
        return bufferParams;
    }

    /** The kernel's dimension parameters: {@link #launch} takes their values in this order. */
    public List<LoopParam.DimParam> dimParams() {
        return dimParams;
    }

    /** How the kernel was split and where its variables live, for {@code CompiledProgram.source()}. */
    public String summary() {
        return summary;
    }

    public int classBytes() {
        return classBytes;
    }

    /**
     * Runs the kernel over a grid of {@code global} work-items per dimension.
     *
     * @param buffers one segment per buffer parameter, in the order of {@link #bufferParams()}
     * @param dims the values of the dimension parameters, in the order of {@link #dimParams()}
     * @param global work-items per launch dimension, each a multiple of the work-group size
     * @param pool where the work-groups run; null runs them all on the calling thread
     * @throws IllegalArgumentException when the arguments do not fit the kernel
     */
    public void launch(MemorySegment[] buffers, int[] dims, long[] global, ForkJoinPool pool) {
        if (buffers.length != bufferParams().size() || dims.length != dimParams().size()
                || global.length != kernel.localSize().size()) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " takes " + bufferParams().size()
                    + " buffers, " + dimParams().size() + " dims and a " + kernel.localSize().size() + "-D grid");
        }
        int[] ints = new int[dims.length + 3];
        System.arraycopy(dims, 0, ints, 0, dims.length);
        long groups = 1;
        for (int d = 0; d < 3; d++) {
            long g = d < global.length ? global[d] : 1;
            if (g < 0 || g % localSize[d] != 0) {
                throw new IllegalArgumentException("kernel " + kernel.name() + ": global size " + g + " along dimension "
                        + d + " is not a non-negative multiple of the work-group size " + localSize[d]);
            }
            long n = g / localSize[d];
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("kernel " + kernel.name() + ": " + n + " work-groups along dimension " + d);
            }
            ints[dims.length + d] = (int) n;
            groups *= n;
        }
        if (groups == 0) {
            return;
        }
        if (groups > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("kernel " + kernel.name() + ": " + groups + " work-groups in all");
        }
        int total = (int) groups;
        long items = groups * localSize[0] * localSize[1] * localSize[2];
        if (pool == null || pool.getParallelism() == 1 || !loops && items < SERIAL_WORK_ITEMS || total == 1) {
            prototype.bind(buffers, ints).run(0, total);
            return;
        }
        Split split = new Split(prototype, buffers, ints, total, Math.min(total, 4 * pool.getParallelism()));
        for (int i = 1; i < pool.getParallelism(); i++) {
            pool.execute(split::work);
        }
        split.work();
        split.await();
    }

    /**
     * One launch's work-groups in contiguous chunks, a few per thread, taken in turn by the calling thread and
     * the pool's workers: the caller starts at once instead of waiting for a worker to wake, and one slow chunk
     * does not leave the others idle at the end. A worker that starts after the last chunk is taken does nothing.
     */
    private static final class Split {
        private final KernelCode prototype;
        private final MemorySegment[] buffers;
        private final int[] ints;
        private final int total;
        private final int chunks;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Split(KernelCode prototype, MemorySegment[] buffers, int[] ints, int total, int chunks) {
            this.prototype = prototype;
            this.buffers = buffers;
            this.ints = ints;
            this.total = total;
            this.chunks = chunks;
            this.done = new CountDownLatch(chunks);
        }

        private int start(int chunk) {
            return (int) ((long) total * chunk / chunks);
        }

        void work() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        prototype.bind(buffers, ints).run(start(c), start(c + 1));
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }
        }

        /** Waits for every chunk, then rethrows what the first failing one threw. */
        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            switch (failure.get()) {
                case null -> { }
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                case Throwable t -> throw new IllegalStateException("a work-group failed: " + t, t);
            }
        }
    }

    @Override
    public String toString() {
        return "JVM kernel " + kernel.name();
    }
}
