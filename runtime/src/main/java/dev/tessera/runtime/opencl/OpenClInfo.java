package dev.tessera.runtime.opencl;

import java.util.Map;

/** Lists the OpenCL devices of this machine as text; the body of {@code tessera devices} for OpenCL. */
public final class OpenClInfo {

    private OpenClInfo() {}

    /** One block per device (id, description, properties), or the reason there is none. */
    public static String describe() {
        OpenClDiscovery.Result found = OpenClDiscovery.discover();
        if (found.devices().isEmpty()) {
            return found.reason().orElse("no OpenCL devices") + "\n";
        }
        StringBuilder sb = new StringBuilder();
        for (OpenClDevice d : found.devices()) {
            sb.append(d.id()).append("  ").append(d.description()).append('\n');
            for (Map.Entry<String, String> e : d.properties().entrySet()) {
                sb.append("    ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        System.out.print(describe());
    }
}
