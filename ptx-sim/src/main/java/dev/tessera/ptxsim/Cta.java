package dev.tessera.ptxsim;

/** The state one cooperative thread array shares: its shared memory and its coordinates in the grid. */
final class Cta {

    final Launch launch;
    final int[] ctaid;
    final byte[] shared;

    Cta(Launch launch, int[] ctaid, int sharedBytes) {
        this.launch = launch;
        this.ctaid = ctaid;
        this.shared = new byte[sharedBytes];
    }
}
