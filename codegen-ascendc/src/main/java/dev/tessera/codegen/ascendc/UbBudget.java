package dev.tessera.codegen.ascendc;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.SourceSpan;
import java.util.ArrayList;
import java.util.List;

/**
 * The unified-buffer account of one vector kernel: every queue (double-buffered) and temporary, each rounded
 * up to 32 bytes as TPipe aligns them, as a function of the tile length; picks the largest tile that fits, or
 * checks a requested one, and refuses loudly when nothing fits.
 */
final class UbBudget {

    /** One buffer: {@code count} copies of {@code bitsPerElement * tile / 8 + fixed} bytes. */
    private record Item(String what, int count, long bitsPerElement, long fixed) {
        long bytes(long tile) {
            return count * one(tile);
        }

        long one(long tile) {
            return align32((bitsPerElement * tile + 7) / 8 + fixed);
        }
    }

    private final String kernel;
    private final List<Item> items = new ArrayList<>();

    UbBudget(String kernel) {
        this.kernel = kernel;
    }

    /** {@code count} buffers of {@code bytesPerElement} bytes per tile element. */
    UbBudget perTile(String what, int count, long bytesPerElement) {
        return perTileBits(what, count, 8 * bytesPerElement);
    }

    /** {@code count} buffers of {@code bits} per tile element (compare masks take one). */
    UbBudget perTileBits(String what, int count, long bits) {
        if (count > 0) {
            items.add(new Item(what, count, bits, 0));
        }
        return this;
    }

    /** {@code count} buffers of a fixed size. */
    UbBudget fixed(String what, int count, long bytes) {
        if (count > 0) {
            items.add(new Item(what, count, 0, bytes));
        }
        return this;
    }

    long bytes(long tile) {
        long sum = 0;
        for (Item i : items) {
            sum += i.bytes(tile);
        }
        return sum;
    }

    /** The tile length to use under {@code options}; a CompileException when the kernel cannot fit. */
    int chooseTile(AscendOptions options) {
        int quantum = AscendOptions.TILE_QUANTUM;
        if (options.tileLength() > 0) {
            long need = bytes(options.tileLength());
            if (need > options.ubBytes()) {
                throw new CompileException(SourceSpan.UNKNOWN, "Ascend C kernel " + kernel + ": a tile of "
                        + options.tileLength() + " elements needs " + need + " bytes of unified buffer ("
                        + describe(options.tileLength()) + "), more than the " + options.ubBytes()
                        + " bytes of one AI vector core; choose a smaller tile length");
            }
            return options.tileLength();
        }
        if (bytes(quantum) > options.ubBytes()) {
            throw new CompileException(SourceSpan.UNKNOWN, "Ascend C kernel " + kernel + " does not fit in the "
                    + options.ubBytes() + "-byte unified buffer even with the smallest tile (" + quantum
                    + " elements need " + bytes(quantum) + " bytes: " + describe(quantum)
                    + "); split the kernel (fewer fused operations)");
        }
        int tile = quantum;
        while (tile + quantum <= AscendOptions.MAX_AUTO_TILE && bytes(tile + quantum) <= options.ubBytes()) {
            tile += quantum;
        }
        return tile;
    }

    String describe(long tile) {
        List<String> parts = new ArrayList<>();
        for (Item i : items) {
            parts.add(i.count() + " x " + i.one(tile) + " B " + i.what());
        }
        return String.join(", ", parts);
    }

    static long align32(long b) {
        return (b + 31) / 32 * 32;
    }
}
