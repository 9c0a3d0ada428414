package dev.tessera.ptxsim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Test harness: runs one instruction (or a few) in a single-thread kernel, with inputs loaded from
 * memory so that the interpreter cannot constant-fold anything, and returns the destination's bits.
 */
final class Eval {

    private Eval() {}

    static final String HEADER = ".version 8.0\n.target sm_80\n.address_size 64\n";

    /**
     * Runs {@code code} (which reads %a, %b, %c of register type {@code src} and writes %d of type
     * {@code dst}) and returns %d's bits. Predicate registers are passed and returned as 0/1.
     */
    static long run(String code, String dst, String src, long... inputs) {
        StringBuilder k = new StringBuilder(HEADER);
        k.append(".visible .entry t(.param .u64 pout, .param .u64 pin)\n{\n");
        k.append("  .reg .b64 %rd<3>;\n  .reg .b32 %tmp;\n");
        k.append("  .reg .").append(src).append(" %a, %b, %c;\n");
        k.append("  .reg .").append(dst).append(" %d;\n");
        k.append("  ld.param.u64 %rd1, [pout];\n  ld.param.u64 %rd2, [pin];\n");
        for (int i = 0; i < 3; i++) {
            String reg = "%" + (char) ('a' + i);
            if (src.equals("pred")) {
                k.append("  ld.global.u32 %tmp, [%rd2+").append(8 * i).append("];\n");
                k.append("  setp.ne.u32 ").append(reg).append(", %tmp, 0;\n");
            } else {
                k.append("  ld.global.").append(memType(src)).append(' ').append(reg).append(", [%rd2+")
                        .append(8 * i).append("];\n");
            }
        }
        k.append("  ").append(code.trim()).append(code.trim().endsWith(";") ? "\n" : ";\n");
        if (dst.equals("pred")) {
            k.append("  selp.u32 %tmp, 1, 0, %d;\n  st.global.u32 [%rd1], %tmp;\n");
        } else {
            k.append("  st.global.").append(memType(dst)).append(" [%rd1], %d;\n");
        }
        k.append("  ret;\n}\n");
        PtxModule m = PtxModule.parse(k.toString());
        DeviceMemory mem = new DeviceMemory();
        long in = mem.alloc(24);
        long out = mem.alloc(8);
        byte[] bytes = new byte[24];
        for (int i = 0; i < inputs.length; i++) {
            for (int b = 0; b < 8; b++) {
                bytes[8 * i + b] = (byte) (inputs[i] >>> (8 * b));
            }
        }
        mem.write(in, bytes);
        m.launch("t", new int[] {1}, new int[] {1}, List.of(out, in), mem);
        byte[] r = mem.read(out, 8);
        long v = 0;
        for (int b = 0; b < 8; b++) {
            v |= (r[b] & 0xffL) << (8 * b);
        }
        int bits = dst.equals("pred") ? 32 : widthOf(dst);
        return bits == 64 ? v : v & ((1L << bits) - 1);
    }

    private static String memType(String reg) {
        return switch (reg) {
            case "f32", "f64" -> reg;
            default -> "b" + widthOf(reg);
        };
    }

    static int widthOf(String reg) {
        return switch (reg) {
            case "b8", "u8", "s8" -> 8;
            case "b16", "u16", "s16", "f16", "bf16" -> 16;
            case "b32", "u32", "s32", "f32", "f16x2", "bf16x2" -> 32;
            default -> 64;
        };
    }

    static long f(float v) {
        return Float.floatToRawIntBits(v) & 0xffff_ffffL;
    }

    static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    static float asF(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    static double asD(long bits) {
        return Double.longBitsToDouble(bits);
    }

    /** A test resource under dev/tessera/ptxsim/. */
    static String resource(String name) {
        try (InputStream in = Eval.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
