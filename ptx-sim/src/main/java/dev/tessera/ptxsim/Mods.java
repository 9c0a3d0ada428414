package dev.tessera.ptxsim;

import dev.tessera.ptxsim.Ast.Space;
import java.util.ArrayList;
import java.util.List;

/**
 * The dotted modifiers of one instruction, consumed as a compiler handles them; {@link #done()} rejects
 * any modifier that nothing consumed, so an unknown modifier is an error, never silently ignored.
 */
final class Mods {

    private final Ast.Instr instr;
    private final List<String> mods;
    private final boolean[] used;

    Mods(Ast.Instr instr) {
        this.instr = instr;
        this.mods = new ArrayList<>();
        for (String m : instr.mods()) {
            // .shared::cta is .shared of the executing CTA, the only shared memory without clusters
            mods.add(m.equals("shared::cta") ? "shared" : m);
        }
        this.used = new boolean[mods.size()];
    }

    /** Whether {@code mod} is present (and marks it handled). */
    boolean has(String mod) {
        boolean found = false;
        for (int i = 0; i < mods.size(); i++) {
            if (mods.get(i).equals(mod)) {
                used[i] = true;
                found = true;
            }
        }
        return found;
    }

    /** The first of {@code options} that is present, or null. */
    String oneOf(String... options) {
        String hit = null;
        for (String o : options) {
            if (has(o)) {
                if (hit != null) {
                    throw error("conflicting modifiers ." + hit + " and ." + o);
                }
                hit = o;
            }
        }
        return hit;
    }

    /** All type modifiers in source order (marks them handled). */
    List<PtxType> types() {
        List<PtxType> out = new ArrayList<>();
        for (int i = 0; i < mods.size(); i++) {
            PtxType t = PtxType.fromModifier(mods.get(i));
            if (t != null) {
                used[i] = true;
                out.add(t);
            }
        }
        return out;
    }

    /** The single type modifier; an error when there is none or several. */
    PtxType type() {
        List<PtxType> ts = types();
        if (ts.size() != 1) {
            throw error(ts.isEmpty() ? "missing type modifier" : "expected one type modifier, found " + ts.size());
        }
        return ts.get(0);
    }

    /** A floating-point rounding modifier, or {@code dflt} when absent (null means "required"). */
    Fp.Rnd rounding(Fp.Rnd dflt) {
        String r = oneOf("rn", "rz", "rm", "rp", "rna");
        if (r == null) {
            if (dflt == null) {
                throw error("a rounding modifier (.rn, .rz, .rm, .rp) is required");
            }
            return dflt;
        }
        return Fp.Rnd.valueOf(r.toUpperCase());
    }

    /** The state-space modifier, GENERIC when absent. */
    Space space() {
        String s = oneOf("global", "shared", "local", "param", "const");
        return s == null ? Space.GENERIC : Space.valueOf(s.toUpperCase());
    }

    /** Marks cache, eviction and memory-ordering hints handled: they do not change a sequential result. */
    void ignoreHints() {
        for (int i = 0; i < mods.size(); i++) {
            String m = mods.get(i);
            if (m.startsWith("L1::") || m.startsWith("L2::") && !m.equals("L2::cache_hint")
                    || switch (m) {
                        case "ca", "cg", "cs", "lu", "cv", "wb", "wt", "weak", "relaxed", "acquire", "release",
                             "acq_rel", "volatile", "cta", "gpu", "sys", "nc" -> true;
                        default -> false;
                    }) {
                used[i] = true;
            }
        }
    }

    /** Throws for every modifier that nothing handled. */
    void done() {
        for (int i = 0; i < mods.size(); i++) {
            if (!used[i]) {
                throw error("unsupported modifier ." + mods.get(i));
            }
        }
    }

    PtxException error(String message) {
        return new PtxException(instr.line(), message + " in '" + instr.text() + "'");
    }
}
