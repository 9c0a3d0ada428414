package dev.tessera.runtime;

/**
 * A device would not load a program binary (another driver's, a damaged one, or none it knows how to load);
 * the message says why, for a warning, and the caller compiles from source instead.
 */
public final class BinaryRejectedException extends Exception {

    public BinaryRejectedException(String message) {
        super(message);
    }

    public BinaryRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
