package dev.tessera.passes.loop;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopModule;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TileKernel;
import dev.tessera.ir.tile.TileModule;
import dev.tessera.ir.tile.TileProgram;
import dev.tessera.passes.tile.Schedules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Lowers tile IR to loop IR (explicit SIMT code), one strategy per kernel kind. */
public final class LoopLowering {

    public static String name() {
        return "lower-loop";
    }

    public static String description() {
        return "turn each tile kernel into SIMT loop code: index arithmetic, masks, local memory (tile -> loop)";
    }

    public LoopModule run(TileModule module) {
        List<LoopProgram> programs = new ArrayList<>();
        for (TileProgram p : module.programs()) {
            List<LoopKernel> kernels = new ArrayList<>();
            for (TileKernel k : p.kernels()) {
                kernels.add(lower(k, p));
            }
            programs.add(new LoopProgram(p.name(), p.buffers(), kernels));
        }
        return new LoopModule(programs);
    }

    private static LoopKernel lower(TileKernel k, TileProgram p) {
        String problem = Schedules.check(k.kind(), k.schedule());
        if (problem != null) {
            throw new CompileException(SourceSpan.UNKNOWN, "kernel " + k.name() + ": bad schedule "
                    + k.schedule().params() + " for a " + k.kind().irName() + " kernel: " + problem);
        }
        KernelContext ctx = new KernelContext(k, p.buffers());
        Map<String, TInstr> defs = new HashMap<>();
        k.body().forEach(i -> defs.put(i.result().name(), i));
        LoopKernel lowered = switch (k.kind()) {
            case POINTWISE -> PointwiseLowering.lower(ctx, defs);
            case REDUCE -> ReduceLowering.lower(ctx, defs);
            case MATMUL -> MatmulLowering.lower(ctx, defs);
        };
        return new LoopKernel(lowered.name(), lowered.params(), lowered.locals(), lowered.globalSize(),
                lowered.localSize(), DeadDecls.prune(lowered.body()));
    }
}
