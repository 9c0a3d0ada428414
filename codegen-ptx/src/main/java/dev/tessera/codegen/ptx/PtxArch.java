package dev.tessera.codegen.ptx;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The NVIDIA GPU architectures Tessera emits PTX for. All are Ampere or newer, so the emitter may use
 * what sm_80 introduced (NaN-propagating {@code min.NaN.f32}, {@code cvt} to bf16) everywhere.
 */
public enum PtxArch {
    SM_80, SM_86, SM_89, SM_90;

    /**
     * The PTX ISA version every emitted module declares: 7.8 is the first to know sm_90 and is accepted by
     * the ptxas of CUDA 11.8 and of every 12.x and 13.x release.
     */
    public static final String PTX_VERSION = "7.8";

    public static final PtxArch DEFAULT = SM_80;

    /** The spelling of {@code .target} and of {@code ptxas -arch}, e.g. {@code sm_80}. */
    public String target() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The architecture spelled {@code s} ({@code sm_80}, case-insensitive), if supported. */
    public static Optional<PtxArch> parse(String s) {
        for (PtxArch a : values()) {
            if (a.target().equalsIgnoreCase(s.trim())) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Every supported spelling, for messages: "sm_80, sm_86, sm_89, sm_90". */
    public static String names() {
        return Arrays.stream(values()).map(PtxArch::target).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return target();
    }
}
