package dev.tessera.ptxsim;

import java.util.List;

/**
 * Warp-synchronous data exchange: shfl.sync, vote.sync and redux.sync. Each waits until every
 * non-exited lane of its membermask has arrived; reading a lane that does not take part (the ISA's
 * "undefined") is an error.
 */
final class WarpOps {

    private WarpOps() {}

    static Insn.Op compile(String op, Mods m, Linker l) {
        if (!m.has("sync")) {
            throw l.error("only the .sync form of " + op + " exists on sm_70 and later");
        }
        return switch (op) {
            case "shfl" -> shfl(m, l);
            case "vote" -> vote(m, l);
            case "redux" -> redux(m, l);
            default -> throw l.error("unsupported instruction " + op);
        };
    }

    /** A collective whose membermask is an operand. */
    private abstract static class Masked implements Insn.Collective {
        private final Src mask;

        Masked(Src mask) {
            this.mask = mask;
        }

        @Override
        public int memberMask(ThreadCtx t) {
            return (int) mask.get(t);
        }

        @Override
        public boolean aligned() {
            return false;
        }
    }

    private static Insn.Op shfl(Mods m, Linker l) {
        String mode = m.oneOf("up", "down", "bfly", "idx");
        if (mode == null) {
            throw l.error("shfl.sync needs .up, .down, .bfly or .idx");
        }
        if (m.type() != PtxType.B32) {
            throw l.error("shfl.sync needs .b32");
        }
        List<Ast.Operand> ops = l.operands(5);
        Dst d;
        Dst p;
        if (ops.get(0) instanceof Ast.PredOut po) {
            d = l.dst(po.value(), PtxType.B32);
            p = l.dst(po.pred(), PtxType.PRED);
        } else {
            d = l.dst(ops.get(0), PtxType.B32);
            p = Dst.SINK;
        }
        Src a = l.src(ops.get(1), PtxType.B32);
        Src b = l.src(ops.get(2), PtxType.B32);
        Src c = l.src(ops.get(3), PtxType.B32);
        Src mask = l.src(ops.get(4), PtxType.B32);
        return new Insn.WarpSync(new Masked(mask) {
            @Override
            public void execute(ThreadCtx[] lanes, int arrived) {
                long[] value = new long[32];
                for (int i = 0; i < 32; i++) {
                    if ((arrived & (1 << i)) != 0) {
                        value[i] = a.get(lanes[i]);
                    }
                }
                for (int lane = 0; lane < 32; lane++) {
                    if ((arrived & (1 << lane)) == 0) {
                        continue;
                    }
                    ThreadCtx t = lanes[lane];
                    int bval = (int) b.get(t) & 0x1f;
                    int cv = (int) c.get(t);
                    int cval = cv & 0x1f;
                    int segmask = (cv >>> 8) & 0x1f;
                    int maxLane = (lane & segmask) | (cval & ~segmask);
                    int minLane = lane & segmask;
                    int j;
                    boolean pval;
                    switch (mode) {
                        case "up" -> {
                            j = lane - bval;
                            pval = j >= maxLane;
                        }
                        case "down" -> {
                            j = lane + bval;
                            pval = j <= maxLane;
                        }
                        case "bfly" -> {
                            j = lane ^ bval;
                            pval = j <= maxLane;
                        }
                        default -> {
                            j = minLane | (bval & ~segmask);
                            pval = j <= maxLane;
                        }
                    }
                    if (!pval) {
                        j = lane;
                    }
                    if ((arrived & (1 << j)) == 0) {
                        throw new Fault("lane " + lane + " reads lane " + j
                                + ", which is not taking part (outside the membermask, exited or absent)");
                    }
                    d.write(t, value[j]);
                    p.write(t, pval ? 1 : 0);
                }
            }
        });
    }

    private static Insn.Op vote(Mods m, Linker l) {
        String mode = m.oneOf("all", "any", "uni", "ballot");
        if (mode == null) {
            throw l.error("vote.sync needs .all, .any, .uni or .ballot");
        }
        PtxType t = m.type();
        boolean ballot = mode.equals("ballot");
        if (ballot ? t != PtxType.B32 : t != PtxType.PRED) {
            throw l.error(ballot ? "vote.sync.ballot needs .b32" : "vote.sync." + mode + " needs .pred");
        }
        List<Ast.Operand> ops = l.operands(3);
        Dst d = l.dst(ops.get(0), t);
        Src a = l.src(ops.get(1), PtxType.PRED);
        Src mask = l.src(ops.get(2), PtxType.B32);
        return new Insn.WarpSync(new Masked(mask) {
            @Override
            public void execute(ThreadCtx[] lanes, int arrived) {
                int votes = 0;
                for (int i = 0; i < 32; i++) {
                    if ((arrived & (1 << i)) != 0 && a.get(lanes[i]) != 0) {
                        votes |= 1 << i;
                    }
                }
                long r = switch (mode) {
                    case "all" -> votes == arrived ? 1 : 0;
                    case "any" -> votes != 0 ? 1 : 0;
                    case "uni" -> votes == 0 || votes == arrived ? 1 : 0;
                    default -> votes & 0xffff_ffffL;
                };
                for (int i = 0; i < 32; i++) {
                    if ((arrived & (1 << i)) != 0) {
                        d.write(lanes[i], r);
                    }
                }
            }
        });
    }

    private static Insn.Op redux(Mods m, Linker l) {
        String op = m.oneOf("add", "min", "max", "and", "or", "xor");
        if (op == null) {
            throw l.error("redux.sync needs an operation");
        }
        PtxType t = m.type();
        boolean logic = op.equals("and") || op.equals("or") || op.equals("xor");
        if (logic ? t != PtxType.B32 : t != PtxType.U32 && t != PtxType.S32) {
            throw l.error("unsupported redux.sync." + op + t.spelling());
        }
        List<Ast.Operand> ops = l.operands(3);
        Dst d = l.dst(ops.get(0), t);
        Src a = l.src(ops.get(1), t);
        Src mask = l.src(ops.get(2), PtxType.B32);
        boolean signed = t == PtxType.S32;
        return new Insn.WarpSync(new Masked(mask) {
            @Override
            public void execute(ThreadCtx[] lanes, int arrived) {
                long acc = 0;
                boolean first = true;
                for (int i = 0; i < 32; i++) {
                    if ((arrived & (1 << i)) == 0) {
                        continue;
                    }
                    long v = signed ? (int) a.get(lanes[i]) : a.get(lanes[i]) & 0xffff_ffffL;
                    if (first) {
                        acc = v;
                        first = false;
                        continue;
                    }
                    acc = switch (op) {
                        case "add" -> acc + v;
                        case "min" -> Math.min(acc, v);
                        case "max" -> Math.max(acc, v);
                        case "and" -> acc & v;
                        case "or" -> acc | v;
                        default -> acc ^ v;
                    };
                }
                for (int i = 0; i < 32; i++) {
                    if ((arrived & (1 << i)) != 0) {
                        d.write(lanes[i], acc);
                    }
                }
            }
        });
    }
}
