package dev.tessera.runtime.opencl;

import dev.tessera.runtime.Resources;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
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

    /** Keeps the buffers for a later run, as far as the cap allows, and releases the rest. */
    void giveAll(List<ClBuffer> buffers) {
        List<ClBuffer> over = new ArrayList<>();
        for (ClBuffer b : buffers) {
            if (pooledBytes + b.bytes() > capacity) {
                over.add(b);
            } else {
                free.computeIfAbsent(b.bytes(), k -> new ArrayDeque<>()).push(b);
                pooledBytes += b.bytes();
            }
        }
        Resources.closeAll(over, null);
    }

    /** How many buffers the pool has had the driver make. */
    int created() {
        return created;
    }

    @Override
    public void close() {
        List<ClBuffer> all = free.values().stream().flatMap(Deque::stream).toList();
        free.clear();
        pooledBytes = 0;
        Resources.closeAll(all, null);
    }
}
