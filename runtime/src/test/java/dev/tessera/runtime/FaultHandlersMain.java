package dev.tessera.runtime;

import dev.tessera.ir.interp.HostTensor;
import dev.tessera.runtime.jit.CompiledSource;
import dev.tessera.runtime.jit.Jit;
import dev.tessera.runtime.jit.Variants;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A process for {@link FaultHandlersTest}: discovers the devices, compiles and runs a kernel on the first OpenCL
 * device, then prints one line per fact: {@code opencl=<bool>}, {@code chained=<bool>}, {@code replaced=<list>}
 * and each warning as {@code warning=<text>}.
 */
public final class FaultHandlersMain {

    private FaultHandlersMain() {}

    public static void main(String[] args) {
        FaultHandlers faults = FaultHandlers.process().orElseThrow();
        List<String> warnings = new ArrayList<>();
        try (Devices found = Devices.discover(warnings::add)) {
            System.out.println("opencl=" + !found.openCl().isEmpty());
            if (!found.openCl().isEmpty()) {
                Device d = found.openCl().getFirst();
                CompiledSource src = CompiledSource.compile("scale.tsr",
                        "kernel scale(x: f32[N]) -> f32[N] {\n  return x * 2.0\n}\n");
                CompiledProgram p = d.compile(Variants.lower(src.tileProgram("scale"),
                        Variants.defaults(src.tileProgram("scale"), d.scheduleProfile())));
                List<HostTensor> inputs = Jit.randomInputs(src.kernel("scale"), Map.of("N", 1001L), 1);
                d.run(p, inputs, 1);
            }
        }
        System.out.println("chained=" + faults.chained());
        System.out.println("replaced=" + faults.replaced());
        warnings.forEach(w -> System.out.println("warning=" + w));
    }
}
