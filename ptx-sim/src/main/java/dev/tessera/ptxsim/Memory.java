package dev.tessera.ptxsim;

import dev.tessera.ptxsim.Ast.Space;

/**
 * Loads and stores in every state space, with bounds and alignment checks.
 *
 * <p>Addresses in the .shared, .local, .const and .param spaces are byte offsets from 0, as on
 * hardware. The generic address space maps global memory at {@link DeviceMemory}'s addresses and the
 * other spaces at fixed windows, so that {@code cvta} and generic {@code ld}/{@code st} work.
 */
final class Memory {

    private Memory() {}

    static final long SHARED_WINDOW = 0x0000_1000_0000_0000L;
    static final long LOCAL_WINDOW = 0x0000_2000_0000_0000L;
    static final long CONST_WINDOW = 0x0000_3000_0000_0000L;
    static final long PARAM_WINDOW = 0x0000_4000_0000_0000L;
    static final long WINDOW_SIZE = 1L << 32;

    /** Generic address of a state-space address (cvta.space). */
    static long toGeneric(Space space, long addr) {
        return switch (space) {
            case GLOBAL, GENERIC -> addr;
            case SHARED -> SHARED_WINDOW + (addr & 0xffff_ffffL);
            case LOCAL -> LOCAL_WINDOW + (addr & 0xffff_ffffL);
            case CONST -> CONST_WINDOW + (addr & 0xffff_ffffL);
            case PARAM -> PARAM_WINDOW + (addr & 0xffff_ffffL);
        };
    }

    /** The space a generic address falls in. */
    static Space spaceOf(long generic) {
        if (generic >= SHARED_WINDOW && generic < SHARED_WINDOW + WINDOW_SIZE) {
            return Space.SHARED;
        }
        if (generic >= LOCAL_WINDOW && generic < LOCAL_WINDOW + WINDOW_SIZE) {
            return Space.LOCAL;
        }
        if (generic >= CONST_WINDOW && generic < CONST_WINDOW + WINDOW_SIZE) {
            return Space.CONST;
        }
        if (generic >= PARAM_WINDOW && generic < PARAM_WINDOW + WINDOW_SIZE) {
            return Space.PARAM;
        }
        return Space.GLOBAL;
    }

    /** State-space address of a generic one (cvta.to.space); fails loudly if it lies elsewhere. */
    static long fromGeneric(Space space, long generic) {
        if (space == Space.GLOBAL) {
            if (spaceOf(generic) != Space.GLOBAL) {
                throw new Fault("cvta.to.global of 0x" + Long.toHexString(generic) + ", which is a "
                        + spaceOf(generic).name().toLowerCase() + " address");
            }
            return generic;
        }
        if (spaceOf(generic) != space) {
            throw new Fault("generic address 0x" + Long.toHexString(generic) + " is not in the ."
                    + space.name().toLowerCase() + " window");
        }
        return generic - toGeneric(space, 0);
    }

    static long load(ThreadCtx t, Space space, long addr, int size) {
        checkAlign(space, addr, size);
        if (space == Space.GENERIC) {
            space = spaceOf(addr);
            addr = space == Space.GLOBAL ? addr : addr - toGeneric(space, 0);
        }
        if (space == Space.GLOBAL) {
            DeviceMemory.Block b = t.cta.launch.memory.block(addr, size);
            return get(b.data(), b.offset(), size);
        }
        byte[] bytes = bytes(t, space);
        return get(bytes, offset(space, bytes, addr, size), size);
    }

    static void store(ThreadCtx t, Space space, long addr, int size, long value) {
        checkAlign(space, addr, size);
        if (space == Space.GENERIC) {
            space = spaceOf(addr);
            addr = space == Space.GLOBAL ? addr : addr - toGeneric(space, 0);
        }
        if (space == Space.GLOBAL) {
            DeviceMemory.Block b = t.cta.launch.memory.block(addr, size);
            put(b.data(), b.offset(), size, value);
            return;
        }
        if (space == Space.CONST || space == Space.PARAM) {
            throw new Fault("store to read-only ." + space.name().toLowerCase() + " space");
        }
        byte[] bytes = bytes(t, space);
        put(bytes, offset(space, bytes, addr, size), size, value);
    }

    static void checkAlign(Space space, long addr, int size) {
        if ((addr & (size - 1)) != 0) {
            throw new Fault("misaligned " + size + "-byte " + name(space) + " access at 0x"
                    + Long.toHexString(addr));
        }
    }

    private static byte[] bytes(ThreadCtx t, Space space) {
        return switch (space) {
            case SHARED -> t.cta.shared;
            case LOCAL -> t.local;
            case CONST -> t.cta.launch.constBank;
            case PARAM -> t.cta.launch.params;
            case GLOBAL, GENERIC -> throw new IllegalStateException();
        };
    }

    private static int offset(Space space, byte[] bytes, long addr, int size) {
        if (addr < 0 || addr + size > bytes.length) {
            throw new Fault("out-of-bounds " + name(space) + " access of " + size + " bytes at 0x"
                    + Long.toHexString(addr) + " (the CTA's ." + space.name().toLowerCase() + " space has "
                    + bytes.length + " bytes)");
        }
        return (int) addr;
    }

    private static String name(Space space) {
        return space == Space.GENERIC ? "generic" : "." + space.name().toLowerCase();
    }

    static long get(byte[] b, int off, int size) {
        return switch (size) {
            case 1 -> b[off] & 0xffL;
            case 2 -> (short) DeviceMemory.I16.get(b, off) & 0xffffL;
            case 4 -> (int) DeviceMemory.I32.get(b, off) & 0xffff_ffffL;
            case 8 -> (long) DeviceMemory.I64.get(b, off);
            default -> throw new IllegalStateException("access size " + size);
        };
    }

    static void put(byte[] b, int off, int size, long v) {
        switch (size) {
            case 1 -> b[off] = (byte) v;
            case 2 -> DeviceMemory.I16.set(b, off, (short) v);
            case 4 -> DeviceMemory.I32.set(b, off, (int) v);
            case 8 -> DeviceMemory.I64.set(b, off, v);
            default -> throw new IllegalStateException("access size " + size);
        }
    }
}
