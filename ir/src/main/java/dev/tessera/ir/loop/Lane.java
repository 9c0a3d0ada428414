package dev.tessera.ir.loop;

/**
 * The state of one interpreted thread: its variable slots (integers and bools in {@code ints}, floats in
 * {@code floats}, each declaration with a slot fixed when the kernel is compiled) and launch coordinates.
 */
final class Lane {

    final long[] ints;
    final double[] floats;
    final int[] globalId = new int[3];
    final int[] localId = new int[3];
    final int[] groupId = new int[3];
    /** The work-group this lane runs in: its local arrays and barrier. */
    Group group;

    Lane(int intSlots, int floatSlots) {
        ints = new long[intSlots];
        floats = new double[floatSlots];
    }

    /** Where a thread is, for error messages. */
    String where() {
        return "global_id (" + globalId[0] + ", " + globalId[1] + ", " + globalId[2] + ")";
    }

    /** One work-group's shared state. */
    static final class Group {
        /** Per local array: {@code double[]} for float elements, {@code long[]} otherwise. */
        final Object[] arrays;
        final boolean[][] written;
        final GroupBarrier barrier;

        Group(Object[] arrays, boolean[][] written, GroupBarrier barrier) {
            this.arrays = arrays;
            this.written = written;
            this.barrier = barrier;
        }
    }

    /** An expression of integer or bool type (bools as 0 and 1); i32 values are kept sign-extended. */
    @FunctionalInterface
    interface LNode {
        long eval(Lane t);
    }

    /** An expression of float type; f32 values are always exactly representable as floats. */
    @FunctionalInterface
    interface DNode {
        double eval(Lane t);
    }

    @FunctionalInterface
    interface SNode {
        void exec(Lane t);
    }
}
