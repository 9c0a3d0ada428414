package dev.tessera.runtime.cache;

import java.nio.file.Path;

/**
 * The child process of {@link CacheCrashTest}: writes large entries in a loop, forever, announcing each write
 * before it starts ("writing I") and after it is done ("wrote I"), until it is killed.
 */
public final class CacheWriterMain {

    private CacheWriterMain() {}

    public static void main(String[] args) {
        KernelCache cache = new KernelCache(Path.of(args[0]), System.err::println);
        int keys = Integer.parseInt(args[1]);
        for (long i = 0; ; i++) {
            int k = (int) (i % keys);
            System.out.println("writing " + i);
            System.out.flush();
            cache.write(CacheCrashTest.key(k), CacheCrashTest.payload(k, i));
            System.out.println("wrote " + i);
            System.out.flush();
        }
    }

}
