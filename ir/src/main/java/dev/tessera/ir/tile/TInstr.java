package dev.tessera.ir.tile;

/** {@code %result = op}. */
public record TInstr(TValue result, TOp op) {}
