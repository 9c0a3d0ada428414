package dev.tessera.runtime.jit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Values built at most once per key however many threads ask at the same time: the first asker builds, the
 * others wait on its future. A build that fails is forgotten, so a later request tries again.
 */
final class OnceMap<K, V> {

    private final ConcurrentHashMap<K, CompletableFuture<V>> values = new ConcurrentHashMap<>();

    V get(K key, Supplier<V> build) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> theirs = values.putIfAbsent(key, mine);
        if (theirs == null) {
            try {
                V v = build.get();
                mine.complete(v);
                return v;
            } catch (RuntimeException | Error e) {
                values.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return theirs.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    void clear() {
        values.clear();
    }
}
