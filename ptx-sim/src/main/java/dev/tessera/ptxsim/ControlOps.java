package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.InstructionSet.simple;

import java.util.List;

/** Control flow and synchronisation: bra, ret, exit, bar/barrier, bar.warp.sync, membar/fence, trap, nanosleep. */
final class ControlOps {

    private ControlOps() {}

    static Insn.Op compile(String op, Mods m, Linker l) {
        return switch (op) {
            case "bra" -> {
                m.has("uni");
                yield new Insn.Branch(l.label(l.operands(1).get(0)));
            }
            case "ret", "exit" -> {
                if (op.equals("ret")) {
                    m.has("uni");
                }
                l.operands(0);
                yield new Insn.Exit();
            }
            case "bar", "barrier" -> barrier(op, m, l);
            case "membar" -> {
                if (m.oneOf("cta", "gl", "sys") == null) {
                    throw l.error("membar needs .cta, .gl or .sys");
                }
                l.operands(0);
                yield simple(x -> { });
            }
            case "fence" -> {
                // one CTA runs at a time and its threads interleave only at barriers: fences order nothing more
                m.oneOf("sc", "acq_rel");
                m.oneOf("cta", "gpu", "sys");
                l.operands(0);
                yield simple(x -> { });
            }
            case "trap" -> {
                l.operands(0);
                yield simple(x -> {
                    throw new Fault("trap executed");
                });
            }
            case "nanosleep" -> {
                PtxType t = m.type();
                l.src(l.operands(1).get(0), t);
                yield simple(x -> { });
            }
            default -> throw l.error("unsupported instruction " + op);
        };
    }

    private static Insn.Op barrier(String op, Mods m, Linker l) {
        m.has("cta");
        if (op.equals("bar") && m.has("warp")) {
            if (!m.has("sync")) {
                throw l.error("expected bar.warp.sync");
            }
            Src mask = l.src(l.operands(1).get(0), PtxType.B32);
            return new Insn.WarpSync(new Insn.Collective() {
                @Override
                public int memberMask(ThreadCtx t) {
                    return (int) mask.get(t);
                }

                @Override
                public boolean aligned() {
                    return false;
                }

                @Override
                public void execute(ThreadCtx[] lanes, int arrived) {
                    // nothing to exchange: waiting for the members was the whole point
                }
            });
        }
        String kind = m.oneOf("sync", "arrive", "red");
        if (kind == null) {
            throw l.error(op + " needs .sync or .arrive");
        }
        if (kind.equals("red")) {
            throw l.error(op + ".red is not supported");
        }
        m.has("aligned");
        boolean arrive = kind.equals("arrive");
        List<Ast.Operand> ops = l.operands(arrive ? 2 : 1, 2);
        Src id = l.src(ops.get(0), PtxType.U32);
        Src count = ops.size() > 1 ? l.src(ops.get(1), PtxType.U32) : null;
        return new Insn.Barrier(id, count, !arrive);
    }
}
