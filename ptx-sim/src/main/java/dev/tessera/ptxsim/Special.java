package dev.tessera.ptxsim;

/** The read-only special registers a thread can read with {@code mov}, and how each is computed. */
enum Special {
    TID_X("%tid.x"), TID_Y("%tid.y"), TID_Z("%tid.z"),
    NTID_X("%ntid.x"), NTID_Y("%ntid.y"), NTID_Z("%ntid.z"),
    CTAID_X("%ctaid.x"), CTAID_Y("%ctaid.y"), CTAID_Z("%ctaid.z"),
    NCTAID_X("%nctaid.x"), NCTAID_Y("%nctaid.y"), NCTAID_Z("%nctaid.z"),
    LANEID("%laneid"), WARPID("%warpid"), NWARPID("%nwarpid"), SMID("%smid"), NSMID("%nsmid"),
    GRIDID("%gridid"), LANEMASK_EQ("%lanemask_eq"), LANEMASK_LT("%lanemask_lt"),
    LANEMASK_LE("%lanemask_le"), LANEMASK_GT("%lanemask_gt"), LANEMASK_GE("%lanemask_ge"),
    DYNAMIC_SMEM_SIZE("%dynamic_smem_size"), TOTAL_SMEM_SIZE("%total_smem_size");

    final String spelling;

    Special(String spelling) {
        this.spelling = spelling;
    }

    static Special byName(String name) {
        for (Special s : values()) {
            if (s.spelling.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Bit width of the register: all of these are 32-bit (%clock64 is read through {@link Src.Clock}). */
    int bits() {
        return 32;
    }

    long value(ThreadCtx t) {
        Launch l = t.cta.launch;
        long lane = t.lane;
        return switch (this) {
            case TID_X -> t.tidX();
            case TID_Y -> t.tidY();
            case TID_Z -> t.tidZ();
            case NTID_X -> l.block[0];
            case NTID_Y -> l.block[1];
            case NTID_Z -> l.block[2];
            case CTAID_X -> t.cta.ctaid[0];
            case CTAID_Y -> t.cta.ctaid[1];
            case CTAID_Z -> t.cta.ctaid[2];
            case NCTAID_X -> l.grid[0];
            case NCTAID_Y -> l.grid[1];
            case NCTAID_Z -> l.grid[2];
            case LANEID -> lane;
            // the simulator keeps warps in CTA order, so the hardware-assigned warp id equals the index
            case WARPID -> t.warp;
            case NWARPID -> (l.threadsPerCta() + 31) / 32;
            case SMID, GRIDID -> 0;
            case NSMID -> 1;
            case LANEMASK_EQ -> 1L << lane;
            case LANEMASK_LT -> (1L << lane) - 1;
            case LANEMASK_LE -> (2L << lane) - 1;
            case LANEMASK_GT -> 0xffff_ffffL & ~((2L << lane) - 1);
            case LANEMASK_GE -> 0xffff_ffffL & ~((1L << lane) - 1);
            case DYNAMIC_SMEM_SIZE -> l.dynamicSharedBytes;
            case TOTAL_SMEM_SIZE -> t.cta.shared.length;
        } & 0xffff_ffffL;
    }
}
