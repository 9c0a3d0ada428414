package dev.tessera.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Whether stderr is a terminal, so that progress bars (which redraw a line) go only where they can be seen. */
final class Terminal {

    private Terminal() {}

    /** isatty(2) from the C library; where that cannot be called, the JDK's weaker console check. */
    static boolean stderrIsTerminal() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle isatty = linker.downcallHandle(linker.defaultLookup().find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) isatty.invokeExact(2) == 1;
        } catch (Throwable e) {
            return System.console() != null && System.console().isTerminal();
        }
    }
}
