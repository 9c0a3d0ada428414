package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.InstructionSet.simple;

import dev.tessera.ptxsim.Ast.Space;
import java.util.ArrayList;
import java.util.List;

/** mov (including vector pack/unpack and symbol addresses), cvta, isspacep and cvt's dispatch. */
final class ConvertOps {

    private ConvertOps() {}

    static Insn.Op compile(String op, Mods m, Linker l) {
        return switch (op) {
            case "mov" -> mov(m, l);
            case "cvt" -> Cvt.compile(m, l);
            case "cvta" -> cvta(m, l);
            case "isspacep" -> {
                Space s = m.space();
                if (s == Space.GENERIC) {
                    throw l.error("isspacep needs a state space");
                }
                List<Ast.Operand> ops = l.operands(2);
                Dst p = l.dst(ops.get(0), PtxType.PRED);
                Src a = l.src(ops.get(1), PtxType.U64);
                yield simple(x -> p.write(x, Memory.spaceOf(a.get(x)) == s ? 1 : 0));
            }
            default -> throw l.error("unsupported instruction " + op);
        };
    }

    private static Insn.Op mov(Mods m, Linker l) {
        PtxType t = m.type();
        List<Ast.Operand> ops = l.operands(2);
        Ast.Operand dst = ops.get(0);
        Ast.Operand src = ops.get(1);
        if (src instanceof Ast.Vec v) {
            // pack: element 0 goes to the least significant bits
            int w = elementBits(t, v.elems().size(), l);
            PtxType et = bitsType(w);
            Dst d = l.dst(dst, t);
            List<Src> parts = new ArrayList<>();
            for (Ast.Operand e : v.elems()) {
                parts.add(l.src(e, et));
            }
            Src[] ps = parts.toArray(Src[]::new);
            long mask = et.mask();
            return simple(x -> {
                long r = 0;
                for (int i = 0; i < ps.length; i++) {
                    r |= (ps[i].get(x) & mask) << (i * w);
                }
                d.write(x, r);
            });
        }
        if (dst instanceof Ast.Vec v) {
            int w = elementBits(t, v.elems().size(), l);
            PtxType et = bitsType(w);
            Src a = l.src(src, t);
            List<Dst> parts = new ArrayList<>();
            for (Ast.Operand e : v.elems()) {
                parts.add(l.dst(e, et));
            }
            Dst[] ds = parts.toArray(Dst[]::new);
            return simple(x -> {
                long v0 = a.get(x);
                for (int i = 0; i < ds.length; i++) {
                    ds[i].write(x, v0 >>> (i * w));
                }
            });
        }
        Dst d = l.dst(dst, t);
        Src a = l.src(src, t);
        return simple(x -> d.write(x, a.get(x)));
    }

    private static int elementBits(PtxType t, int n, Linker l) {
        if ((t.bits != 32 && t.bits != 64) || (n != 2 && n != 4) || t.bits / n < 16 && !(t.bits == 32 && n == 4)) {
            throw l.error("unsupported vector mov of " + n + " elements as " + t.spelling());
        }
        return t.bits / n;
    }

    static PtxType bitsType(int w) {
        return switch (w) {
            case 8 -> PtxType.B8;
            case 16 -> PtxType.B16;
            case 32 -> PtxType.B32;
            case 64 -> PtxType.B64;
            default -> throw new IllegalArgumentException("width " + w);
        };
    }

    private static Insn.Op cvta(Mods m, Linker l) {
        boolean to = m.has("to");
        Space s = m.space();
        if (s == Space.GENERIC) {
            throw l.error("cvta needs a state space");
        }
        PtxType t = m.type();
        if (t != PtxType.U32 && t != PtxType.U64) {
            throw l.error("cvta needs .u32 or .u64");
        }
        List<Ast.Operand> ops = l.operands(2);
        Dst d = l.dst(ops.get(0), t);
        Src a = l.src(ops.get(1), t);
        if (to) {
            return simple(x -> d.write(x, Memory.fromGeneric(s, a.get(x))));
        }
        return simple(x -> d.write(x, Memory.toGeneric(s, a.get(x))));
    }
}
