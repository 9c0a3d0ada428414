package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.InstructionSet.simple;

import dev.tessera.ptxsim.Ast.Space;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads, stores, atomics and reductions in every state space, scalar and vector (.v2/.v4).
 *
 * <p>CTAs run one after another and the threads of a CTA interleave only at synchronisation points,
 * so every atomic is trivially atomic, and memory-ordering qualifiers need no modelling.
 */
final class MemOps {

    private MemOps() {}

    static Insn.Op compile(String op, Mods m, Linker l) {
        return switch (op) {
            case "ld", "ldu" -> load(op, m, l);
            case "st" -> store(m, l);
            case "atom", "red" -> atomic(op.equals("red"), m, l);
            case "prefetch", "prefetchu" -> {
                m.space();
                m.ignoreHints();
                m.oneOf("L1", "L2");
                l.operands(1);
                // only a hint: it never faults on hardware either
                yield simple(x -> { });
            }
            default -> throw l.error("unsupported instruction " + op);
        };
    }

    private static PtxType dataType(Mods m, Linker l) {
        PtxType t = m.type();
        if (t == PtxType.PRED || t.bits > 64 || t == PtxType.TF32) {
            throw l.error("unsupported memory access type " + t.spelling());
        }
        return t;
    }

    private static int vector(Mods m) {
        String v = m.oneOf("v2", "v4");
        return v == null ? 1 : v.equals("v2") ? 2 : 4;
    }

    /** Accepts the extra cache-policy operand of .L2::cache_hint, which changes nothing here. */
    private static int cacheHint(Mods m, Linker l, int operands) {
        if (m.has("L2::cache_hint")) {
            l.src(l.instr().operands().get(operands), PtxType.B64);
            return operands + 1;
        }
        return operands;
    }

    private static Insn.Op load(String op, Mods m, Linker l) {
        boolean nc = m.has("nc");
        m.ignoreHints();
        Space space = m.space();
        if (op.equals("ldu") && space != Space.GLOBAL && space != Space.GENERIC) {
            throw l.error("ldu reads only global memory");
        }
        if (nc && space != Space.GLOBAL) {
            throw l.error(".nc applies only to .global loads");
        }
        int n = vector(m);
        PtxType t = dataType(m, l);
        List<Ast.Operand> ops = l.instr().operands();
        l.operands(2, cacheHint(m, l, 2));
        Address addr = l.address(ops.get(1), space);
        int size = t.bytes();
        if (n == 1) {
            Dst d = l.dst(ops.get(0), t);
            return simple(x -> d.write(x, Memory.load(x, space, addr.get(x), size)));
        }
        Dst[] ds = vectorDsts(ops.get(0), n, t, l);
        return simple(x -> {
            long a = addr.get(x);
            Memory.checkAlign(space, a, size * n);
            for (int i = 0; i < n; i++) {
                long v = Memory.load(x, space, a + (long) i * size, size);
                ds[i].write(x, v);
            }
        });
    }

    private static Dst[] vectorDsts(Ast.Operand op, int n, PtxType t, Linker l) {
        if (!(op instanceof Ast.Vec v) || v.elems().size() != n) {
            throw l.error("expected a vector of " + n + " registers");
        }
        List<Dst> out = new ArrayList<>();
        for (Ast.Operand e : v.elems()) {
            out.add(l.dst(e, t));
        }
        return out.toArray(Dst[]::new);
    }

    private static Insn.Op store(Mods m, Linker l) {
        m.ignoreHints();
        Space space = m.space();
        if (space == Space.CONST) {
            throw l.error("the .const space is read-only");
        }
        int n = vector(m);
        PtxType t = dataType(m, l);
        List<Ast.Operand> ops = l.instr().operands();
        l.operands(2, cacheHint(m, l, 2));
        Address addr = l.address(ops.get(0), space);
        int size = t.bytes();
        if (n == 1) {
            Src s = l.src(ops.get(1), t);
            return simple(x -> Memory.store(x, space, addr.get(x), size, s.get(x)));
        }
        if (!(ops.get(1) instanceof Ast.Vec v) || v.elems().size() != n) {
            throw l.error("expected a vector of " + n + " values");
        }
        Src[] ss = new Src[n];
        for (int i = 0; i < n; i++) {
            ss[i] = l.src(v.elems().get(i), t);
        }
        return simple(x -> {
            long a = addr.get(x);
            Memory.checkAlign(space, a, size * n);
            for (int i = 0; i < n; i++) {
                Memory.store(x, space, a + (long) i * size, size, ss[i].get(x));
            }
        });
    }

    private static Insn.Op atomic(boolean red, Mods m, Linker l) {
        m.ignoreHints();
        boolean noftz = m.has("noftz");
        Space space = m.space();
        if (space != Space.GLOBAL && space != Space.SHARED && space != Space.GENERIC) {
            throw l.error("atomics work on .global, .shared or generic addresses only");
        }
        String op = m.oneOf("and", "or", "xor", "cas", "exch", "add", "inc", "dec", "min", "max");
        if (op == null) {
            throw l.error("missing atomic operation");
        }
        PtxType t = dataType(m, l);
        if (red && op.equals("cas")) {
            throw l.error("red has no .cas");
        }
        if (t.bits < 16 || (t.isFloat() && !op.equals("add") && !op.equals("min") && !op.equals("max")
                && !op.equals("exch") && !op.equals("cas"))) {
            throw l.error("unsupported atomic ." + op + t.spelling());
        }
        if (noftz && t != PtxType.F16 && t != PtxType.BF16 && t != PtxType.F16X2 && t != PtxType.BF16X2) {
            throw l.error(".noftz applies to 16-bit floating-point adds");
        }
        int base = red ? 0 : 1;
        int count = base + (op.equals("cas") ? 3 : 2);
        List<Ast.Operand> ops = l.instr().operands();
        l.operands(count, cacheHint(m, l, count));
        Dst d = red ? Dst.SINK : l.dst(ops.get(0), t);
        Address addr = l.address(ops.get(base), space);
        Src b = l.src(ops.get(base + 1), t);
        Src c = op.equals("cas") ? l.src(ops.get(base + 2), t) : null;
        int size = t.bytes();
        Combine f = combiner(op, t, space, l);
        return simple(x -> {
            long a = addr.get(x);
            long old = Memory.load(x, space, a, size);
            long nv = f.apply(old, b.get(x), c == null ? 0 : c.get(x));
            Memory.store(x, space, a, size, nv);
            d.write(x, old);
        });
    }

    /** new = f(old, b, c) for one atomic operation. */
    @FunctionalInterface
    private interface Combine {
        long apply(long old, long b, long c);
    }

    private static Combine combiner(String op, PtxType t, Space space, Linker l) {
        int w = t.bits;
        boolean s = t.isSigned();
        long mask = t.mask();
        return switch (op) {
            case "and" -> (o, b, c) -> o & b;
            case "or" -> (o, b, c) -> o | b;
            case "xor" -> (o, b, c) -> o ^ b;
            case "exch" -> (o, b, c) -> b;
            case "cas" -> (o, b, c) -> (o & mask) == (b & mask) ? c : o;
            case "inc" -> {
                requireU32(t, op, l);
                yield (o, b, c) -> Long.compareUnsigned(o, b & mask) >= 0 ? 0 : o + 1;
            }
            case "dec" -> {
                requireU32(t, op, l);
                yield (o, b, c) -> o == 0 || Long.compareUnsigned(o, b & mask) > 0 ? b : o - 1;
            }
            case "add" -> switch (t) {
                // global f32 atomics flush subnormals, shared ones do not (as the ISA describes)
                case F32 -> {
                    boolean ftz = space != Space.SHARED;
                    yield (o, b, c) -> {
                        float x = Fp.f32(o);
                        float y = Fp.f32(b);
                        return FloatOps.out32(ftz ? Fp.ftz(x) + Fp.ftz(y) : x + y, ftz, false);
                    };
                }
                case F64 -> (o, b, c) -> Double.doubleToRawLongBits(Fp.f64(o) + Fp.f64(b));
                case F16, BF16 -> {
                    Fp.Format fmt = t == PtxType.F16 ? Fp.Format.F16 : Fp.Format.BF16;
                    yield (o, b, c) -> {
                        double x = HalfOps.decode(o, fmt);
                        double y = HalfOps.decode(b, fmt);
                        double sum = x + y;
                        return Fp.narrowPair(sum, Fp.twoSumError(x, y, sum), fmt, Fp.Rnd.RN);
                    };
                }
                default -> {
                    if (!t.isInteger() || t.kind == PtxType.Kind.BITS) {
                        throw l.error("unsupported atomic add type " + t.spelling());
                    }
                    yield (o, b, c) -> o + b;
                }
            };
            case "min", "max" -> {
                boolean max = op.equals("max");
                if (t.isFloat()) {
                    if (t != PtxType.F32 && t != PtxType.F64) {
                        throw l.error("unsupported atomic ." + op + t.spelling());
                    }
                    boolean single = t == PtxType.F32;
                    yield (o, b, c) -> {
                        double r = FloatOps.pick(single ? Fp.f32(o) : Fp.f64(o), single ? Fp.f32(b) : Fp.f64(b), max, false);
                        return single ? Fp.bitsF32((float) r) : Double.doubleToRawLongBits(r);
                    };
                }
                yield (o, b, c) -> {
                    long x = s ? IntOps.sx(o, w) : IntOps.zx(o, w);
                    long y = s ? IntOps.sx(b, w) : IntOps.zx(b, w);
                    int cmp = s ? Long.compare(x, y) : Long.compareUnsigned(x, y);
                    return max ? (cmp >= 0 ? x : y) : (cmp <= 0 ? x : y);
                };
            }
            default -> throw l.error("unsupported atomic ." + op);
        };
    }

    private static void requireU32(PtxType t, String op, Linker l) {
        if (t != PtxType.U32) {
            throw l.error("atomic ." + op + " needs .u32");
        }
    }
}
