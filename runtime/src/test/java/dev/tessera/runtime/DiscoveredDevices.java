package dev.tessera.runtime;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The devices of this machine, discovered before a test class and closed after it:
 * {@code @RegisterExtension static final DiscoveredDevices devices = new DiscoveredDevices();}
 */
public final class DiscoveredDevices implements BeforeAllCallback, AfterAllCallback {

    private Devices devices;

    @Override
    public void beforeAll(ExtensionContext context) {
        devices = Devices.discover();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        devices.close();
    }

    public Devices get() {
        return devices;
    }
}
