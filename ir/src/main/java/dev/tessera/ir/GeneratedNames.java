package dev.tessera.ir;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules every backend uses to turn DSL names into identifiers and comment text of generated code; the
 * namespace prefixes and any target-specific comment rules stay in the backend.
 */
public final class GeneratedNames {

    /** Names that survive sanitising unchanged; kernel symbols for them stay readable and need no hash. */
    private static final Pattern CLEAN = Pattern.compile("[A-Za-z0-9]+(_[A-Za-z0-9]+)*");

    private final Set<String> taken = new HashSet<>();
    private final Map<String, String> assigned = new HashMap<>();

    /**
     * Keeps ASCII letters and digits; every other character becomes '_', and runs of '_' fold into one
     * and are trimmed at the ends, because C reserves identifiers with a double underscore or a leading
     * underscore for the implementation. Targets with laxer rules (PTX accepts '$' and a leading '_') follow
     * C's too, because their symbols end up in driver logs and profilers next to C names. Never empty.
     */
    public static String sanitise(String raw) {
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
     * The symbol of a kernel, computable from its name alone so the runtime can look it up, and the same on
     * every backend so a kernel has one name everywhere. Clean names keep their spelling under {@code tsr_};
     * any other name is sanitised and carries a hash of the original under {@code tsrx_}, so two names that
     * sanitise alike still get distinct symbols and no altered name can meet a clean one (the prefixes differ).
     */
    public static String kernelSymbol(String name) {
        if (CLEAN.matcher(name).matches()) {
            return "tsr_" + name;
        }
        return "tsrx_" + sanitise(name) + "_" + String.format("%08x", name.hashCode());
    }

    /**
     * The identifier for {@code raw} in the namespace {@code prefix} (the backend's, such as {@code b_} for
     * buffers). A prefix keeps every result clear of the target's keywords and builtins; the same raw name
     * always maps to the same identifier, and different raw names never share one (a later one gets
     * {@code _2}, {@code _3}, ...).
     */
    public String of(String prefix, String raw) {
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

    /** Text fit for a {@code //} comment: printable ASCII only, anything else becomes '?'. */
    public static String commentSafe(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
    }
}
