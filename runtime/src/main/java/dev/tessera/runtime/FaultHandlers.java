package dev.tessera.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the JVM's handlers for the fault signals in place around native drivers.
 *
 * <p>HotSpot owns SIGSEGV, SIGBUS, SIGFPE and SIGILL: safepoint polls and implicit null checks are faults that
 * it handles. LLVM, which PoCL runs inside the process to compile OpenCL C, installs crash handlers of its own for
 * those signals with {@code SA_RESETHAND}. The first fault after that reaches LLVM's handler and resets the
 * signal to the default action. If another thread faults before that handler has put the JVM's back (all threads
 * poll at once at a safepoint), the process dies with "Segmentation fault" and no hs_err file.
 *
 * <p>The cure is HotSpot's signal chaining: start the JVM with {@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}
 * (the {@code tessera} launcher and the test build do). libjsig keeps the JVM's handlers installed and gives a
 * library's handler only the faults the JVM does not claim. Without libjsig, {@link #restore()} narrows the
 * danger: called after every OpenCL call, it puts back whatever was installed when the snapshot was taken (before
 * any driver was loaded). The window while the driver compiles remains.
 */
public final class FaultHandlers {

    /** The fault signals HotSpot handles, by their Linux numbers (the same on x86-64 and AArch64). */
    private static final List<Signal> SIGNALS = List.of(new Signal("SIGILL", 4), new Signal("SIGBUS", 7),
            new Signal("SIGFPE", 8), new Signal("SIGSEGV", 11));

    /** glibc's struct sigaction is 152 bytes on 64-bit Linux; the handler pointer comes first. */
    private static final long SIGACTION_BYTES = 152;

    private record Signal(String name, int number) {}

    private static Optional<FaultHandlers> process;

    private final MethodHandle sigaction;
    private final boolean chained;
    private final List<MemorySegment> saved = new ArrayList<>();
    /** Where {@link #replaced} reads the current handlers: checked after every OpenCL call, so made once. */
    private final MemorySegment now = Arena.global().allocate(SIGACTION_BYTES, 16);
    /** Every signal {@link #restore()} has had to put back, for {@link #warning()}. */
    private final Set<String> everRestored = new TreeSet<>();

    private FaultHandlers(MethodHandle sigaction, boolean chained) {
        this.sigaction = sigaction;
        this.chained = chained;
        for (Signal s : SIGNALS) {
            // Kept for the life of the process, as the handlers they restore are.
            MemorySegment action = Arena.global().allocate(SIGACTION_BYTES, 16);
            call(s.number(), MemorySegment.NULL, action);
            saved.add(action);
        }
    }

    /**
     * The snapshot taken the first time this is called. Call it before loading any native driver, so that it
     * holds the JVM's handlers.
     */
    public static synchronized Optional<FaultHandlers> process() {
        if (process == null) {
            process = snapshot();
        }
        return process;
    }

    /**
     * The process's fault handlers as they are now, or empty where they cannot be read (not Linux, or no
     * {@code sigaction} in the C library).
     */
    private static Optional<FaultHandlers> snapshot() {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return Optional.empty();
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Optional<MemorySegment> sigaction = libc.find("sigaction");
        Optional<MemorySegment> dlsym = libc.find("dlsym");
        if (sigaction.isEmpty() || dlsym.isEmpty()) {
            return Optional.empty();
        }
        MethodHandle sa = linker.downcallHandle(sigaction.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        MethodHandle ds = linker.downcallHandle(dlsym.get(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        return Optional.of(new FaultHandlers(sa, libjsigLoaded(ds)));
    }

    /** Whether HotSpot's signal chaining (libjsig) is in the process, found as HotSpot itself looks for it. */
    public boolean chained() {
        return chained;
    }

    /**
     * Puts back every fault handler that differs from the snapshot; returns the names of the signals it
     * restored (empty when nothing had changed).
     */
    public synchronized List<String> restore() {
        List<String> restored = replaced();
        everRestored.addAll(restored);
        for (int i = 0; i < SIGNALS.size(); i++) {
            if (restored.contains(SIGNALS.get(i).name())) {
                call(SIGNALS.get(i).number(), saved.get(i), MemorySegment.NULL);
            }
        }
        return restored;
    }

    /**
     * What to tell the user once a native library has replaced the JVM's handlers in a process without libjsig:
     * they were put back, but the JVM may still crash while that library runs.
     */
    public synchronized Optional<String> warning() {
        if (chained || everRestored.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("tessera: warning: the OpenCL driver replaced the JVM's handlers for " + everRestored
                + " (PoCL's LLVM does); Tessera puts them back after each OpenCL call, but the JVM can still crash"
                + " (\"Segmentation fault\") while the driver compiles. Start java with"
                + " LD_PRELOAD=$JAVA_HOME/lib/libjsig.so (HotSpot's signal chaining), as the tessera launcher does");
    }

    /** The names of the fault signals whose handler is no longer the one in the snapshot. */
    public synchronized List<String> replaced() {
        List<String> replaced = new ArrayList<>();
        for (int i = 0; i < SIGNALS.size(); i++) {
            call(SIGNALS.get(i).number(), MemorySegment.NULL, now);
            if (handler(now) != handler(saved.get(i))) {
                replaced.add(SIGNALS.get(i).name());
            }
        }
        return replaced;
    }

    private static long handler(MemorySegment action) {
        return action.get(ValueLayout.ADDRESS, 0).address();
    }

    private void call(int signal, MemorySegment act, MemorySegment old) {
        int rc;
        try {
            rc = (int) sigaction.invokeExact(signal, act, old);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
        if (rc != 0) {
            throw new IllegalStateException("sigaction(" + signal + ") failed");
        }
    }

    private static boolean libjsigLoaded(MethodHandle dlsym) {
        try (Arena arena = Arena.ofConfined()) {
            // RTLD_DEFAULT is the null handle in glibc.
            MemorySegment found = (MemorySegment) dlsym.invokeExact(MemorySegment.NULL,
                    arena.allocateFrom("JVM_begin_signal_setting"));
            return found.address() != 0;
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }
}
