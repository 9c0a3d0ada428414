package dev.tessera.ir.tile;

/** How one tensor axis is addressed from a kernel's domain: by a domain axis, or fixed at 0 (extent-1 axis). */
public sealed interface IndexTerm {

    /** Index the tensor axis by domain axis {@code axis} (parallel axes first, then sweep axes). */
    record Axis(int axis) implements IndexTerm {
        @Override
        public String toString() {
            return "d" + axis;
        }
    }

    /** The tensor axis has extent 1 (a broadcast axis) and is always indexed by 0. */
    record Zero() implements IndexTerm {
        @Override
        public String toString() {
            return "0";
        }
    }
}
