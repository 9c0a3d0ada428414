package dev.tessera.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.codegen.ptx.PtxArch;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CUDA discovery never throws: with no driver (as on CI) it says why; with one, every device is usable. */
class CudaDiscoveryTest {

    @Test
    void discoveryReportsDevicesOrWhyThereAreNone() {
        CudaDiscovery.Result r = CudaDiscovery.discover();
        if (r.devices().isEmpty()) {
            String reason = r.reason().orElseThrow(() -> new AssertionError("no devices and no reason"));
            assertTrue(reason.startsWith("no CUDA driver: ") || reason.startsWith("no CUDA devices: "), reason);
        } else {
            assertTrue(r.reason().isEmpty(), r.reason().toString());
            for (CudaDevice d : r.devices()) {
                assertTrue(d.id().matches("cuda:\\d+"), d.id());
                assertTrue(d.info().ccMajor() >= 8, d.description());
                assertFalse(d.properties().isEmpty());
            }
        }
    }

    @Test
    void aMissingDriverLibraryIsAReasonNotACrash() {
        CudaDiscovery.Result r = CudaDiscovery.discover(List.of("libtessera-no-such-cuda.so.1"));
        assertTrue(r.devices().isEmpty());
        assertEquals(Optional.of("no CUDA driver: tried libtessera-no-such-cuda.so.1 (not found); "
                + "the NVIDIA driver installs libcuda.so.1"), r.reason());
    }

    @Test
    void devicesListCudaFirstAndSayWhyNoneWhenAbsent() {
        try (Devices found = Devices.discover()) {
            assertEquals(found.cuda().isEmpty(), found.cudaUnavailable().isPresent(), found.cudaUnavailable().toString());
            List<Device> all = found.all();
            assertEquals(found.cuda().size() + found.openCl().size() + 1, all.size());
            assertEquals(found.jvm(), all.getLast());
            assertEquals(found.cuda(), all.subList(0, found.cuda().size()));
            for (Device d : found.cuda()) {
                assertEquals(Optional.of(d), found.find(d.id()));
            }
        }
    }

    @Test
    void eachComputeCapabilityGetsTheNewestPtxTargetItRuns() {
        assertEquals(Optional.empty(), CudaDeviceInfo.archFor(7, 5));
        assertEquals(Optional.of(PtxArch.SM_80), CudaDeviceInfo.archFor(8, 0));
        assertEquals(Optional.of(PtxArch.SM_86), CudaDeviceInfo.archFor(8, 6));
        assertEquals(Optional.of(PtxArch.SM_86), CudaDeviceInfo.archFor(8, 7));
        assertEquals(Optional.of(PtxArch.SM_89), CudaDeviceInfo.archFor(8, 9));
        assertEquals(Optional.of(PtxArch.SM_90), CudaDeviceInfo.archFor(9, 0));
        assertEquals(Optional.of(PtxArch.SM_90), CudaDeviceInfo.archFor(10, 0));
        assertEquals(Optional.of(PtxArch.SM_90), CudaDeviceInfo.archFor(12, 0));
    }
}
