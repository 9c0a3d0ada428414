package dev.tessera.runtime.jvm;

import dev.tessera.codegen.jvm.JvmProgram;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.CompiledProgram;

/** A program compiled by one {@link JvmDevice}: its kernels as hidden classes. */
final class JvmCompiled implements CompiledProgram {

    final JvmDevice owner;
    final JvmProgram code;

    JvmCompiled(JvmDevice owner, JvmProgram code) {
        this.owner = owner;
        this.code = code;
    }

    @Override
    public LoopProgram program() {
        return code.program();
    }

    @Override
    public String deviceId() {
        return owner.id();
    }

    /** There is no source: the summary says how each kernel was split into regions and where its variables live. */
    @Override
    public String source() {
        return code.summary();
    }

    @Override
    public String toString() {
        return "JVM program '" + program().name() + "'";
    }
}
