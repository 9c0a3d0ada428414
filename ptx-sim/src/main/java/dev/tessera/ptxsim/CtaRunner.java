package dev.tessera.ptxsim;

import dev.tessera.ptxsim.ThreadCtx.State;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one CTA to completion with a deterministic cooperative scheduler.
 *
 * <p>Each thread is an interpreter state (program counter and registers), not a Java thread: the
 * scheduler runs every runnable thread until it exits or blocks at a synchronisation point (a barrier
 * or a warp collective), then completes whatever synchronisation all its participants have reached,
 * and repeats. When no thread can move, the kernel is deadlocked and the run fails with a report of
 * who waits where and who has exited, instead of hanging.
 */
final class CtaRunner {

    private static final int BARRIERS = 16;

    private final Launch launch;
    private final Insn[] code;
    private final ThreadCtx[] threads;
    private final ThreadCtx[][] warps;
    private final int[] arrived = new int[BARRIERS];
    private final int[] expected = new int[BARRIERS];
    private final int[] barrierOf;
    private int live;

    CtaRunner(Launch launch, int[] ctaid) {
        this.launch = launch;
        Kernel k = launch.kernel;
        this.code = k.code();
        int n = launch.threadsPerCta();
        Cta cta = new Cta(launch, ctaid, k.dynamicSharedOffset() + launch.dynamicSharedBytes);
        threads = new ThreadCtx[n];
        barrierOf = new int[n];
        warps = new ThreadCtx[(n + 31) / 32][32];
        for (int i = 0; i < n; i++) {
            ThreadCtx t = new ThreadCtx(cta, i, k.registers(), k.localBytes());
            for (Kernel.SpecialSlot s : k.specials()) {
                t.r[s.slot()] = s.special().value(t);
            }
            threads[i] = t;
            warps[i >>> 5][i & 31] = t;
        }
        live = n;
    }

    /** Runs the CTA; returns the thread-instructions it issued. */
    long run() {
        while (live > 0) {
            boolean progress = false;
            for (ThreadCtx t : threads) {
                if (t.state == State.RUNNING) {
                    step(t);
                    progress = true;
                }
            }
            for (int w = 0; w < warps.length; w++) {
                while (WarpScheduler.resolve(warps[w], code)) {
                    progress = true;
                }
            }
            progress |= releaseBarriers();
            if (!progress && live > 0) {
                throw deadlock();
            }
        }
        long total = 0;
        for (ThreadCtx t : threads) {
            total += t.executed;
        }
        return total;
    }

    private void step(ThreadCtx t) {
        long[] r = t.r;
        int pc = t.pc;
        long n = 0;
        long budget = launch.instructionLimit - launch.executed;
        Insn in = null;
        try {
            while (true) {
                in = code[pc];
                if (++n > budget) {
                    throw new Fault("instruction limit of " + launch.instructionLimit
                            + " exceeded (a runaway loop?); raise it with LaunchOptions.withMaxInstructions");
                }
                if (in.guard() >= 0 && (r[in.guard()] != 0) == in.guardNegated()) {
                    pc++;
                    continue;
                }
                switch (in.op()) {
                    case Insn.Simple s -> {
                        s.exec().run(t);
                        pc++;
                    }
                    case Insn.Branch b -> pc = b.target();
                    case Insn.Exit e -> {
                        t.state = State.EXITED;
                        t.exitLine = in.line();
                        t.pc = pc;
                        live--;
                        return;
                    }
                    case Insn.Barrier b -> {
                        arrive(t, b);
                        if (b.waits()) {
                            t.pc = pc;
                            t.state = State.AT_BARRIER;
                            return;
                        }
                        pc++;
                    }
                    case Insn.WarpSync w -> {
                        t.pc = pc;
                        t.state = State.AT_WARP_SYNC;
                        return;
                    }
                }
            }
        } catch (Fault | ArithmeticException e) {
            throw new PtxException(in.line(), e.getMessage() + " at '" + in.text() + "' by " + t.describe(), e);
        } finally {
            t.executed += n;
            launch.executed += n;
        }
    }

    private void arrive(ThreadCtx t, Insn.Barrier b) {
        long id = b.id().get(t) & 0xffff_ffffL;
        if (id >= BARRIERS) {
            throw new Fault("barrier id " + id + " is not in 0..15");
        }
        int count = b.count() == null ? threads.length : (int) b.count().get(t);
        if (count <= 0 || count > threads.length || b.count() != null && count % 32 != 0 && count != threads.length) {
            throw new Fault("barrier thread count " + count + " is not a positive multiple of 32 up to the CTA size "
                    + threads.length);
        }
        int i = (int) id;
        if (arrived[i] == 0) {
            expected[i] = count;
        } else if (expected[i] != count) {
            throw new Fault("barrier " + i + " used with thread counts " + expected[i] + " and " + count);
        }
        arrived[i]++;
        barrierOf[t.index] = i;
    }

    private boolean releaseBarriers() {
        boolean released = false;
        for (int i = 0; i < BARRIERS; i++) {
            if (arrived[i] > 0 && arrived[i] >= expected[i]) {
                for (ThreadCtx t : threads) {
                    if (t.state == State.AT_BARRIER && barrierOf[t.index] == i) {
                        t.state = State.RUNNING;
                        t.pc++;
                    }
                }
                arrived[i] = 0;
                expected[i] = 0;
                released = true;
            }
        }
        return released;
    }

    private PtxException deadlock() {
        Map<String, Integer> waits = new LinkedHashMap<>();
        StringBuilder exited = new StringBuilder();
        int exitedCount = 0;
        int line = 0;
        for (ThreadCtx t : threads) {
            switch (t.state) {
                case AT_BARRIER, AT_WARP_SYNC -> {
                    Insn in = code[t.pc];
                    line = line == 0 ? in.line() : line;
                    waits.merge("line " + in.line() + " '" + in.text() + "'", 1, Integer::sum);
                }
                case EXITED -> {
                    if (exitedCount++ < 3) {
                        exited.append(exited.isEmpty() ? "" : ", ").append(t.describe()).append(" at line ").append(t.exitLine);
                    }
                }
                case RUNNING -> { }
            }
        }
        StringBuilder sb = new StringBuilder("deadlock in CTA (" + threads[0].cta.ctaid[0] + "," + threads[0].cta.ctaid[1]
                + "," + threads[0].cta.ctaid[2] + "): ");
        waits.forEach((where, n) -> sb.append(n).append(" thread(s) wait at ").append(where).append("; "));
        if (exitedCount > 0) {
            sb.append(exitedCount).append(" thread(s) have exited and can never arrive (").append(exited)
                    .append(exitedCount > 3 ? ", ..." : "").append(")");
        } else {
            sb.append("no thread can reach the other synchronisation points");
        }
        return new PtxException(line, sb.toString());
    }
}
