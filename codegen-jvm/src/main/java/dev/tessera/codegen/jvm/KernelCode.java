package dev.tessera.codegen.jvm;

import java.lang.foreign.MemorySegment;

/**
 * What every generated kernel class extends. The compiled kernel keeps one unbound prototype; each task of a
 * launch binds its own instance, which holds the launch's buffers and ints and the task's private state (local
 * memory, per-work-item variables), and runs a contiguous range of work-groups on it.
 */
public abstract class KernelCode {

    protected KernelCode() {}

    /**
     * A fresh instance for one task of a launch.
     *
     * @param buffers the kernel's buffer parameters, in parameter order, in their storage format
     * @param ints the kernel's dimension parameters in parameter order, then the number of work-groups along
     *     launch dimensions 0, 1 and 2
     */
    public abstract KernelCode bind(MemorySegment[] buffers, int[] ints);

    /** Runs work-groups {@code from} (inclusive) to {@code to} (exclusive), numbered with dimension 0 fastest. */
    public abstract void run(int from, int to);
}
