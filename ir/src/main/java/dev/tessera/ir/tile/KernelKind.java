package dev.tessera.ir.tile;

/** The shape of a tile kernel, which decides how it is lowered to loops. */
public enum KernelKind {
    /** No sweep axes: each element of the domain is independent. */
    POINTWISE,
    /** One program instance per point of the parallel axes; reductions along the sweep axes, fused around. */
    REDUCE,
    /** Domain [batch..., M, N | K]: a dot staged through local memory, with a fused elementwise epilogue. */
    MATMUL;

    public String irName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
