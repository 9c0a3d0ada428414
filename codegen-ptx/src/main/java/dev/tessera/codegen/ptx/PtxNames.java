package dev.tessera.codegen.ptx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns names that came from the DSL into PTX identifiers that cannot clash with PTX's own names (registers
 * start with {@code %}, directives with {@code .}) or with each other.
 */
final class PtxNames {

    /** Names that survive sanitising unchanged; kernel symbols for them stay readable and need no hash. */
    private static final Pattern CLEAN = Pattern.compile("[A-Za-z0-9]+(_[A-Za-z0-9]+)*");

    private final Set<String> taken = new HashSet<>();
    private final Map<String, String> assigned = new HashMap<>();

    /**
     * Keeps ASCII letters and digits; every other character becomes '_', with runs folded into one and
     * trimmed at the ends. PTX would also accept '$' and a leading '_', but the symbols end up in driver
     * logs and profilers next to C names, so they follow C's stricter rules. Never empty.
     */
    static String sanitise(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (alnum) {
                sb.append(c);
            } else if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != '_') {
                sb.append('_');
            }
        }
        if (!sb.isEmpty() && sb.charAt(sb.length() - 1) == '_') {
            sb.setLength(sb.length() - 1);
        }
        return sb.isEmpty() ? "x" : sb.toString();
    }

    /**
     * The {@code .entry} symbol of a kernel, computable from its name alone so the runtime can look it up
     * ({@code cuModuleGetFunction}). Clean names keep their spelling under {@code tsr_}; any other name is
     * sanitised and carries a hash of the original under {@code tsrx_}, so two names that sanitise alike
     * still get distinct symbols. The scheme is the OpenCL backend's, so a kernel has one name everywhere.
     */
    static String kernelSymbol(String name) {
        if (CLEAN.matcher(name).matches()) {
            return "tsr_" + name;
        }
        return "tsrx_" + sanitise(name) + "_" + String.format("%08x", name.hashCode());
    }

    /**
     * The identifier for {@code raw} in the namespace {@code prefix} ({@code b_} buffer parameters,
     * {@code d_} dimension parameters, {@code s_} shared arrays). The same raw name always maps to the same
     * identifier; different raw names never share one (a later one gets {@code _2}, {@code _3}, ...).
     */
    String of(String prefix, String raw) {
        String key = prefix + '\u0000' + raw;
        String known = assigned.get(key);
        if (known != null) {
            return known;
        }
        String base = prefix + sanitise(raw);
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            name = base + "_" + i;
        }
        assigned.put(key, name);
        return name;
    }

    /** Text fit for a {@code //} comment: printable ASCII only. */
    static String commentSafe(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
    }
}
