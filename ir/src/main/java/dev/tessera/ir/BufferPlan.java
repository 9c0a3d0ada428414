package dev.tessera.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The global memory of one compiled DSL kernel: the caller's inputs and outputs, temporaries the program
 * allocates between its device kernels, and views (a reshape of a buffer, sharing its storage).
 */
public record BufferPlan(List<Buffer> inputs, List<Buffer> outputs, List<Buffer> temps, List<View> views) {

    /** {@code buffer} names the same row-major storage as {@code of}, with another shape and the same size. */
    public record View(Buffer buffer, String of) {}

    public BufferPlan {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        temps = List.copyOf(temps);
        views = List.copyOf(views);
    }

    /** Every buffer by name: inputs, outputs, temps, then views. */
    public List<Buffer> all() {
        List<Buffer> all = new ArrayList<>(inputs);
        all.addAll(outputs);
        all.addAll(temps);
        views.forEach(v -> all.add(v.buffer()));
        return all;
    }

    public Optional<Buffer> find(String name) {
        return all().stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** The buffer whose storage {@code name} uses: itself, or what its view chain ends at. */
    public String storageOf(String name) {
        for (View v : views) {
            if (v.buffer().name().equals(name)) {
                return storageOf(v.of());
            }
        }
        return name;
    }
}
