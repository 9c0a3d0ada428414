package dev.tessera.ptxsim;

import java.util.List;

/** The parsed form of PTX text: immutable records that still name registers and symbols as text. */
final class Ast {

    private Ast() {}

    /** PTX state spaces; GENERIC is the space of an access without a state-space modifier. */
    enum Space { GLOBAL, SHARED, LOCAL, CONST, PARAM, GENERIC }

    /** A whole module: its header, its entries and its module-scope variables. */
    record Module(String version, String target, int addressSize, List<Entry> entries, List<Var> globals,
                  List<String> functions) {
        Module {
            entries = List.copyOf(entries);
            globals = List.copyOf(globals);
            functions = List.copyOf(functions);
        }
    }

    /** One {@code .entry}: parameters, declarations and the flat statement list of its body. */
    record Entry(String name, int line, List<Param> params, List<Var> vars, List<Reg> regs, List<Stmt> body) {
        Entry {
            params = List.copyOf(params);
            vars = List.copyOf(vars);
            regs = List.copyOf(regs);
            body = List.copyOf(body);
        }
    }

    /** A kernel parameter; {@code bytes} is the element size times the array length. */
    record Param(String name, PtxType type, int align, int bytes, boolean array, int line) {}

    /**
     * A variable in a state space; {@code bytes < 0} marks an unsized {@code .extern} array (dynamic
     * shared memory), {@code init} holds little-endian initial bytes or null.
     */
    record Var(Space space, String name, PtxType type, int align, long bytes, byte[] init, int line) {}

    /** One declared register after expansion of {@code %r<N>} ranges and renaming of nested scopes. */
    record Reg(String name, PtxType type, int line) {}

    /** A statement of an entry body. */
    sealed interface Stmt permits Label, Instr {
        int line();
    }

    /** A branch target. */
    record Label(String name, int line) implements Stmt {}

    /**
     * One instruction: optional guard predicate, opcode, its dotted modifiers in source order and its
     * operands; {@code text} is the source line, kept for error messages.
     */
    record Instr(int line, String text, String guard, boolean guardNegated, String opcode, List<String> mods,
                 List<Operand> operands) implements Stmt {
        Instr {
            mods = List.copyOf(mods);
            operands = List.copyOf(operands);
        }

        /** The full dotted spelling, e.g. {@code ld.global.nc.f32}. */
        String mnemonic() {
            return mods.isEmpty() ? opcode : opcode + "." + String.join(".", mods);
        }
    }

    /** An instruction operand as written. */
    sealed interface Operand permits RegOp, IntImm, FloatImm, Sym, Addr, Vec, PredOut, NotOp, Sink {}

    /** A register or special register, by (scope-resolved) name. */
    record RegOp(String name) implements Operand {}

    /** An integer literal, already in two's complement. */
    record IntImm(long value) implements Operand {}

    /** A floating-point literal: the bits of an f32 ({@code single}) or an f64. */
    record FloatImm(long bits, boolean single) implements Operand {}

    /** A variable, parameter or label name, with an optional byte offset. */
    record Sym(String name, long offset) implements Operand {}

    /** A memory address {@code [base+offset]}; base is a RegOp, a Sym or null for an absolute address. */
    record Addr(Operand base, long offset) implements Operand {}

    /** A brace-enclosed vector {@code {a, b, ...}}. */
    record Vec(List<Operand> elems) implements Operand {
        Vec {
            elems = List.copyOf(elems);
        }
    }

    /** A destination with a predicate output, {@code %r|%p}. */
    record PredOut(RegOp value, RegOp pred) implements Operand {}

    /** A negated predicate source, {@code !%p}. */
    record NotOp(RegOp reg) implements Operand {}

    /** The sink {@code _}: a destination whose value is discarded. */
    record Sink() implements Operand {}
}
