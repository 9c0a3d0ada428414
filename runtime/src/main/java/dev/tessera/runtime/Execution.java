package dev.tessera.runtime;

import dev.tessera.ir.interp.HostTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of running a program: outputs of the last run, the dims bound from the input shapes, and the
 * device time of each run in ns (the sum of its kernels' device times, without transfers).
 */
public record Execution(List<HostTensor> outputs, Map<String, Long> dims, List<Long> deviceTimesNs) {

    public Execution {
        outputs = List.copyOf(outputs);
        dims = Collections.unmodifiableMap(new LinkedHashMap<>(dims));
        deviceTimesNs = List.copyOf(deviceTimesNs);
    }

    /** The fastest run, the usual figure for comparing variants. */
    public long minTimeNs() {
        return deviceTimesNs.stream().mapToLong(Long::longValue).min().orElse(0);
    }

    public HostTensor output(int i) {
        return outputs.get(i);
    }
}
