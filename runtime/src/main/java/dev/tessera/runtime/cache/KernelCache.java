package dev.tessera.runtime.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Tessera's persistent cache: one file per entry under {@code ROOT/v1/}, named by the SHA-256 of its key.
 *
 * <p>Writes are atomic: the entry goes to a temporary file in the same directory, is forced to disk, and is
 * renamed over the final name (then the directory is forced), so a reader sees the old entry, the new one, or
 * none, even when the writer is killed. Reads check the format, the checksum and the full key; anything else
 * (a torn file from a crash before the rename on a file system without atomic rename, a flipped bit, an entry
 * for another key) is ignored with a warning, so the caller rebuilds it and the next write replaces it.
 * Problems writing (a read-only home) are warnings too: the cache only ever saves time.
 */
public final class KernelCache {

    /** The layout's directory under the root; a new incompatible layout gets a new name. */
    public static final String LAYOUT = "v1";

    private static final Pattern ENTRY = Pattern.compile("[0-9a-f]{64}\\.entry");
    private static final Pattern TEMP = Pattern.compile("\\.[0-9a-f]{64}\\.[0-9a-z]+\\.tmp");
    private static final String TAG = "CACHEDIR.TAG";
    /** Entries are kilobytes; a file far larger is not ours, and reading it whole would be a waste. */
    private static final long MAX_ENTRY_BYTES = 64L << 20;
    /** A temporary file this old belongs to a writer that died; younger ones may still be being written. */
    private static final Duration STALE_TEMP = Duration.ofMinutes(10);

    private final Path root;
    private final Path dir;
    private final Consumer<String> warnings;
    private final Clock clock;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param root the cache root ({@link CacheLocation#defaultRoot()} normally)
     * @param warnings receives one line per problem, e.g. an entry ignored because its checksum is wrong
     */
    public KernelCache(Path root, Consumer<String> warnings) {
        this(root, warnings, Clock.systemUTC());
    }

    public KernelCache(Path root, Consumer<String> warnings, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.dir = this.root.resolve(LAYOUT);
        this.warnings = warnings;
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    /** The directory holding the entries: everything Tessera writes is in it. */
    public Path directory() {
        return dir;
    }

    /** The file an entry with this key lives in (whether or not it exists). */
    public Path fileFor(CacheKey key) {
        return dir.resolve(key.sha256() + ".entry");
    }

    /** The entry for {@code key}, when a complete and intact one with exactly this key exists. */
    public Optional<CacheEntry> read(CacheKey key) {
        Path file = fileFor(key);
        Optional<CacheEntry> e = readFile(file);
        if (e.isPresent() && !e.get().key().equals(key)) {
            warn(file, "it holds another key (" + e.get().key().kind() + " " + e.get().key().fields() + ")");
            return Optional.empty();
        }
        return e;
    }

    private Optional<CacheEntry> readFile(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_ENTRY_BYTES) {
                warn(file, "it is " + size + " bytes, more than any entry");
                return Optional.empty();
            }
            return Optional.of(EntryCodec.decode(Files.readAllBytes(file), file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            warn(file, "it cannot be read: " + e.getMessage());
            return Optional.empty();
        } catch (EntryCodec.Corrupt e) {
            warn(file, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Writes (or replaces) the entry for {@code key} atomically; returns false, after a warning, when it could
     * not be written.
     */
    public boolean write(CacheKey key, Map<String, String> payload) {
        byte[] bytes = EntryCodec.encode(key, payload, clock.instant());
        Path target = fileFor(key);
        Path temp = null;
        try {
            ensureDirectory();
            temp = dir.resolve("." + key.sha256() + "." + Long.toString(ThreadLocalRandom.current().nextLong()
                    & Long.MAX_VALUE, 36) + ".tmp");
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Within one directory every local file system renames atomically; say so if one does not.
                throw new IOException("the file system cannot rename atomically in " + dir, e);
            }
            temp = null;
            forceDirectory();
            return true;
        } catch (IOException | RuntimeException e) {
            warnings.accept("tessera: warning: cannot write cache entry " + target + ": " + e.getMessage()
                    + " (continuing without caching it)");
            return false;
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A leftover temporary file is swept by a later list or clear.
                }
            }
        }
    }

    private void ensureDirectory() throws IOException {
        Files.createDirectories(dir);
        Path tag = dir.resolve(TAG);
        if (!Files.exists(tag)) {
            // Backup tools skip directories with this tag (https://bford.info/cachedir/); only in our directory,
            // never in a root the user chose, which may be theirs.
            Files.writeString(tag, "Signature: 8a477f597d28d172789f06886806bc55\n"
                    + "# This directory holds Tessera's kernel cache; `tessera cache clear` empties it.\n",
                    StandardCharsets.US_ASCII);
        }
    }

    /** Makes the rename durable; not every platform can open a directory, and then the rename must do. */
    private void forceDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    /** Every valid entry, newest first; invalid ones are skipped with a warning, stale temporaries removed. */
    public List<CacheEntry> list() {
        List<CacheEntry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        Instant staleBefore = clock.instant().minus(STALE_TEMP);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (ENTRY.matcher(name).matches()) {
                    readFile(f).ifPresent(e -> {
                        if (fileFor(e.key()).equals(f)) {
                            entries.add(e);
                        } else {
                            warn(f, "its name is not the hash of the key it holds");
                        }
                    });
                } else if (TEMP.matcher(name).matches() && modifiedBefore(f, staleBefore)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            warnings.accept("tessera: warning: cannot list the cache " + dir + ": " + e.getMessage());
        }
        entries.sort(Comparator.comparing(CacheEntry::written).reversed());
        return entries;
    }

    private static boolean modifiedBefore(Path f, Instant t) {
        try {
            return Files.getLastModifiedTime(f).toInstant().isBefore(t);
        } catch (IOException e) {
            return false;
        }
    }

    /** What {@link #clear()} removed. */
    public record Cleared(Path directory, int entries, int temporaries, long bytes) {}

    /**
     * Removes every entry and temporary file of Tessera's and then the layout directory if empty; files it
     * did not make (whatever else the user keeps under the root) stay.
     */
    public Cleared clear() throws IOException {
        int entries = 0;
        int temps = 0;
        long bytes = 0;
        if (!Files.isDirectory(dir)) {
            return new Cleared(dir, 0, 0, 0);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean entry = ENTRY.matcher(name).matches();
                if (entry || TEMP.matcher(name).matches() || name.equals(TAG)) {
                    long size = Files.isRegularFile(f) ? Files.size(f) : 0;
                    if (Files.deleteIfExists(f) && !name.equals(TAG)) {
                        bytes += size;
                        if (entry) {
                            entries++;
                        } else {
                            temps++;
                        }
                    }
                }
            }
        }
        try (DirectoryStream<Path> rest = Files.newDirectoryStream(dir)) {
            if (!rest.iterator().hasNext()) {
                Files.delete(dir);
            }
        }
        return new Cleared(dir, entries, temps, bytes);
    }

    private void warn(Path file, String why) {
        if (warned.add(file + "\n" + why)) {
            warnings.accept("tessera: warning: ignoring cache entry " + file + ": " + why + " (it will be rebuilt)");
        }
    }
}
