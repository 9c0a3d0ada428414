package dev.tessera.ptxsim;

import java.util.List;

/** Packs launch arguments into a kernel's parameter buffer, checking each against its .param type. */
final class Params {

    private Params() {}

    static byte[] pack(Kernel k, List<?> args) {
        List<Kernel.ParamSlot> slots = k.params();
        if (args.size() != slots.size()) {
            throw new PtxException(0, k.name() + " takes " + slots.size() + " parameters, got " + args.size());
        }
        byte[] buf = new byte[Math.max(1, k.paramBytes())];
        for (int i = 0; i < slots.size(); i++) {
            Kernel.ParamSlot s = slots.get(i);
            Object a = args.get(i);
            if (s.array()) {
                if (!(a instanceof byte[] bytes) || bytes.length != s.bytes()) {
                    throw bad(k, s, a, "a byte[" + s.bytes() + "]");
                }
                System.arraycopy(bytes, 0, buf, s.offset(), bytes.length);
                continue;
            }
            long bits = switch (s.type()) {
                case F32 -> a instanceof Float f ? Float.floatToRawIntBits(f) & 0xffff_ffffL : fail(k, s, a, "a Float");
                case F64 -> a instanceof Double d ? Double.doubleToRawLongBits(d) : fail(k, s, a, "a Double");
                case PRED -> fail(k, s, a, "nothing: .pred parameters do not exist");
                default -> integer(k, s, a);
            };
            Memory.put(buf, s.offset(), s.type().bytes(), bits);
        }
        return buf;
    }

    private static long integer(Kernel k, Kernel.ParamSlot s, Object a) {
        if (!(a instanceof Long || a instanceof Integer || a instanceof Short || a instanceof Byte)) {
            return fail(k, s, a, "an integer (Long, Integer, Short or Byte)");
        }
        long v = ((Number) a).longValue();
        int bits = s.type().bits;
        // accept a value that fits the type either as signed or as unsigned
        if (bits < 64 && (v < -(1L << (bits - 1)) || v > (1L << bits) - 1)) {
            return fail(k, s, a, "an integer that fits " + s.type().spelling());
        }
        return v & s.type().mask();
    }

    private static long fail(Kernel k, Kernel.ParamSlot s, Object a, String wanted) {
        throw bad(k, s, a, wanted);
    }

    private static PtxException bad(Kernel k, Kernel.ParamSlot s, Object a, String wanted) {
        String got = a == null ? "null" : a.getClass().getSimpleName() + " " + a;
        return new PtxException(0, "parameter " + s.name() + " (" + s.type().spelling() + ") of " + k.name()
                + " needs " + wanted + ", got " + got);
    }
}
