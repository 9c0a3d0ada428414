package dev.tessera.codegen.ptx;

import dev.tessera.ir.GeneratedNames;
import dev.tessera.ir.loop.LType;
import java.util.EnumMap;
import java.util.Map;

/**
 * The body of one {@code .entry} under construction: instructions, labels and a counter per register
 * family, so that {@link #declarations()} can declare exactly the registers used. Registers are virtual
 * and never reused; ptxas allocates the physical ones.
 */
final class PtxCode {

    private final StringBuilder body = new StringBuilder();
    private final Map<RegClass, Integer> counts = new EnumMap<>(RegClass.class);
    private int labels;

    String fresh(RegClass c) {
        int n = counts.merge(c, 1, Integer::sum);
        return c.prefix + n;
    }

    Val fresh(LType t) {
        return Val.reg(fresh(RegClass.of(t)), t);
    }

    /** A label unique in the kernel; {@code hint} says what it marks, for the reader. */
    String label(String hint) {
        return "$L_" + hint + "_" + (++labels);
    }

    /** One instruction: {@code opcode operand, operand, ...;}. */
    void op(String opcode, Object... operands) {
        line("", opcode, operands);
    }

    /** An instruction executed only where {@code pred} holds ({@code negate}: where it does not). */
    void opIf(String pred, boolean negate, String opcode, Object... operands) {
        line("@" + (negate ? "!" : "") + pred + " ", opcode, operands);
    }

    private void line(String guard, String opcode, Object... operands) {
        body.append('\t').append(guard).append(opcode);
        for (int i = 0; i < operands.length; i++) {
            body.append(i == 0 ? " " : ", ").append(operands[i]);
        }
        body.append(";\n");
    }

    void branch(String target) {
        op("bra", target);
    }

    void branchIf(String pred, boolean negate, String target) {
        opIf(pred, negate, "bra", target);
    }

    void place(String label) {
        body.append(label).append(":\n");
    }

    void comment(String text) {
        body.append("\t// ").append(GeneratedNames.commentSafe(text)).append('\n');
    }

    /** {@code v} in a register: PTX takes immediates in most source positions, but not in all. */
    String inReg(Val v) {
        if (!v.immediate()) {
            return v.text();
        }
        Val r = fresh(v.type());
        op("mov" + PtxTypes.bits(v.type()), r, v);
        return r.text();
    }

    String declarations() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<RegClass, Integer> e : counts.entrySet()) {
            sb.append("\t.reg ").append(e.getKey().declType).append(' ').append(e.getKey().prefix).append('<')
                    .append(e.getValue() + 1).append(">;\n");
        }
        return sb.toString();
    }

    String body() {
        return body.toString();
    }
}
