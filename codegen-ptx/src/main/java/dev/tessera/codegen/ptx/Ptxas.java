package dev.tessera.codegen.ptx;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NVIDIA's PTX assembler, run as a separate process when it is on the PATH: it checks emitted PTX without a
 * GPU and, with {@code -v}, reports each kernel's registers, shared memory and spills. Nothing in Tessera
 * needs it to compile or run kernels (the CUDA driver JIT-compiles PTX itself).
 */
public final class Ptxas {

    /** What one run printed; {@code exitCode} 0 means the PTX assembled. */
    public record Result(int exitCode, String log) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Resource use of one kernel as {@code ptxas -v} reports it. */
    public record KernelStats(String symbol, int registers, long sharedBytes, long stackBytes, long spillStoreBytes,
            long spillLoadBytes) {
        public boolean spills() {
            return spillStoreBytes > 0 || spillLoadBytes > 0;
        }
    }

    private static final Pattern ENTRY = Pattern.compile("Compiling entry function '([^']+)'");
    private static final Pattern FRAME = Pattern.compile(
            "(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads");
    private static final Pattern USED = Pattern.compile("Used (\\d+) registers");
    private static final Pattern SMEM = Pattern.compile("(\\d+) bytes smem");
    private static final Pattern LINE = Pattern.compile(", line (\\d+);");

    private Ptxas() {}

    /**
     * The system property naming the ptxas to run instead of the one on the PATH; set to the empty string it
     * hides ptxas (tests of the path without it use that).
     */
    public static final String PROPERTY = "tessera.ptxas";

    /** The ptxas executable on the PATH (or named by {@link #PROPERTY}), if there is one. */
    public static Optional<Path> find() {
        String override = System.getProperty(PROPERTY);
        if (override != null) {
            return override.isEmpty() || !Files.isExecutable(Path.of(override)) ? Optional.empty()
                    : Optional.of(Path.of(override));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "ptxas");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Why ptxas cannot be run here, or empty when it can. */
    public static Optional<String> unavailable() {
        if (find().isPresent()) {
            return Optional.empty();
        }
        String override = System.getProperty(PROPERTY);
        return Optional.of(override == null ? "ptxas is not on the PATH (it comes with the CUDA toolkit)"
                : override.isEmpty() ? "ptxas is disabled (-D" + PROPERTY + "= is empty)"
                : "-D" + PROPERTY + " names " + override + ", which is not an executable");
    }

    /**
     * Assembles {@code ptx} for {@code arch} into a throw-away cubin.
     *
     * @param verbose pass {@code -v}, for {@link #stats}
     * @throws IllegalStateException when ptxas is absent or cannot be run
     */
    public static Result assemble(String ptx, PtxArch arch, boolean verbose) {
        Path exe = find().orElseThrow(() -> new IllegalStateException(unavailable().orElseThrow()));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tessera-ptxas");
            Path in = dir.resolve("kernel.ptx");
            Files.writeString(in, ptx, StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of(exe.toString(), "-arch=" + arch.target()));
            if (verbose) {
                cmd.add("-v");
            }
            cmd.addAll(List.of(in.toString(), "-o", dir.resolve("kernel.cubin").toString()));
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!proc.waitFor(120, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new IllegalStateException("ptxas did not finish within 120 s");
            }
            return new Result(proc.exitValue(), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + exe + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running ptxas", e);
        } finally {
            if (dir != null) {
                deleteQuietly(dir);
            }
        }
    }

    /** Per-kernel statistics from the log of a {@code -v} run, in the order ptxas reports them. */
    public static List<KernelStats> stats(String log) {
        List<KernelStats> out = new ArrayList<>();
        String symbol = null;
        long[] frame = new long[3];
        for (String line : log.split("\n")) {
            Matcher m = ENTRY.matcher(line);
            if (m.find()) {
                symbol = m.group(1);
                frame = new long[3];
                continue;
            }
            m = FRAME.matcher(line);
            if (m.find() && symbol != null) {
                frame = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
                continue;
            }
            m = USED.matcher(line);
            if (m.find() && symbol != null) {
                Matcher smem = SMEM.matcher(line);
                long shared = smem.find() ? Long.parseLong(smem.group(1)) : 0;
                out.add(new KernelStats(symbol, Integer.parseInt(m.group(1)), shared, frame[0], frame[1], frame[2]));
                symbol = null;
            }
        }
        return out;
    }

    /** The log with each PTX line it names ("line N") quoted under it, so that an error shows its cause. */
    public static String explain(String ptx, String log) {
        String[] lines = ptx.split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (String l : log.split("\n")) {
            sb.append(l).append('\n');
            Matcher m = LINE.matcher(l);
            if (m.find()) {
                int n = Integer.parseInt(m.group(1));
                if (n >= 1 && n <= lines.length) {
                    sb.append("    | ").append(lines[n - 1].strip()).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // A leftover temp file is harmless; failing the compile over it would not be.
        }
    }
}
