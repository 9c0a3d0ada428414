package dev.tessera.ir.tile;

import java.util.List;

/**
 * One device kernel at tile level: the buffers it reads and writes (names from the program's
 * {@link dev.tessera.ir.BufferPlan}), its domain, schedule, body and stores.
 */
public record TileKernel(
        String name,
        KernelKind kind,
        List<String> reads,
        List<String> writes,
        Domain domain,
        Schedule schedule,
        List<TInstr> body,
        List<TStore> stores) {

    public TileKernel {
        reads = List.copyOf(reads);
        writes = List.copyOf(writes);
        body = List.copyOf(body);
        stores = List.copyOf(stores);
    }

    public TileKernel withSchedule(Schedule s) {
        return new TileKernel(name, kind, reads, writes, domain, s, body, stores);
    }
}
