package dev.tessera.runtime.jit;

import dev.tessera.runtime.Device;
import java.util.Map;

/**
 * What the cache records about a device: its id in this process ({@code opencl:0:0}), its description (name,
 * platform, version) and its driver version. A tuning result or artefact applies only where all three match,
 * so a driver update or a reordered platform list makes the old entries miss rather than mislead.
 */
public record DeviceIdentity(String id, String description, String driver) {

    /** The pseudo-device that runs the graph-IR reference interpreter. */
    public static final DeviceIdentity REFERENCE = new DeviceIdentity("reference", "the reference interpreter", "-");

    /** The property that carries a driver version; devices without one record "-". */
    public static final String DRIVER_PROPERTY = "driver version";

    public static DeviceIdentity of(Device d) {
        Map<String, String> p = d.properties();
        return new DeviceIdentity(d.id(), d.description(), p.getOrDefault(DRIVER_PROPERTY, "-"));
    }

    /**
     * The device's kind: what its id says before the first colon ({@code opencl}, {@code cuda}, {@code jvm},
     * {@code reference}).
     */
    public String kind() {
        return kindOf(id);
    }

    public static String kindOf(String deviceId) {
        int colon = deviceId.indexOf(':');
        return colon < 0 ? deviceId : deviceId.substring(0, colon);
    }
}
