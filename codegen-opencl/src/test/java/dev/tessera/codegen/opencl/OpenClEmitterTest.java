package dev.tessera.codegen.opencl;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LUnOp;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OpenClEmitterTest {

    private static final LoopParam N = new LoopParam.DimParam("N");

    @Test
    void axpyReadsLikeHandWrittenOpenCl() {
        Expr value = bin(LBinOp.ADD, bin(LBinOp.MUL, load("alpha", lit(0), LType.F32), load("x", i32("i"), LType.F32)),
                load("y", i32("i"), LType.F32));
        LoopProgram p = program("axpy", elementwise("axpy",
                List.of(in("alpha", DType.F32), in("x", DType.F32), in("y", DType.F32), out("out", DType.F32), N),
                "out", value));
        p = new LoopProgram("axpy", new BufferPlan(
                List.of(buffer("alpha", DType.F32), buffer("x", DType.F32, Dim.of("N")), buffer("y", DType.F32, Dim.of("N"))),
                List.of(buffer("out", DType.F32, Dim.of("N"))), List.of(), List.of()), p.kernels());
        assertEquals("""
                // Tessera program 'axpy', emitted as OpenCL C 1.2 by Tessera's OpenClEmitter.
                // inputs:  alpha f32[], x f32[N], y f32[N]
                // outputs: out f32[N]

                // kernel 'axpy': global [((N + 63) / 64) * 64], local [64]
                __kernel __attribute__((reqd_work_group_size(64, 1, 1)))
                void tsr_axpy(
                    __global const float* b_alpha,
                    __global const float* b_x,
                    __global const float* b_y,
                    __global float* b_out,
                    const int d_N)
                {
                    int v_i = (int)get_global_id(0);
                    if (v_i < d_N) {
                        b_out[v_i] = b_alpha[0] * b_x[v_i] + b_y[v_i];
                    }
                }
                """, OpenClEmitter.emit(p));
    }

    @Test
    void hostileNamesBecomePrefixedUniqueIdentifiers() {
        Expr.Var v = f32("float");
        List<Stmt> body = List.of(
                new Stmt.Decl(v, load("int", gid(0), LType.F32)),
                new Stmt.Store("a__b", gid(0), bin(LBinOp.ADD, v, load("a_b", gid(0), LType.F32))),
                new Stmt.Store("a.b", gid(0), v),
                new Stmt.Store("restrict", gid(0), new Expr.Conv(LType.F32, i32("global"))));
        LoopKernel k = new LoopKernel("kernel", List.of(in("int", DType.F32), out("a__b", DType.F32),
                in("a_b", DType.F32), out("a.b", DType.F32), out("restrict", DType.F32),
                new LoopParam.DimParam("global")), List.of(), List.of(i32("global")), List.of(1), body);
        String src = OpenClEmitter.emit(program("p", k));
        assertTrue(src.contains("void tsr_kernel("), src);
        assertTrue(src.contains("__global const float* b_int,"), src);
        assertTrue(src.contains("__global float* b_a_b,"), src);
        assertTrue(src.contains("__global const float* b_a_b_2,"), src);
        assertTrue(src.contains("__global float* b_a_b_3,"), src);
        assertTrue(src.contains("__global float* b_restrict,"), src);
        assertTrue(src.contains("const int d_global)"), src);
        assertTrue(src.contains("float v_float = b_int[(int)get_global_id(0)];"), src);
        assertTrue(src.contains("b_a_b[(int)get_global_id(0)] = v_float + b_a_b_2[(int)get_global_id(0)];"), src);
        assertTrue(src.contains("b_restrict[(int)get_global_id(0)] = (float)d_global;"), src);
        assertOnlySafeIdentifiers(src);
    }

    @Test
    void commentsDropBackslashesBecauseTheyWouldSpliceLines() {
        assertEquals("a?b?", CNames.commentSafe("a\\b\u00e9"));
    }

    @Test
    void kernelSymbolsAreDistinctEvenWhenNamesSanitiseAlike() {
        LoopKernel k1 = trivialKernel("a.b");
        LoopKernel k2 = trivialKernel("a_b");
        String src = OpenClEmitter.emit(program("two", k1, k2));
        assertTrue(src.contains("void " + OpenClEmitter.kernelSymbol(k1) + "("), src);
        assertTrue(src.contains("void " + OpenClEmitter.kernelSymbol(k2) + "("), src);
        assertThrows(IllegalArgumentException.class, () -> OpenClEmitter.emit(program("dup", k2, trivialKernel("a_b"))));
    }

    @Test
    void halfBf16AndBoolUseTheirStorageForms() {
        Expr.Var i = i32("i");
        List<Stmt> body = List.of(
                new Stmt.Decl(i, gid(0)),
                new Stmt.Store("h_out", i, load("h", i, LType.F32)),
                new Stmt.Store("bf_out", i, load("bf", i, LType.F32)),
                new Stmt.Store("m_out", i, new Expr.Un(LUnOp.NOT, load("m", i, LType.BOOL))));
        LoopKernel k = new LoopKernel("conv", List.of(in("h", DType.F16), in("bf", DType.BF16), in("m", DType.BOOL),
                out("h_out", DType.F16), out("bf_out", DType.BF16), out("m_out", DType.BOOL)),
                List.of(), List.of(lit(64)), List.of(64), body);
        String src = OpenClEmitter.emit(program("conv", k));
        assertTrue(src.contains("__global const half* b_h,"), src);
        assertTrue(src.contains("__global const ushort* b_bf,"), src);
        assertTrue(src.contains("__global const uchar* b_m,"), src);
        assertTrue(src.contains("vstore_half_rte(vload_half(v_i, b_h), v_i, b_h_out);"), src);
        assertTrue(src.contains("b_bf_out[v_i] = tessera_f32_to_bf16(tessera_bf16_to_f32(b_bf[v_i]));"), src);
        assertTrue(src.contains("b_m_out[v_i] = (uchar)!(b_m[v_i] != 0);"), src);
        assertTrue(src.contains("ushort tessera_f32_to_bf16(float f) {"), src);
        assertTrue(src.contains("float tessera_bf16_to_f32(ushort h) {"), src);
        assertFalse(src.contains("cl_khr_fp64"), "no f64 anywhere, so no extension pragma");
    }

    @Test
    void fp64PragmaOnlyWhenDoublesAreUsed() {
        LoopProgram p = program("d", elementwise("d", List.of(in("x", DType.F64), out("y", DType.F64), N), "y",
                bin(LBinOp.MUL, load("x", i32("i"), LType.F64), new Expr.FloatLit(0.1, LType.F64))));
        String src = OpenClEmitter.emit(p);
        assertTrue(src.contains("#pragma OPENCL EXTENSION cl_khr_fp64 : enable"), src);
        assertTrue(src.contains("b_y[v_i] = b_x[v_i] * 0x1.999999999999ap-4 /* 0.1 */;"), src);

        LoopProgram widened = program("w", elementwise("w", List.of(in("x", DType.F32), out("y", DType.F32), N), "y",
                new Expr.Conv(LType.F32, new Expr.Conv(LType.F64, load("x", i32("i"), LType.F32)))));
        assertTrue(OpenClEmitter.emit(widened).contains("cl_khr_fp64"), "a conversion through f64 needs it too");
    }

    @Test
    void integerAndNanSemanticsGoThroughHelpers() {
        Expr a = load("a", i32("i"), LType.I32);
        Expr b = load("b", i32("i"), LType.I32);
        Expr x = load("x", i32("i"), LType.F32);
        Expr sum = bin(LBinOp.ADD, bin(LBinOp.ADD, bin(LBinOp.DIV, a, b), bin(LBinOp.REM, a, b)),
                bin(LBinOp.ADD, bin(LBinOp.MIN, a, b), new Expr.Conv(LType.I32,
                        bin(LBinOp.MAX, x, bin(LBinOp.REM, x, flit(2))))));
        LoopProgram p = program("sem", elementwise("sem",
                List.of(in("a", DType.I32), in("b", DType.I32), in("x", DType.F32), out("y", DType.I32), N), "y", sum));
        String src = OpenClEmitter.emit(p);
        assertTrue(src.contains("b_y[v_i] = tessera_div_i32(b_a[v_i], b_b[v_i]) + tessera_rem_i32(b_a[v_i], b_b[v_i])"
                + " + (min(b_a[v_i], b_b[v_i]) + convert_int_sat(tessera_fmax_f32(b_x[v_i], fmod(b_x[v_i], 2.0f))));"),
                src);
        assertTrue(src.contains("return b == 0 ? 0 : b == -1 ? (int)(0u - (uint)a) : a / b;"), src);
        assertTrue(src.contains("return isnan(a) || isnan(b) ? NAN : fmax(a, b);"), src);
        assertFalse(src.contains("tessera_fmin_f32"), "unused helpers are left out");
    }

    @Test
    void parenthesesFollowCPrecedence() {
        Expr a = i32("a");
        Expr b = i32("b");
        Expr c = i32("c");
        assertEquals("v_a - (v_b - v_c)", exprText(bin(LBinOp.SUB, a, bin(LBinOp.SUB, b, c))));
        assertEquals("v_a - v_b - v_c", exprText(bin(LBinOp.SUB, bin(LBinOp.SUB, a, b), c)));
        assertEquals("v_a * (v_b + v_c)", exprText(bin(LBinOp.MUL, a, bin(LBinOp.ADD, b, c))));
        assertEquals("-(-v_a)", exprText(new Expr.Un(LUnOp.NEG, new Expr.Un(LUnOp.NEG, a))));
        assertEquals("-(-5)", exprText(new Expr.Un(LUnOp.NEG, lit(-5))));
        assertEquals("(v_a < v_b) == (v_b < v_c)",
                exprText(bin(LBinOp.EQ, bin(LBinOp.LT, a, b), bin(LBinOp.LT, b, c))));
        assertEquals("(v_a < v_b) || ((v_b < v_c) && (v_a < v_c))", exprText(bin(LBinOp.OR, bin(LBinOp.LT, a, b),
                bin(LBinOp.AND, bin(LBinOp.LT, b, c), bin(LBinOp.LT, a, c)))));
        assertEquals("(v_a < v_b ? v_a : v_b) + 1",
                exprText(bin(LBinOp.ADD, new Expr.Select(bin(LBinOp.LT, a, b), a, b), lit(1))));
        assertEquals("(float)(v_a + v_b)", exprText(new Expr.Conv(LType.F32, bin(LBinOp.ADD, a, b))));
        assertEquals("(-2147483647 - 1) + v_a", exprText(bin(LBinOp.ADD, lit(Integer.MIN_VALUE), a)));
    }

    @Test
    void floatLiteralsAreExact() {
        assertEquals("0.5f", CLiterals.f32(0.5));
        assertEquals("256.0f", CLiterals.f32(256));
        assertEquals("(-2.0f)", CLiterals.f32(-2));
        assertEquals("(-0.0f)", CLiterals.f32(-0.0));
        assertEquals("0x1.99999ap-4f /* 0.1 */", CLiterals.f32(0.1));
        assertEquals("0x0.000002p-126f /* 1.4E-45 */", CLiterals.f32(Float.MIN_VALUE));
        assertEquals("NAN", CLiterals.f32(Double.NaN));
        assertEquals("INFINITY", CLiterals.f32(Double.POSITIVE_INFINITY));
        assertEquals("(-INFINITY)", CLiterals.f32(Double.NEGATIVE_INFINITY));
        assertEquals("0.1", CLiterals.f64(0.1).substring(CLiterals.f64(0.1).indexOf("/* ") + 3).replace(" */", ""));
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int n = 0; n < 20_000; n++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (!Float.isNaN(f)) {
                assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(parseC32(CLiterals.f32(f))), "" + f);
            }
            double d = Double.longBitsToDouble(r.nextLong());
            if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(parseC64(CLiterals.f64(d))), "" + d);
            }
        }
    }

    @Test
    void localArraysAndBarriers() {
        Expr lid = new Expr.Special(SpecialReg.LOCAL_ID, 0);
        List<Stmt> body = List.of(
                new Stmt.Store("tile", lid, load("x", gid(0), LType.F32)),
                new Stmt.Store("flags", lid, new Expr.BoolLit(true)),
                new Stmt.Barrier(),
                new Stmt.If(load("flags", lit(0), LType.BOOL),
                        List.of(new Stmt.Store("y", gid(0), load("tile", bin(LBinOp.SUB, lit(63), lid), LType.F32))),
                        List.of(new Stmt.Store("y", gid(0), flit(0)))));
        LoopKernel k = new LoopKernel("rev", List.of(in("x", DType.F32), out("y", DType.F32)),
                List.of(new LocalArray("tile", LType.F32, 64), new LocalArray("flags", LType.BOOL, 64)),
                List.of(lit(128)), List.of(64), body);
        String src = OpenClEmitter.emit(program("rev", k));
        assertTrue(src.contains("""
                    __local float l_tile[64];
                    __local uchar l_flags[64];
                    l_tile[(int)get_local_id(0)] = b_x[(int)get_global_id(0)];
                    l_flags[(int)get_local_id(0)] = (uchar)true;
                    barrier(CLK_LOCAL_MEM_FENCE);
                    if (l_flags[0] != 0) {
                        b_y[(int)get_global_id(0)] = l_tile[63 - (int)get_local_id(0)];
                    } else {
                        b_y[(int)get_global_id(0)] = 0.0f;
                    }
                """), src);
    }

    @Test
    void forLoopsDeclareTheirVariable() {
        Expr.Var j = i32("j");
        Expr.Var acc = f32("acc");
        List<Stmt> body = List.of(
                new Stmt.Decl(acc, flit(0)),
                new Stmt.For(j, lit(0), i32("N"), lit(4), List.of(
                        new Stmt.Assign(acc, bin(LBinOp.ADD, acc, load("x", j, LType.F32))))),
                new Stmt.Store("y", lit(0), acc));
        LoopKernel k = new LoopKernel("sum", List.of(in("x", DType.F32), out("y", DType.F32), N), List.of(),
                List.of(lit(1)), List.of(1), body);
        String src = OpenClEmitter.emit(program("sum", k));
        assertTrue(src.contains("""
                    float v_acc = 0.0f;
                    for (int v_j = 0; v_j < d_N; v_j += 4) {
                        v_acc = v_acc + b_x[v_j];
                    }
                    b_y[0] = v_acc;
                """), src);
    }

    @Test
    void malformedIrIsRejectedBeforeC() {
        LoopProgram readOnly = program("ro", elementwise("ro", List.of(in("x", DType.F32), N), "x", flit(1)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpenClEmitter.emit(readOnly)).getMessage()
                .contains("not declare as written"));
        LoopProgram unknown = program("u",
                elementwise("u", List.of(out("y", DType.F32), N), "y", load("nope", lit(0), LType.F32)));
        assertThrows(IllegalArgumentException.class, () -> OpenClEmitter.emit(unknown));
        LoopProgram notInt = program("n",
                elementwise("n", List.of(out("y", DType.I32), N), "y", new Expr.Un(LUnOp.NOT, lit(1))));
        assertThrows(IllegalArgumentException.class, () -> OpenClEmitter.emit(notInt));
    }

    @Test
    void commentsCannotBeEscaped() {
        LoopProgram p = program("evil\nname\\", trivialKernel("k*/\n#error"));
        String src = OpenClEmitter.emit(p);
        assertTrue(src.startsWith("// Tessera program 'evil?name?'"), src);
        assertFalse(src.contains("\n#error"), src);
    }

    private static LoopKernel trivialKernel(String name) {
        return new LoopKernel(name, List.of(out("y", DType.F32)), List.of(), List.of(lit(1)), List.of(1),
                List.of(new Stmt.Store("y", lit(0), flit(1))));
    }

    /** The C text of {@code e} as the initialiser of a variable of its own type. */
    private static String exprText(Expr e) {
        LoopKernel k = new LoopKernel("e", List.of(), List.of(), List.of(lit(1)), List.of(1),
                List.of(new Stmt.Decl(new Expr.Var("r", e.type()), e)));
        String src = OpenClEmitter.emit(program("e", k));
        Matcher m = Pattern.compile(" v_r = (.*);").matcher(src);
        assertTrue(m.find(), src);
        return m.group(1);
    }

    private static float parseC32(String lit) {
        return Float.parseFloat(stripLiteral(lit));
    }

    private static double parseC64(String lit) {
        return Double.parseDouble(stripLiteral(lit));
    }

    /** Java parses C99 hex and decimal floats alike once comments and the (-...) wrapping are gone. */
    private static String stripLiteral(String lit) {
        String s = lit.replaceAll("/\\*.*\\*/", "").strip();
        if (s.startsWith("(-") && s.endsWith(")")) {
            s = "-" + s.substring(2, s.length() - 1);
        }
        return s.strip();
    }

    /**
     * Every identifier in the source (comments removed) is either OpenCL vocabulary the emitter itself
     * writes or carries one of the emitter's prefixes; so no DSL name reached C unprefixed.
     */
    private static void assertOnlySafeIdentifiers(String src) {
        Set<String> vocabulary = Set.of("__kernel", "__attribute__", "reqd_work_group_size", "void", "__global",
                "__local", "const", "float", "int", "uint", "long", "ulong", "uchar", "ushort", "half", "double",
                "bool", "true", "false", "if", "else", "for", "return", "get_global_id", "get_local_id",
                "get_group_id", "get_local_size", "get_num_groups", "barrier", "CLK_LOCAL_MEM_FENCE");
        String code = src.replaceAll("//[^\n]*", "").replaceAll("/\\*.*?\\*/", "");
        Matcher m = Pattern.compile("\\b[A-Za-z_][A-Za-z0-9_]*\\b").matcher(code);
        Set<String> bad = new TreeSet<>();
        while (m.find()) {
            String id = m.group();
            boolean prefixed = id.matches("(b|d|v|l|tsr|tsrx|tessera)_[A-Za-z0-9_]+") && !id.contains("__");
            if (!prefixed && !vocabulary.contains(id)) {
                bad.add(id);
            }
        }
        assertTrue(bad.isEmpty(), "unexpected identifiers " + bad + " in\n" + src);
    }
}
