package dev.tessera.cli;

/** The exit codes of every command. */
final class ExitCodes {
    static final int OK = 0;
    /** An error in the user's input, or a failed check. */
    static final int USER_ERROR = 1;
    /** Bad command-line usage (picocli's own code for it). */
    static final int USAGE = 2;
    /** A bug in Tessera. */
    static final int INTERNAL = 3;

    private ExitCodes() {}
}
