package dev.tessera.runtime.opencl;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device buffers kept between runs, by size, up to a cap: a run that makes and releases its buffers pays the
 * driver for both every time (on PoCL, releasing them was a third of a small kernel's call). Buffers come back
 * only after the queue has finished with them. Not thread-safe: its device runs one program at a time.
 */
final class BufferPool implements AutoCloseable {

    private final ClContext context;
    private final long capacity;
    private final Map<Long, Deque<ClBuffer>> free = new HashMap<>();
    private long pooledBytes;
    private int created;

    /** @param capacity the most bytes kept; a buffer that would go over is released instead */
    BufferPool(ClContext context, long capacity) {
        this.context = context;
        this.capacity = capacity;
    }

    /** A buffer of exactly {@code bytes}: a kept one when there is one, else a new one. Its contents are stale. */
    ClBuffer take(long bytes) {
        Deque<ClBuffer> kept = free.get(bytes);
        if (kept != null && !kept.isEmpty()) {
            pooledBytes -= bytes;
            return kept.pop();
        }
        created++;
        return context.createBuffer(bytes);
    }

    /** Keeps {@code b} for a later run, or releases it when the pool is full. */
    void give(ClBuffer b) {
        if (pooledBytes + b.bytes() > capacity) {
            b.close();
            return;
        }
        free.computeIfAbsent(b.bytes(), k -> new ArrayDeque<>()).push(b);
        pooledBytes += b.bytes();
    }

    /** How many buffers the pool has had the driver make. */
    int created() {
        return created;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (Deque<ClBuffer> kept : free.values()) {
            for (ClBuffer b : kept) {
                try {
                    b.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        free.clear();
        pooledBytes = 0;
        if (failure != null) {
            throw failure;
        }
    }
}
