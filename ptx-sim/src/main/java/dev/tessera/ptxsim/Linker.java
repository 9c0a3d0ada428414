package dev.tessera.ptxsim;

import dev.tessera.ptxsim.Ast.Space;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one parsed entry into a {@link Kernel}: allocates register slots, lays out parameters and
 * memory, resolves labels and symbols, and compiles every instruction. Instruction compilers call back
 * into it to resolve operands.
 */
final class Linker {

    private final ModuleLayout module;
    private final Ast.Entry entry;
    private final Map<String, Integer> regIndex = new HashMap<>();
    private final List<Integer> regBits = new ArrayList<>();
    private final Map<Special, Integer> specialSlots = new HashMap<>();
    private final Map<String, Integer> labels = new HashMap<>();
    private final Map<String, Symbol> symbols = new HashMap<>();
    private final List<Kernel.ParamSlot> params = new ArrayList<>();
    private Ast.Instr current;

    /** A variable's state space and its address there (for .global module variables, a launch slot). */
    private record Symbol(Space space, long address) {}

    private Linker(ModuleLayout module, Ast.Entry entry) {
        this.module = module;
        this.entry = entry;
    }

    static Kernel link(ModuleLayout module, Ast.Entry entry) {
        return new Linker(module, entry).link();
    }

    private Kernel link() {
        for (Ast.Reg r : entry.regs()) {
            if (regIndex.putIfAbsent(r.name(), regBits.size()) != null) {
                throw new PtxException(r.line(), "register " + r.name() + " declared twice");
            }
            regBits.add(r.type().bits);
        }
        int paramBytes = 0;
        for (Ast.Param p : entry.params()) {
            paramBytes = ModuleLayout.align(paramBytes, p.align());
            params.add(new Kernel.ParamSlot(p.name(), p.type(), paramBytes, p.bytes(), p.array()));
            define(p.name(), new Symbol(Space.PARAM, paramBytes), p.line());
            paramBytes += p.bytes();
        }
        int shared = 0;
        int local = 0;
        int dynamicAlign = 1;
        List<Ast.Var> sharedVars = new ArrayList<>(module.shared());
        List<Ast.Var> externs = new ArrayList<>();
        for (Ast.Var v : entry.vars()) {
            if (v.space() == Space.SHARED) {
                sharedVars.add(v);
            } else if (v.space() == Space.LOCAL) {
                local = ModuleLayout.align(local, v.align());
                define(v.name(), new Symbol(Space.LOCAL, local), v.line());
                local += (int) v.bytes();
            } else {
                throw new PtxException(v.line(), "unsupported ." + v.space().name().toLowerCase()
                        + " variable inside an entry");
            }
        }
        for (Ast.Var v : sharedVars) {
            if (v.bytes() < 0) {
                externs.add(v);
                dynamicAlign = Math.max(dynamicAlign, v.align());
                continue;
            }
            if (v.init() != null) {
                throw new PtxException(v.line(), ".shared variables cannot have initializers");
            }
            shared = ModuleLayout.align(shared, v.align());
            define(v.name(), new Symbol(Space.SHARED, shared), v.line());
            shared += (int) v.bytes();
        }
        int dynamicOffset = ModuleLayout.align(shared, Math.max(16, dynamicAlign));
        for (Ast.Var v : externs) {
            // every extern shared array starts at the same place: the dynamic shared memory
            define(v.name(), new Symbol(Space.SHARED, dynamicOffset), v.line());
        }
        for (Map.Entry<String, Integer> e : module.constOffsets().entrySet()) {
            symbols.putIfAbsent(e.getKey(), new Symbol(Space.CONST, e.getValue()));
        }
        for (Map.Entry<String, Integer> e : module.globalSlots().entrySet()) {
            symbols.putIfAbsent(e.getKey(), new Symbol(Space.GLOBAL, e.getValue()));
        }
        int count = 0;
        for (Ast.Stmt s : entry.body()) {
            switch (s) {
                case Ast.Label l -> {
                    if (labels.putIfAbsent(l.name(), count) != null) {
                        throw new PtxException(l.line(), "label " + l.name() + " defined twice");
                    }
                }
                case Ast.Instr i -> count++;
            }
        }
        List<Insn> code = new ArrayList<>();
        for (Ast.Stmt s : entry.body()) {
            if (s instanceof Ast.Instr in) {
                current = in;
                int guard = -1;
                if (in.guard() != null) {
                    guard = predicate(new Ast.RegOp(in.guard()));
                }
                code.add(new Insn(in.line(), in.text(), guard, in.guardNegated(), InstructionSet.compile(in, this)));
            }
        }
        // falling off the end of the body ends the thread like ret
        code.add(new Insn(entry.line(), "(end of " + entry.name() + ")", -1, false, new Insn.Exit()));
        List<Kernel.SpecialSlot> specials = new ArrayList<>();
        specialSlots.forEach((sp, slot) -> specials.add(new Kernel.SpecialSlot(sp, slot)));
        return new Kernel(entry.name(), code.toArray(Insn[]::new), regBits.size(), specials, params, paramBytes,
                shared, dynamicOffset, local);
    }

    private void define(String name, Symbol s, int line) {
        if (symbols.putIfAbsent(name, s) != null) {
            throw new PtxException(line, "symbol " + name + " defined twice");
        }
    }

    // ---- operand resolution, used by the instruction compilers -----------------------------------

    /** Number of operands check. */
    List<Ast.Operand> operands(int min, int max) {
        List<Ast.Operand> ops = current.operands();
        if (ops.size() < min || ops.size() > max) {
            throw error("expected " + (min == max ? String.valueOf(min) : min + " to " + max) + " operands, found "
                    + ops.size());
        }
        return ops;
    }

    List<Ast.Operand> operands(int n) {
        return operands(n, n);
    }

    /** A source operand read as {@code type}. */
    Src src(Ast.Operand op, PtxType type) {
        return switch (op) {
            case Ast.RegOp r -> readRegister(r.name(), type);
            case Ast.IntImm i -> new Src.Const(intImmediate(i.value(), type));
            case Ast.FloatImm f -> new Src.Const(floatImmediate(f, type));
            case Ast.Sym s -> symbolValue(s);
            case Ast.NotOp n -> {
                if (type != PtxType.PRED) {
                    throw error("'!' applies only to predicates");
                }
                yield new Src.NotPred(predicate(n.reg()));
            }
            default -> throw error("unexpected operand " + describe(op));
        };
    }

    private Src readRegister(String name, PtxType type) {
        Integer idx = regIndex.get(name);
        if (idx == null) {
            if (name.equals("%clock") || name.equals("%clock64") || name.equals("%globaltimer")) {
                return new Src.Clock(name.equals("%clock") ? 0xffff_ffffL : -1L);
            }
            Special sp = Special.byName(name);
            if (sp == null) {
                throw error("undeclared register " + name);
            }
            idx = specialSlots.computeIfAbsent(sp, k -> {
                regBits.add(k.bits());
                return regBits.size() - 1;
            });
        }
        int bits = regBits.get(idx);
        if ((bits == 1) != (type == PtxType.PRED)) {
            throw error("register " + name + (bits == 1 ? " is a predicate, used as " : " is not a predicate, used as ")
                    + type.spelling());
        }
        if (bits < type.bits) {
            throw error("register " + name + " (" + bits + " bits) is narrower than " + type.spelling());
        }
        return new Src.Reg(idx);
    }

    /** Whether an operand is a predicate register. */
    boolean isPredicate(Ast.Operand op) {
        if (!(op instanceof Ast.RegOp r)) {
            return false;
        }
        Integer idx = regIndex.get(r.name());
        return idx != null && regBits.get(idx) == 1;
    }

    /** The register slot of a predicate operand. */
    int predicate(Ast.Operand op) {
        if (!(op instanceof Ast.RegOp r)) {
            throw error("expected a predicate register, found " + describe(op));
        }
        return ((Src.Reg) readRegister(r.name(), PtxType.PRED)).index();
    }

    /** A destination operand written as {@code type} (extension per the type's signedness). */
    Dst dst(Ast.Operand op, PtxType type) {
        if (op instanceof Ast.Sink) {
            return Dst.SINK;
        }
        if (!(op instanceof Ast.RegOp r)) {
            throw error("expected a destination register, found " + describe(op));
        }
        Integer idx = regIndex.get(r.name());
        if (idx == null) {
            throw error(Special.byName(r.name()) != null ? "special register " + r.name() + " is read-only"
                    : "undeclared register " + r.name());
        }
        int bits = regBits.get(idx);
        if ((bits == 1) != (type == PtxType.PRED)) {
            throw error("register " + r.name() + " cannot hold " + type.spelling());
        }
        if (bits < type.bits) {
            throw error("register " + r.name() + " (" + bits + " bits) is narrower than " + type.spelling());
        }
        long regMask = bits >= 64 ? -1L : (1L << bits) - 1;
        return new Dst(idx, Math.min(type.bits, 64), type.isSigned(), regMask);
    }

    /** A memory operand {@code [base+offset]} for an access in {@code space}. */
    Address address(Ast.Operand op, Space space) {
        if (!(op instanceof Ast.Addr a)) {
            throw error("expected a memory operand [..], found " + describe(op));
        }
        return switch (a.base()) {
            case null -> new Address(null, a.offset());
            case Ast.RegOp r -> {
                Integer idx = regIndex.get(r.name());
                if (idx == null || regBits.get(idx) < 32) {
                    throw error("address register " + r.name() + " must be a declared 32- or 64-bit register");
                }
                yield new Address(new Src.Reg(idx), a.offset());
            }
            case Ast.Sym s -> {
                Src base = symbolIn(s.name(), space);
                yield base instanceof Src.Const c ? new Address(null, c.value() + a.offset()) : new Address(base, a.offset());
            }
            default -> throw error("malformed address " + describe(op));
        };
    }

    /** The address of a symbol as seen by an access in {@code space} (generic accesses get generic addresses). */
    private Src symbolIn(String name, Space space) {
        Symbol sym = symbols.get(name);
        if (sym == null) {
            throw error("undefined symbol " + name);
        }
        if (sym.space() == Space.GLOBAL) {
            if (space != Space.GLOBAL && space != Space.GENERIC) {
                throw error(name + " is a .global variable, accessed as ." + space.name().toLowerCase());
            }
            return new Src.GlobalSymbol((int) sym.address(), 0);
        }
        if (space == Space.GENERIC) {
            return new Src.Const(Memory.toGeneric(sym.space(), sym.address()));
        }
        if (sym.space() != space) {
            throw error(name + " is a ." + sym.space().name().toLowerCase() + " variable, accessed as ."
                    + space.name().toLowerCase());
        }
        return new Src.Const(sym.address());
    }

    /** {@code mov d, sym}: the symbol's address in its own state space. */
    private Src symbolValue(Ast.Sym s) {
        Symbol sym = symbols.get(s.name());
        if (sym == null) {
            throw error(labels.containsKey(s.name()) ? "label " + s.name() + " used as a value" : "undefined symbol " + s.name());
        }
        if (sym.space() == Space.GLOBAL) {
            return new Src.GlobalSymbol((int) sym.address(), s.offset());
        }
        return new Src.Const(sym.address() + s.offset());
    }

    /** The instruction index a branch operand names. */
    int label(Ast.Operand op) {
        if (!(op instanceof Ast.Sym s) || s.offset() != 0) {
            throw error("expected a label, found " + describe(op));
        }
        Integer target = labels.get(s.name());
        if (target == null) {
            throw error("undefined label " + s.name());
        }
        return target;
    }

    private long intImmediate(long v, PtxType type) {
        return switch (type.kind) {
            case PRED -> v != 0 ? 1 : 0;
            case FLOAT -> floatImmediate(new Ast.FloatImm(Double.doubleToRawLongBits((double) v), false), type);
            default -> v & type.mask();
        };
    }

    private long floatImmediate(Ast.FloatImm f, PtxType type) {
        double value = f.single() ? Float.intBitsToFloat((int) f.bits()) : Double.longBitsToDouble(f.bits());
        return switch (type) {
            case F32 -> f.single() ? f.bits() & 0xffff_ffffL : Float.floatToRawIntBits((float) value) & 0xffff_ffffL;
            case F64 -> f.single() ? Double.doubleToRawLongBits(value) : f.bits();
            case F16 -> Fp.narrow(value, Fp.Format.F16, Fp.Rnd.RN);
            case BF16 -> Fp.narrow(value, Fp.Format.BF16, Fp.Rnd.RN);
            case B32 -> {
                if (!f.single()) {
                    throw error("a 64-bit floating-point literal used as .b32");
                }
                yield f.bits() & 0xffff_ffffL;
            }
            case B64 -> f.single() ? Double.doubleToRawLongBits(value) : f.bits();
            default -> throw error("floating-point literal used as " + type.spelling());
        };
    }

    static String describe(Ast.Operand op) {
        return switch (op) {
            case Ast.RegOp r -> r.name();
            case Ast.IntImm i -> Long.toString(i.value());
            case Ast.FloatImm f -> f.single() ? String.format("0f%08X", f.bits()) : String.format("0d%016X", f.bits());
            case Ast.Sym s -> s.name();
            case Ast.Addr a -> "[...]";
            case Ast.Vec v -> "{...}";
            case Ast.PredOut p -> p.value().name() + "|" + p.pred().name();
            case Ast.NotOp n -> "!" + n.reg().name();
            case Ast.Sink s -> "_";
        };
    }

    PtxException error(String message) {
        return new PtxException(current.line(), message + " in '" + current.text() + "'");
    }

    /** The instruction being compiled. */
    Ast.Instr instr() {
        return current;
    }
}
