package dev.tessera.ptxsim;

/**
 * An undefined or unsupported action detected while a thread executes (bad address, division by
 * zero, ...); the CTA runner turns it into a {@link PtxException} naming the instruction and thread.
 */
final class Fault extends RuntimeException {

    Fault(String message) {
        super(message, null, false, false);
    }
}
