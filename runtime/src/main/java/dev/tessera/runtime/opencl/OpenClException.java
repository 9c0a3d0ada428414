package dev.tessera.runtime.opencl;

/** An OpenCL call that returned an error: names the function and the status code, e.g. CL_INVALID_WORK_GROUP_SIZE. */
public class OpenClException extends RuntimeException {

    private final String function;
    private final int code;

    public OpenClException(String function, int code, String context) {
        super(function + " failed: " + ClErrors.name(code) + (context.isEmpty() ? "" : " (" + context + ")"));
        this.function = function;
        this.code = code;
    }

    /** The OpenCL function that failed, e.g. {@code clEnqueueNDRangeKernel}. */
    public String function() {
        return function;
    }

    /** The raw status code; {@link ClErrors#name(int)} gives its name. */
    public int code() {
        return code;
    }

    public String codeName() {
        return ClErrors.name(code);
    }
}
