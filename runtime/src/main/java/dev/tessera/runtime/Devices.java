package dev.tessera.runtime;

import dev.tessera.runtime.cuda.CudaDiscovery;
import dev.tessera.runtime.jvm.JvmDevice;
import dev.tessera.runtime.opencl.OpenClDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The devices of this machine that Tessera can run on, found once. Closing it closes every device. A
 * kind of device that is absent comes with a reason, so callers can say why it was skipped.
 */
public final class Devices implements AutoCloseable {

    private final List<Device> cuda;
    private final Optional<String> cudaReason;
    private final List<Device> openCl;
    private final Optional<String> openClReason;
    private final JvmDevice jvm = new JvmDevice();

    private Devices(List<Device> cuda, Optional<String> cudaReason, List<Device> openCl, Optional<String> openClReason) {
        this.cuda = List.copyOf(cuda);
        this.cudaReason = cudaReason;
        this.openCl = List.copyOf(openCl);
        this.openClReason = openClReason;
    }

    /** As {@link #discover(Consumer)}, with warnings on standard error. */
    public static Devices discover() {
        return discover(System.err::println);
    }

    /**
     * Probes every backend; never throws for a missing library or driver. {@code warnings} hears of a driver that
     * leaves the process at risk (see {@link FaultHandlers}).
     */
    public static Devices discover(Consumer<String> warnings) {
        FaultHandlers.process(); // the JVM's own handlers, before any driver is loaded
        CudaDiscovery.Result cu = CudaDiscovery.discover();
        OpenClDiscovery.Result cl = OpenClDiscovery.discover();
        FaultHandlers.process().flatMap(FaultHandlers::warning).ifPresent(warnings);
        return new Devices(new ArrayList<>(cu.devices()), cu.reason(), new ArrayList<>(cl.devices()), cl.reason());
    }

    /** CUDA GPUs (sm_80 or newer) in driver order; empty when {@link #cudaUnavailable()} says why. */
    public List<Device> cuda() {
        return cuda;
    }

    /** Why {@link #cuda()} is empty, e.g. "no CUDA driver: ..." or "no CUDA devices: ...". */
    public Optional<String> cudaUnavailable() {
        return cudaReason;
    }

    /** OpenCL devices in platform order, then device order; empty when {@link #openClUnavailable()} says why. */
    public List<Device> openCl() {
        return openCl;
    }

    /** Why {@link #openCl()} is empty, e.g. "no OpenCL library: ..." or "no OpenCL devices: ...". */
    public Optional<String> openClUnavailable() {
        return openClReason;
    }

    /** The JVM itself, always present: kernels as bytecode on every core. */
    public JvmDevice jvm() {
        return jvm;
    }

    /** Every device: CUDA (native code for NVIDIA GPUs), then OpenCL, then the JVM, which is always there. */
    public List<Device> all() {
        List<Device> all = new ArrayList<>(cuda);
        all.addAll(openCl);
        all.add(jvm);
        return List.copyOf(all);
    }

    public Optional<Device> find(String id) {
        return all().stream().filter(d -> d.id().equals(id)).findFirst();
    }

    @Override
    public void close() {
        Resources.closeAll(all(), null);
    }
}
