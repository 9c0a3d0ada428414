package dev.tessera.ir.graph;

import java.util.List;

/**
 * A set of instructions the fusion pass decided to compute in one device kernel. {@code kind} is
 * {@code pointwise}, {@code reduce} or {@code matmul}; members are result value names in definition order.
 * Printed after the kernel's return as {@code fuse @name kind [%a, %b]}.
 */
public record FusionGroup(String name, String kind, List<String> members) {

    public static final List<String> KINDS = List.of("pointwise", "reduce", "matmul");

    public FusionGroup {
        members = List.copyOf(members);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("bad fusion kind '" + kind + "'");
        }
        if (!GraphKernel.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad fusion name '" + name + "'");
        }
    }
}
