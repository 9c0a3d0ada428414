package dev.tessera.ptxsim;

/**
 * Dispatches each instruction to the compiler of its family. Anything not listed here is rejected
 * with its line: the simulator never guesses at an instruction it does not model.
 */
final class InstructionSet {

    private InstructionSet() {}

    static Insn.Op compile(Ast.Instr in, Linker l) {
        Mods m = new Mods(in);
        Insn.Op op = switch (in.opcode()) {
            case "add", "sub", "mul", "mad", "fma", "div", "rem", "min", "max", "neg", "abs" -> arithmetic(in, m, l);
            case "and", "or", "xor", "not", "cnot", "shl", "shr", "popc", "clz", "brev", "bfe", "bfi", "bfind", "prmt",
                 "lop3", "mul24", "mad24" -> IntOps.compile(in.opcode(), m, l);
            case "sqrt", "rsqrt", "rcp", "ex2", "lg2", "sin", "cos", "tanh", "copysign", "testp" -> FloatOps.compile(in.opcode(), m, l);
            case "setp", "selp", "slct", "set" -> CompareOps.compile(in.opcode(), m, l);
            case "mov", "cvt", "cvta", "isspacep" -> ConvertOps.compile(in.opcode(), m, l);
            case "ld", "ldu", "st", "atom", "red", "prefetch", "prefetchu" -> MemOps.compile(in.opcode(), m, l);
            case "bra", "ret", "exit", "bar", "barrier", "membar", "fence", "trap", "nanosleep" -> ControlOps.compile(in.opcode(), m, l);
            case "shfl", "vote", "redux" -> WarpOps.compile(in.opcode(), m, l);
            case "mma", "ldmatrix" -> MmaOps.compile(in.opcode(), m, l);
            case "cp" -> AsyncCopyOps.compile(m, l);
            case "call" -> throw l.error("calls of .func are not supported (inline the function)");
            default -> throw l.error("unsupported instruction " + in.opcode());
        };
        m.done();
        return op;
    }

    /** Arithmetic mnemonics shared by integers, f32/f64 and the 16-bit float types: pick by type. */
    private static Insn.Op arithmetic(Ast.Instr in, Mods m, Linker l) {
        PtxType t = null;
        for (String mod : in.mods()) {
            PtxType candidate = PtxType.fromModifier(mod);
            if (candidate != null) {
                t = candidate;
            }
        }
        if (t == null) {
            throw l.error("no supported type modifier");
        }
        return switch (t) {
            case F32, F64 -> FloatOps.compile(in.opcode(), m, l);
            case F16, F16X2, BF16, BF16X2 -> HalfOps.compile(in.opcode(), m, l);
            default -> IntOps.compile(in.opcode(), m, l);
        };
    }

    /** Wraps straight-line work. */
    static Insn.Op simple(Insn.Exec e) {
        return new Insn.Simple(e);
    }
}
