package dev.tessera.runtime.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the OpenCL devices of this machine. Never throws: when there are none, the result says why
 * ("no OpenCL library: ...", "no OpenCL devices: ...").
 */
public final class OpenClDiscovery {

    /** The devices found, the platforms they are on, and, when there are no devices, the reason. */
    public record Result(List<ClPlatform> platforms, List<OpenClDevice> devices, Optional<String> reason) {
        public Result {
            platforms = List.copyOf(platforms);
            devices = List.copyOf(devices);
        }
    }

    private OpenClDiscovery() {}

    public static Result discover() {
        ClLibrary cl;
        try {
            cl = ClLibrary.get();
        } catch (OpenClUnavailableException e) {
            return none(List.of(), e.getMessage());
        }
        return discover(cl);
    }

    /** As {@link #discover()}, trying the given library names (for tests of the failure path). */
    public static Result discover(List<String> libraryNames) {
        try {
            return discover(ClLibrary.load(libraryNames));
        } catch (OpenClUnavailableException e) {
            return none(List.of(), e.getMessage());
        }
    }

    private static Result discover(ClLibrary cl) {
        try {
            return probe(cl);
        } catch (RuntimeException e) {
            // Discovery runs at start-up of every command; a driver that misbehaves must not take it down.
            return none(List.of(), "no OpenCL devices: discovery failed: " + e);
        }
    }

    private static Result probe(ClLibrary cl) {
        List<ClPlatform> platforms;
        try {
            platforms = ClPlatform.all(cl);
        } catch (OpenClException e) {
            return none(List.of(), "no OpenCL devices: " + e.getMessage());
        }
        if (platforms.isEmpty()) {
            return none(platforms,
                    "no OpenCL devices: " + cl.loadedFrom() + " reports no platforms (no ICD installed?)");
        }
        List<OpenClDevice> devices = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ClPlatform p : platforms) {
            try {
                for (ClDevice d : p.devices(cl)) {
                    devices.add(new OpenClDevice(cl, d));
                }
            } catch (OpenClException e) {
                // One broken driver should not hide the devices of the others.
                problems.add(p.name() + ": " + e.getMessage());
            }
        }
        if (devices.isEmpty()) {
            return none(platforms, "no OpenCL devices: " + (problems.isEmpty()
                    ? "the platforms (" + platforms.stream().map(ClPlatform::name).toList() + ") have none"
                    : String.join("; ", problems)));
        }
        return new Result(platforms, devices, Optional.empty());
    }

    private static Result none(List<ClPlatform> platforms, String reason) {
        return new Result(platforms, List.of(), Optional.of(reason));
    }
}
