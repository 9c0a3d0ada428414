package dev.tessera.ptxsim;

/**
 * One compiled instruction: its guard predicate ({@code guard < 0} when unguarded), what it does, and
 * its source line and text for error messages.
 */
record Insn(int line, String text, int guard, boolean guardNegated, Op op) {

    /** The executable part; control flow and synchronisation are data so the scheduler can act on them. */
    sealed interface Op permits Simple, Branch, Exit, Barrier, WarpSync {}

    /** Straight-line work on one thread; falls through to the next instruction. */
    record Simple(Exec exec) implements Op {}

    /** A jump to an instruction index. */
    record Branch(int target) implements Op {}

    /** ret or exit from the entry: the thread finishes. */
    record Exit() implements Op {}

    /**
     * bar.sync / barrier.sync / bar.arrive: {@code count} is null for "all threads of the CTA";
     * {@code waits} is false for arrive-only forms.
     */
    record Barrier(Src id, Src count, boolean waits) implements Op {}

    /** A warp-synchronous collective (shfl.sync, vote.sync, mma.sync, ldmatrix, bar.warp.sync...). */
    record WarpSync(Collective collective) implements Op {}

    /** Work done by one thread. */
    @FunctionalInterface
    interface Exec {
        void run(ThreadCtx t);
    }

    /** Work done once for all participating lanes of a warp, after they have all arrived. */
    interface Collective {

        /**
         * The lanes that must arrive before the collective runs, from one arriving thread's view
         * (its membermask operand); -1 means every lane, as .aligned instructions demand.
         */
        int memberMask(ThreadCtx t);

        /** Whether every lane of the warp must take part (mma, ldmatrix): a partial or exited warp is an error. */
        boolean aligned();

        /** Runs the collective; {@code lanes[i]} is lane i's thread, {@code arrived} the participating lanes. */
        void execute(ThreadCtx[] lanes, int arrived);
    }
}
