package dev.tessera.codegen.ascendc;

/**
 * Target facts and knobs of the Ascend C backend: vector cores to launch on (blockDim limit), unified
 * buffer per core, and an optional fixed vector tile length (0 lets the generator choose the largest that fits).
 *
 * @param vectorCores AI vector cores of the target (40 on 910B3/B4, 48 on 910B1/B2); blockDim never exceeds it
 * @param ubBytes unified buffer per vector core (192 KiB on the Atlas A2 family)
 * @param tileLength elements per vector tile, a multiple of {@link #TILE_QUANTUM}, or 0 for automatic
 */
public record AscendOptions(int vectorCores, int ubBytes, int tileLength) {

    /** 192 KiB: the Atlas A2 (910B) unified buffer of one AI vector core. */
    public static final int A2_UB_BYTES = 192 * 1024;
    /** L1 of one AI cube core on the Atlas A2 family. */
    public static final int A2_L1_BYTES = 512 * 1024;
    /** L0A and L0B of one AI cube core. */
    public static final int A2_L0AB_BYTES = 64 * 1024;
    /** L0C of one AI cube core. */
    public static final int A2_L0C_BYTES = 128 * 1024;
    /** 910B3/B4 have 40 vector cores (and 20 cube cores). */
    public static final int DEFAULT_VECTOR_CORES = 40;
    /**
     * Tile lengths are multiples of 256 elements: then every buffer of every dtype is a multiple of 32 bytes
     * (DataCopy and UB alignment), a bool mask of the tile is too, and Compare's count spans whole 256-byte
     * repeats.
     */
    public static final int TILE_QUANTUM = 256;
    /** The largest automatic tile: beyond it the per-instruction overhead is already amortised. */
    public static final int MAX_AUTO_TILE = 8192;

    public AscendOptions {
        if (vectorCores < 2 || vectorCores > 4096) {
            throw new IllegalArgumentException("vector core count must be between 2 and 4096, not " + vectorCores);
        }
        if (ubBytes < 1024) {
            throw new IllegalArgumentException("unified buffer of " + ubBytes + " bytes is too small");
        }
        if (tileLength < 0 || tileLength % TILE_QUANTUM != 0) {
            throw new IllegalArgumentException("tile length must be 0 (automatic) or a positive multiple of "
                    + TILE_QUANTUM + ", not " + tileLength);
        }
    }

    public static AscendOptions defaults() {
        return new AscendOptions(DEFAULT_VECTOR_CORES, A2_UB_BYTES, 0);
    }

    public AscendOptions withCores(int cores) {
        return new AscendOptions(cores, ubBytes, tileLength);
    }

    public AscendOptions withTileLength(int tile) {
        return new AscendOptions(vectorCores, ubBytes, tile);
    }

    public AscendOptions withUbBytes(int bytes) {
        return new AscendOptions(vectorCores, bytes, tileLength);
    }

    /** On the A2 family an AI cube core pairs with two vector cores. */
    public int cubeCores() {
        return vectorCores / 2;
    }
}
