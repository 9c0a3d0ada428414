package dev.tessera.ptxsim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The architectural state of one simulated thread: registers, program counter, local memory. */
final class ThreadCtx {

    /** Where the thread is in the CTA scheduler's eyes. */
    enum State { RUNNING, AT_BARRIER, AT_WARP_SYNC, EXITED }

    final long[] r;
    final Cta cta;
    /** Linear index in the CTA (x fastest), lane and warp derived from it as on hardware. */
    final int index;
    final int lane;
    final int warp;
    final byte[] local;

    int pc;
    State state = State.RUNNING;
    long executed;
    /** Line of the instruction that ended the thread, for deadlock reports. */
    int exitLine;
    /** cp.async copies issued but not yet in a group, and the committed groups, oldest first. */
    List<AsyncCopyOps.Pending> uncommitted = new ArrayList<>();
    final ArrayDeque<List<AsyncCopyOps.Pending>> asyncGroups = new ArrayDeque<>();

    ThreadCtx(Cta cta, int index, int registers, int localBytes) {
        this.cta = cta;
        this.index = index;
        this.lane = index & 31;
        this.warp = index >>> 5;
        this.r = new long[registers];
        this.local = new byte[localBytes];
    }

    int tidX() {
        return index % cta.launch.block[0];
    }

    int tidY() {
        return index / cta.launch.block[0] % cta.launch.block[1];
    }

    int tidZ() {
        return index / (cta.launch.block[0] * cta.launch.block[1]);
    }

    /** "thread (x,y,z) of CTA (x,y,z)", for messages. */
    String describe() {
        return "thread (" + tidX() + "," + tidY() + "," + tidZ() + ") of CTA (" + cta.ctaid[0] + ","
                + cta.ctaid[1] + "," + cta.ctaid[2] + ")";
    }
}
