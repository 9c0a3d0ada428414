package dev.tessera.cli;

import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;
import dev.tessera.runtime.ascend.AscendDiscovery;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera devices}: the devices this machine offers, as the runtime sees them. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the devices found (CUDA GPUs, OpenCL platforms and devices, the JVM, and the reference "
                + "interpreter); for a kind that is absent, say why.",
        footerHeading = "%nExamples:%n", footer = {"  tessera devices"})
final class DevicesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        try (Devices found = Devices.discover(spec.commandLine().getErr()::println)) {
            if (found.cuda().isEmpty()) {
                out.println("cuda: none (" + found.cudaUnavailable().orElse("none found") + ")");
            }
            int c = 0;
            for (Device d : found.cuda()) {
                out.printf("cuda:%d  %s  [%s]%n", c++, d.description(), d.id());
                d.properties().forEach((k, v) -> out.printf("    %-22s %s%n", k, v));
            }
            if (found.openCl().isEmpty()) {
                out.println("opencl: none (" + found.openClUnavailable().orElse("none found") + ")");
            }
            int i = 0;
            for (Device d : found.openCl()) {
                out.printf("opencl:%d  %s  [%s]%n", i++, d.description(), d.id());
                d.properties().forEach((k, v) -> out.printf("    %-22s %s%n", k, v));
            }
            out.println("ascend: none (" + AscendDiscovery.whyNone() + ")");
            out.printf("jvm  %s%n", found.jvm().description());
            found.jvm().properties().forEach((k, v) -> out.printf("    %-22s %s%n", k, v));
        }
        out.println("reference  the graph-IR interpreter (f64; the oracle for --check)");
        return ExitCodes.OK;
    }
}
