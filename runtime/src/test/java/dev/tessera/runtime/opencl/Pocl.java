package dev.tessera.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.ir.interp.HostTensor;
import dev.tessera.runtime.Device;
import dev.tessera.runtime.Devices;

/** The OpenCL device the tests run on (PoCL here), or a skip that says why there is none. */
final class Pocl {

    private Pocl() {}

    /** The first OpenCL device; the test is skipped, with the reason, when there is none. */
    static Device firstDevice(Devices devices) {
        assumeTrue(!devices.openCl().isEmpty(),
                () -> "skipped: " + devices.openClUnavailable().orElse("no OpenCL devices"));
        return devices.openCl().getFirst();
    }

    /** Elementwise |got - want| <= abs + rel * |want|, with NaN only where NaN is wanted. */
    static void assertClose(double[] want, HostTensor got, double abs, double rel) {
        assertEquals(want.length, got.size(), "element count");
        for (int i = 0; i < want.length; i++) {
            double g = got.data()[i];
            if (Double.isNaN(want[i])) {
                assertTrue(Double.isNaN(g), "element " + i + ": want NaN, got " + g);
                continue;
            }
            assertTrue(Math.abs(g - want[i]) <= abs + rel * Math.abs(want[i]),
                    "element " + i + ": want " + want[i] + ", got " + g);
        }
    }

    /** Bit-exact equality, NaN equal to NaN. */
    static void assertExact(double[] want, HostTensor got) {
        assertEquals(want.length, got.size(), "element count");
        for (int i = 0; i < want.length; i++) {
            double g = got.data()[i];
            boolean same = Double.isNaN(want[i]) ? Double.isNaN(g)
                    : Double.doubleToRawLongBits(want[i]) == Double.doubleToRawLongBits(g);
            assertTrue(same, "element " + i + ": want " + want[i] + ", got " + g);
        }
    }
}
