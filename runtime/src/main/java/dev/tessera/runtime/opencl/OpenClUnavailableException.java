package dev.tessera.runtime.opencl;

/** OpenCL cannot be used in this process at all (no library, no platform, no device); the message says which. */
public final class OpenClUnavailableException extends RuntimeException {
    public OpenClUnavailableException(String message) {
        super(message);
    }
}
