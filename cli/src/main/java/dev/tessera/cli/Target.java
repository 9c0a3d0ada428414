package dev.tessera.cli;

import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.runtime.CompiledProgram;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;
import dev.tessera.runtime.Execution;
import java.io.PrintWriter;
import java.util.List;

/** Where {@code tessera run} executes: a runtime device, or the reference interpreter itself. */
final class Target implements AutoCloseable {

    /** What one kernel's run produced: outputs of the last run and the median time. */
    record Outcome(List<HostTensor> outputs, long medianNs) {}

    private final Device device;
    private final Devices opened;

    private Target(Device device, Devices opened) {
        this.device = device;
        this.opened = opened;
    }

    /** Picks the device named by {@code --device}; with auto, the first OpenCL device, else the JVM. */
    static Target open(String spec, PrintWriter err) {
        if (spec.equals("reference")) {
            return new Target(null, null);
        }
        if (!spec.equals("auto") && !spec.equals("opencl") && !spec.matches("opencl:\\d+") && !spec.equals("jvm")) {
            throw new UserError("unknown device '" + spec + "'; use auto, opencl, opencl:I, jvm or reference "
                    + "(see `tessera devices`)");
        }
        Devices found = Devices.discover();
        if (spec.equals("jvm")) {
            return new Target(found.jvm(), found);
        }
        List<Device> devices = found.openCl();
        String reason = found.openClUnavailable().orElse("none found");
        if (devices.isEmpty()) {
            if (spec.equals("auto")) {
                err.println("tessera: note: " + reason + "; running on the JVM");
                return new Target(found.jvm(), found);
            }
            found.close();
            throw new UserError(reason);
        }
        int index = spec.startsWith("opencl:") ? Integer.parseInt(spec.substring(7)) : 0;
        if (index >= devices.size()) {
            found.close();
            throw new UserError("no OpenCL device " + index + "; there are " + devices.size() + " (see `tessera devices`)");
        }
        return new Target(devices.get(index), found);
    }

    boolean isReference() {
        return device == null;
    }

    String name() {
        return device == null ? "reference" : device.id();
    }

    String description() {
        return device == null ? "the reference interpreter (graph IR, f64)" : device.description();
    }

    Outcome run(GraphKernel kernel, LoopProgram program, List<HostTensor> inputs, int repeat) {
        if (device == null) {
            long[] times = new long[repeat];
            List<HostTensor> out = null;
            for (int r = 0; r < repeat; r++) {
                long t0 = System.nanoTime();
                out = ReferenceInterpreter.run(kernel, inputs);
                times[r] = System.nanoTime() - t0;
            }
            return new Outcome(out, RunCommand.median(times));
        }
        CompiledProgram compiled = device.compile(program);
        Execution e = device.run(compiled, inputs, repeat);
        long[] times = e.deviceTimesNs().stream().mapToLong(Long::longValue).toArray();
        return new Outcome(e.outputs(), RunCommand.median(times));
    }

    @Override
    public void close() {
        if (opened != null) {
            opened.close();
        }
    }
}
