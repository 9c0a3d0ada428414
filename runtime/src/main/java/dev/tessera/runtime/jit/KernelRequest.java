package dev.tessera.runtime.jit;

import dev.tessera.ir.DType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One kernel to run, without the device: which source (its SHA-256), which kernel of it, the bound dims and
 * the dtypes of its parameters. With a device it is the key of a tuning result.
 *
 * @param dims every symbolic dim of the kernel's parameters, in order of first appearance
 */
public record KernelRequest(String sourceSha256, String kernel, Map<String, Long> dims, List<DType> dtypes) {

    public KernelRequest {
        dims = Collections.unmodifiableMap(new LinkedHashMap<>(dims));
        dtypes = List.copyOf(dtypes);
    }

    /** {@code N=1000 D=777}, or {@code -} for a kernel without symbolic dims. */
    public String shapeText() {
        return text(dims);
    }

    /**
     * The shape bucket tuning results are filed under: each dim rounded up to a power of two ({@code N=1000}
     * and {@code N=600} both fall in {@code N=1024}). Schedules that win at one size almost always win at
     * sizes within a factor of two, and exact keys would make every new batch size a miss.
     */
    public Map<String, Long> bucket() {
        Map<String, Long> b = new LinkedHashMap<>();
        dims.forEach((k, v) -> b.put(k, bucketOf(v)));
        return b;
    }

    public String bucketText() {
        return text(bucket());
    }

    public static long bucketOf(long extent) {
        if (extent <= 1) {
            return extent;
        }
        long p = Long.highestOneBit(extent);
        return p == extent ? p : p << 1;
    }

    /** {@code f32,f32}: the parameter dtypes in order. */
    public String dtypesText() {
        return dtypes.stream().map(DType::irName).collect(Collectors.joining(","));
    }

    static String text(Map<String, Long> dims) {
        return dims.isEmpty() ? "-" : dims.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
