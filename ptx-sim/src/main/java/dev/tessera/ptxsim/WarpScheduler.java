package dev.tessera.ptxsim;

import dev.tessera.ptxsim.ThreadCtx.State;

/**
 * Completes warp collectives: once every lane a collective needs (its membermask, or the whole warp
 * for .aligned instructions) waits at the same instruction, the collective runs for all of them.
 */
final class WarpScheduler {

    private WarpScheduler() {}

    /** Runs one ready collective of this warp; returns whether one ran. */
    static boolean resolve(ThreadCtx[] lanes, Insn[] code) {
        ThreadCtx first = null;
        int existing = 0;
        int exited = 0;
        for (int l = 0; l < 32; l++) {
            ThreadCtx t = lanes[l];
            if (t == null) {
                continue;
            }
            existing |= 1 << l;
            if (t.state == State.EXITED) {
                exited |= 1 << l;
            } else if (t.state == State.AT_WARP_SYNC && first == null) {
                first = t;
            }
        }
        if (first == null) {
            return false;
        }
        Insn in = code[first.pc];
        Insn.Collective c = ((Insn.WarpSync) in.op()).collective();
        int required;
        try {
            if (c.aligned()) {
                if (existing != -1) {
                    throw new Fault("needs a full warp of 32 threads, but this warp has " + Integer.bitCount(existing));
                }
                if (exited != 0) {
                    throw new Fault("needs all 32 lanes, but lane " + Integer.numberOfTrailingZeros(exited) + " has exited");
                }
                required = -1;
            } else {
                int mask = c.memberMask(first);
                if ((mask & (1 << first.lane)) == 0) {
                    throw new Fault("lane " + first.lane + " executes it but is not in its membermask 0x"
                            + Integer.toHexString(mask));
                }
                // exited lanes are not waited for (the ISA waits for non-exited members only)
                required = mask & existing & ~exited;
            }
            for (int l = 0; l < 32; l++) {
                if ((required & (1 << l)) == 0) {
                    continue;
                }
                ThreadCtx t = lanes[l];
                if (t.state != State.AT_WARP_SYNC) {
                    return false; // still at a barrier: a deadlock, if nothing else moves
                }
                if (t.pc != first.pc) {
                    throw new Fault("lanes " + first.lane + " and " + l + " of the warp wait at different warp-synchronous"
                            + " instructions (line " + in.line() + " and line " + code[t.pc].line() + ")");
                }
                if (!c.aligned() && c.memberMask(t) != c.memberMask(first)) {
                    throw new Fault("lanes " + first.lane + " and " + l + " use different membermasks");
                }
            }
            c.execute(lanes, required);
        } catch (Fault e) {
            throw new PtxException(in.line(), e.getMessage() + " at '" + in.text() + "' (warp " + first.warp
                    + ", " + first.describe() + ")", e);
        }
        for (int l = 0; l < 32; l++) {
            if ((required & (1 << l)) != 0) {
                lanes[l].state = State.RUNNING;
                lanes[l].pc++;
            }
        }
        return true;
    }
}
