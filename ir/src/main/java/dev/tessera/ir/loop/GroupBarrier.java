package dev.tessera.ir.loop;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The barrier of one interpreted work-group. Unlike {@link java.util.concurrent.CyclicBarrier} it reports the
 * bugs a device would hang on or silently get wrong: a thread finishing while others wait at a barrier, or
 * threads of one group waiting at different barrier statements. The first failure wakes every waiter.
 */
final class GroupBarrier {

    /** Thrown in threads woken because another one failed; carries nothing to report. */
    static final class Aborted extends RuntimeException {
        Aborted() {
            super(null, null, false, false);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition tripped = lock.newCondition();
    private final int parties;
    private final String where;
    private int arrived;
    private int finished;
    private long generation;
    private Object site;
    private RuntimeException failure;

    GroupBarrier(int parties, String where) {
        this.parties = parties;
        this.where = where;
    }

    /** Waits until every thread of the group reached {@code barrierSite} (the statement, by identity). */
    void await(Object barrierSite) {
        lock.lock();
        try {
            if (failure != null) {
                throw new Aborted();
            }
            if (finished > 0) {
                throw fail(finished + " thread(s) of the work-group finished without reaching a barrier " + where);
            }
            if (arrived == 0) {
                site = barrierSite;
            } else if (site != barrierSite) {
                throw fail("threads of one work-group wait at different barriers " + where);
            }
            arrived++;
            if (arrived == parties) {
                arrived = 0;
                generation++;
                tripped.signalAll();
                return;
            }
            long g = generation;
            while (g == generation && failure == null) {
                tripped.awaitUninterruptibly();
            }
            if (g == generation) {
                throw new Aborted();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called by each thread when its body is done. */
    void finish() {
        lock.lock();
        try {
            finished++;
            if (arrived > 0 && failure == null) {
                fail("a thread finished while " + arrived + " other(s) wait at a barrier " + where);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records {@code e} as the group's failure unless one is recorded, and wakes every waiter. */
    void abort(RuntimeException e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            tripped.signalAll();
        } finally {
            lock.unlock();
        }
    }

    RuntimeException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    private RuntimeException fail(String message) {
        IllegalStateException e = new IllegalStateException(message);
        if (failure == null) {
            failure = e;
        }
        tripped.signalAll();
        return e;
    }
}
