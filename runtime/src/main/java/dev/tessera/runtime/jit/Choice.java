package dev.tessera.runtime.jit;

import dev.tessera.runtime.Device;
import java.util.Optional;

/**
 * Where and how one kernel request runs: a device (empty: the reference interpreter), the variant, and the
 * reason, in words, for {@code tessera run} and for users asking the API why.
 */
public record Choice(Optional<Device> device, Variant variant, String reason) {

    public String deviceName() {
        return device.map(Device::id).orElse("reference");
    }
}
