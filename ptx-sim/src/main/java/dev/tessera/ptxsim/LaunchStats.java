package dev.tessera.ptxsim;

/**
 * What a launch did.
 *
 * @param instructions thread-instructions issued, counting those whose guard predicate was false
 * @param ctas CTAs run (the grid's size)
 * @param threadsPerCta threads in each CTA (the block's size)
 */
public record LaunchStats(long instructions, long ctas, int threadsPerCta) {}
