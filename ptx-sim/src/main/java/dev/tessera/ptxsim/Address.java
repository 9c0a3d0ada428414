package dev.tessera.ptxsim;

/** A compiled address operand {@code [base+offset]}; a null base is an absolute address. */
record Address(Src base, long offset) {

    long get(ThreadCtx t) {
        return base == null ? offset : base.get(t) + offset;
    }
}
