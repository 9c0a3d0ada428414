package dev.tessera.cli;

import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.passes.tile.Schedules;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;
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

    /**
     * Picks the device named by {@code --device}: cuda or cuda:I (the I-th CUDA GPU), opencl or opencl:I, jvm,
     * or reference. With auto, the first CUDA GPU, else the first OpenCL device, else the JVM (with a note
     * saying why).
     */
    static Target open(String spec, PrintWriter err) {
        if (spec.equals("reference")) {
            return new Target(null, null);
        }
        String kind = spec.equals("auto") ? "auto" : spec.replaceFirst(":\\d+$", "");
        if (!spec.matches("auto|jvm|(cuda|opencl)(:\\d+)?")) {
            throw new UserError("unknown device '" + spec + "'; use auto, cuda, cuda:I, opencl, opencl:I, jvm or "
                    + "reference (see `tessera devices`)");
        }
        Devices found = Devices.discover(err::println);
        if (kind.equals("jvm")) {
            return new Target(found.jvm(), found);
        }
        if (kind.equals("auto")) {
            Device first = found.all().getFirst();
            if (first == found.jvm()) {
                err.println("tessera: note: " + found.cudaUnavailable().orElse("no CUDA devices") + "; "
                        + found.openClUnavailable().orElse("no OpenCL devices") + "; running on the JVM");
            }
            return new Target(first, found);
        }
        boolean cuda = kind.equals("cuda");
        List<Device> devices = cuda ? found.cuda() : found.openCl();
        if (devices.isEmpty()) {
            found.close();
            throw new UserError((cuda ? found.cudaUnavailable() : found.openClUnavailable()).orElse("none found"));
        }
        int index = spec.contains(":") ? Integer.parseInt(spec.substring(spec.indexOf(':') + 1)) : 0;
        if (index >= devices.size()) {
            found.close();
            throw new UserError("no " + (cuda ? "CUDA" : "OpenCL") + " device " + index + "; there are " + devices.size()
                    + " (see `tessera devices`)");
        }
        return new Target(devices.get(index), found);
    }

    /** Which default schedules suit the device (the reference takes none; any will do). */
    Schedules.Profile scheduleProfile() {
        return device == null ? Schedules.Profile.GPU : device.scheduleProfile();
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
        return RunCommand.timed(device, device.compile(program), inputs, repeat);
    }

    @Override
    public void close() {
        if (opened != null) {
            opened.close();
        }
    }
}
