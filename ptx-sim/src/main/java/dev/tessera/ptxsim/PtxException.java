package dev.tessera.ptxsim;

/**
 * A loud failure of the simulator: malformed or unsupported PTX, a bad launch, or a kernel that does
 * something undefined (out-of-bounds access, barrier deadlock, ...).
 *
 * <p>The message always names the PTX line and, when one is involved, the instruction's text and the
 * thread that failed, so that a failing differential test points straight at the emitted code.
 */
public final class PtxException extends RuntimeException {

    private final int line;

    /** Creates an exception tied to a line of the PTX source ({@code line <= 0} when none applies). */
    public PtxException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    /** Creates an exception that wraps a lower-level cause. */
    public PtxException(int line, String message, Throwable cause) {
        super(line > 0 ? "line " + line + ": " + message : message, cause);
        this.line = line;
    }

    /** The 1-based PTX source line the failure refers to, or 0 when it is not tied to a line. */
    public int line() {
        return line;
    }
}
