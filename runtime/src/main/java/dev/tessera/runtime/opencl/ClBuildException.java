package dev.tessera.runtime.opencl;

/** clBuildProgram rejected a source; carries the compiler's build log. */
public final class ClBuildException extends OpenClException {

    private final String log;

    public ClBuildException(int code, String log) {
        super("clBuildProgram", code, "see the build log");
        this.log = log;
    }

    public String log() {
        return log;
    }
}
