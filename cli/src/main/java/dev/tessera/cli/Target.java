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
    private final List<Device> opened;

    private Target(Device device, List<Device> opened) {
        this.device = device;
        this.opened = opened;
    }

    /** Picks the device named by {@code --device}; with auto, the first OpenCL device, else the reference. */
    static Target open(String spec, PrintWriter err) {
        if (spec.equals("reference")) {
            return new Target(null, List.of());
        }
        if (!spec.equals("auto") && !spec.equals("opencl") && !spec.matches("opencl:\\d+")) {
            throw new UserError("unknown device '" + spec + "'; use auto, opencl, opencl:I or reference "
                    + "(see `tessera devices`)");
        }
        Devices.Discovery found = Devices.openCl();
        List<Device> devices = found.devices();
        if (devices.isEmpty()) {
            if (spec.equals("auto")) {
                err.println("tessera: note: no OpenCL device (" + found.reason() + "); running on the reference interpreter");
                return new Target(null, List.of());
            }
            throw new UserError("no OpenCL device: " + found.reason());
        }
        int index = spec.startsWith("opencl:") ? Integer.parseInt(spec.substring(7)) : 0;
        if (index >= devices.size()) {
            devices.forEach(Device::close);
            throw new UserError("no OpenCL device " + index + "; there are " + devices.size() + " (see `tessera devices`)");
        }
        return new Target(devices.get(index), devices);
    }

    boolean isReference() {
        return device == null;
    }

    String name() {
        return device == null ? "reference" : device.id() + " " + shortName(device.description());
    }

    private static String shortName(String description) {
        return description.length() > 40 ? description.substring(0, 40) : description;
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
        opened.forEach(Device::close);
    }
}
