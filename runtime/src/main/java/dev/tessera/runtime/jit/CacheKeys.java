package dev.tessera.runtime.jit;

import dev.tessera.runtime.cache.CacheKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of the JIT's two kinds of cache entry. Both carry Tessera's version, the pipeline, the source's
 * hash, the kernel, its parameter dtypes and the device's identity and driver version.
 * <ul>
 *   <li>{@code tuning}: plus the shape bucket ({@link KernelRequest#bucket()}); holds the winner and every
 *       measurement.</li>
 *   <li>{@code artefact}: plus the variant, but no shape: generated code takes its dims as arguments, so one
 *       artefact serves every shape; holds the loop IR, the device's code and, where the device gives one, its
 *       binary.</li>
 * </ul>
 * A device binary is only valid on the device and driver that made it; the artefact key's {@code device},
 * {@code device-description} and {@code driver} fields (from {@link DeviceIdentity}) are what tie it to them,
 * so they must stay in {@link #common}.
 */
public final class CacheKeys {

    public static final String TUNING = "tuning";
    public static final String ARTEFACT = "artefact";

    private CacheKeys() {}

    public static CacheKey tuning(KernelRequest r, DeviceIdentity d) {
        Map<String, String> f = common(r, d);
        f.put("shape-bucket", r.bucketText());
        return new CacheKey(TUNING, f);
    }

    public static CacheKey artefact(KernelRequest r, DeviceIdentity d, Variant v) {
        Map<String, String> f = common(r, d);
        f.put("variant", v.text());
        return new CacheKey(ARTEFACT, f);
    }

    private static Map<String, String> common(KernelRequest r, DeviceIdentity d) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("tessera", TesseraVersion.get());
        f.put("pipeline", CompiledSource.PIPELINE);
        f.put("source", r.sourceSha256());
        f.put("kernel", r.kernel());
        f.put("dtypes", r.dtypesText());
        f.put("device", d.id());
        f.put("device-description", oneLine(d.description()));
        f.put("driver", oneLine(d.driver()));
        return f;
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }
}
