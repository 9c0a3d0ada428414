package dev.tessera.ir.loop;

import dev.tessera.ir.DType;

/** A kernel parameter: a global buffer (by program buffer name) or a symbolic dimension passed as an i32. */
public sealed interface LoopParam {

    String name();

    /** A global-memory buffer; {@code written} when the kernel stores to it. */
    record BufferParam(String name, DType elem, boolean written) implements LoopParam {}

    /** The bound value of a symbolic dimension, readable in the body as {@code Var(name, I32)}. */
    record DimParam(String name) implements LoopParam {}
}
