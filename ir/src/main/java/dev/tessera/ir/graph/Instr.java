package dev.tessera.ir.graph;

import dev.tessera.ir.SourceSpan;

/** {@code %result = op}: one SSA definition, with the source span it came from. */
public record Instr(Value result, Op op, SourceSpan span) {}
