package dev.tessera.codegen.ascendc;

import java.util.List;

/**
 * One generated device kernel: its C++ (class and {@code extern "C"} entry), the host-side tiling function,
 * the buffers its GM_ADDR arguments name in order, and the budget the generator checked.
 *
 * @param name the tile kernel's name; the entry is its kernel symbol ({@code tsr_<name>} for a clean name), as on
 *     the OpenCL and PTX backends
 * @param device the kernel class and entry
 * @param tiling an inline host function {@code TesseraTiling tiling_<symbol>(const int64_t* dims, uint32_t cores)}
 * @param args buffer names (the program's), one GM_ADDR each, in order
 * @param unit which cores run it: "vector" (AIV) or "cube" (AIC)
 * @param localBytes unified buffer (vector) or L1 (cube) bytes the kernel's buffers take, double buffering included
 * @param tile elements per vector tile (0 for cube kernels)
 */
public record KernelCode(String name, String device, String tiling, List<String> args, String unit, long localBytes,
        int tile) {
    public KernelCode {
        args = List.copyOf(args);
    }
}
