package dev.tessera.ir.loop;

/** Per-thread launch coordinates (OpenCL work-item functions, PTX special registers); all i32. */
public enum SpecialReg {
    GLOBAL_ID, LOCAL_ID, GROUP_ID, LOCAL_SIZE, NUM_GROUPS;

    public String irName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static java.util.Optional<SpecialReg> parse(String s) {
        for (SpecialReg r : values()) {
            if (r.irName().equals(s)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }
}
