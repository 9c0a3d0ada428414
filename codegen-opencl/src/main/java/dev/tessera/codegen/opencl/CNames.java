package dev.tessera.codegen.opencl;

import dev.tessera.ir.GeneratedNames;

/** OpenCL C's own rule on top of {@link GeneratedNames}: what may stand in a comment. */
final class CNames {

    private CNames() {}

    /** Text fit for a {@code //} comment: printable ASCII only, and no backslash (it would splice lines). */
    static String commentSafe(String s) {
        return GeneratedNames.commentSafe(s.replace('\\', '?'));
    }
}
