package dev.tessera.ptxsim;

import static dev.tessera.ptxsim.InstructionSet.simple;

import dev.tessera.ptxsim.Ast.Space;
import java.util.ArrayList;
import java.util.List;

/**
 * cp.async (global to shared, 4/8/16 bytes) with commit_group, wait_group and wait_all.
 *
 * <p>The source is read when the copy is issued, but the bytes land in shared memory only when the
 * issuing thread waits for the copy's group: a kernel that reads the destination without waiting
 * sees the old contents, which exposes the missing wait instead of hiding it.
 */
final class AsyncCopyOps {

    private AsyncCopyOps() {}

    /** One issued copy: its shared destination and the bytes to write there. */
    record Pending(long dst, byte[] bytes) {}

    static Insn.Op compile(Mods m, Linker l) {
        if (!m.has("async")) {
            throw l.error("only cp.async is supported");
        }
        if (m.has("bulk")) {
            throw l.error("cp.async.bulk is not supported");
        }
        if (m.has("commit_group")) {
            l.operands(0);
            return simple(t -> {
                t.asyncGroups.add(t.uncommitted);
                t.uncommitted = new ArrayList<>();
            });
        }
        if (m.has("wait_all")) {
            l.operands(0);
            return simple(t -> {
                t.asyncGroups.add(t.uncommitted);
                t.uncommitted = new ArrayList<>();
                complete(t, 0);
            });
        }
        if (m.has("wait_group")) {
            Ast.Operand n = l.operands(1).get(0);
            if (!(n instanceof Ast.IntImm i) || i.value() < 0) {
                throw l.error("cp.async.wait_group needs a constant group count");
            }
            int keep = (int) i.value();
            return simple(t -> complete(t, keep));
        }
        String cache = m.oneOf("ca", "cg");
        if (cache == null || !m.has("shared") || !m.has("global")) {
            throw l.error("expected cp.async.ca.shared.global or cp.async.cg.shared.global");
        }
        m.ignoreHints();
        m.oneOf("L2::64B", "L2::128B", "L2::256B");
        List<Ast.Operand> ops = l.operands(3, 4);
        Address dst = l.address(ops.get(0), Space.SHARED);
        Address src = l.address(ops.get(1), Space.GLOBAL);
        if (!(ops.get(2) instanceof Ast.IntImm size) || size.value() != 4 && size.value() != 8 && size.value() != 16
                || cache.equals("cg") && size.value() != 16) {
            throw l.error("cp-size must be 4, 8 or 16 (16 for .cg)");
        }
        int cpSize = (int) size.value();
        Src srcSize = null;
        Src ignore = null;
        if (ops.size() == 4) {
            if (l.isPredicate(ops.get(3))) {
                ignore = l.src(ops.get(3), PtxType.PRED);
            } else {
                srcSize = l.src(ops.get(3), PtxType.U32);
            }
        }
        Src srcSizeF = srcSize;
        Src ignoreF = ignore;
        return simple(t -> {
            long d = dst.get(t);
            long s = src.get(t);
            int n = srcSizeF == null ? cpSize : (int) Math.min(srcSizeF.get(t) & 0xffff_ffffL, Integer.MAX_VALUE);
            if (n > cpSize) {
                throw new Fault("src-size " + n + " exceeds cp-size " + cpSize);
            }
            if (ignoreF != null && ignoreF.get(t) != 0) {
                n = 0;
            }
            Memory.checkAlign(Space.SHARED, d, cpSize);
            Memory.checkAlign(Space.GLOBAL, s, cpSize);
            // check the destination now so that a bad address is reported at the cp.async itself
            Memory.load(t, Space.SHARED, d + cpSize - 1, 1);
            byte[] bytes = new byte[cpSize];
            for (int i = 0; i < n; i++) {
                bytes[i] = (byte) Memory.load(t, Space.GLOBAL, s + i, 1);
            }
            t.uncommitted.add(new Pending(d, bytes));
        });
    }

    /** Lands every committed group except the {@code keep} most recent ones. */
    private static void complete(ThreadCtx t, int keep) {
        while (t.asyncGroups.size() > keep) {
            for (Pending p : t.asyncGroups.removeFirst()) {
                for (int i = 0; i < p.bytes().length; i++) {
                    Memory.store(t, Space.SHARED, p.dst() + i, 1, p.bytes()[i]);
                }
            }
        }
    }
}
