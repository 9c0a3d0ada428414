package dev.tessera.ir.loop;

/** An array in work-group local (shared) memory. */
public record LocalArray(String name, LType elem, int length) {}
