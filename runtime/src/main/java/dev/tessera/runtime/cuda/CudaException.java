package dev.tessera.runtime.cuda;

/** A CUDA driver call that returned an error: names the function and the result, e.g. CUDA_ERROR_ILLEGAL_ADDRESS. */
public class CudaException extends RuntimeException {

    private final String function;
    private final int code;

    public CudaException(String function, int code, String codeName, String context) {
        super(function + " failed: " + codeName + (context.isEmpty() ? "" : " (" + context + ")"));
        this.function = function;
        this.code = code;
    }

    /** The driver function that failed, e.g. {@code cuLaunchKernel}. */
    public String function() {
        return function;
    }

    /** The raw CUresult. */
    public int code() {
        return code;
    }
}
