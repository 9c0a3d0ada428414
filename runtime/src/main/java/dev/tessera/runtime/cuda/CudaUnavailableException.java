package dev.tessera.runtime.cuda;

/** CUDA cannot be used in this process at all (no driver library, no device); the message says which. */
public final class CudaUnavailableException extends RuntimeException {
    public CudaUnavailableException(String message) {
        super(message);
    }
}
