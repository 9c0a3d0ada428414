package dev.tessera.runtime;

/** Releasing several native resources at once, so that one that fails does not keep the others alive. */
public final class Resources {

    private Resources() {}

    /**
     * Closes every resource, even after one has failed, then throws {@code earlier} (when not null) or else the
     * first failure, with the later ones suppressed in it.
     */
    public static void closeAll(Iterable<? extends AutoCloseable> resources, RuntimeException earlier) {
        RuntimeException failure = earlier;
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                RuntimeException unchecked = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                if (failure == null) {
                    failure = unchecked;
                } else {
                    failure.addSuppressed(unchecked);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
