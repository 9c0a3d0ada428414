package dev.tessera.runtime;

import dev.tessera.ir.loop.LoopProgram;

/** A loop-IR program built for one device, ready to run there. */
public interface CompiledProgram {

    LoopProgram program();

    /** The {@link Device#id()} it was built for; it runs nowhere else. */
    String deviceId();

    /** The code the device compiled (OpenCL C for OpenCL devices, PTX for CUDA), for inspection and bug reports. */
    String source();
}
