package dev.tessera.codegen.ptx;

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
import dev.tessera.ir.loop.Stmt;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The PTX text of small hand-built kernels: structure, names, literals, storage forms and semantic traps. */
class PtxEmitterTest {

    private static final LoopParam N = new LoopParam.DimParam("N");

    @Test
    void axpyIsOneEntryWithTheModuleHeader() {
        Expr value = bin(LBinOp.ADD, bin(LBinOp.MUL, load("alpha", lit(0), LType.F32), load("x", i32("i"), LType.F32)),
                load("y", i32("i"), LType.F32));
        LoopProgram p = program("axpy", elementwise("axpy",
                List.of(in("alpha", DType.F32), in("x", DType.F32), in("y", DType.F32), out("out", DType.F32), N),
                "out", value));
        p = new LoopProgram("axpy", new BufferPlan(
                List.of(buffer("alpha", DType.F32), buffer("x", DType.F32, Dim.of("N")), buffer("y", DType.F32, Dim.of("N"))),
                List.of(buffer("out", DType.F32, Dim.of("N"))), List.of(), List.of()), p.kernels());
        String ptx = PtxEmitter.emit(p, PtxArch.SM_90);
        assertTrue(ptx.startsWith("// Tessera program 'axpy', emitted as PTX by Tessera's PtxEmitter.\n"
                + "// inputs:  alpha f32[], x f32[N], y f32[N]\n// outputs: out f32[N]\n"), ptx);
        assertTrue(ptx.contains("\n.version 7.8\n.target sm_90\n.address_size 64\n"), ptx);
        assertEquals(1, count(ptx, "\\.visible \\.entry "), ptx);
        assertTrue(ptx.contains("""
                .visible .entry tsr_axpy(
                	.param .u64 .ptr .global .align 4 b_alpha,
                	.param .u64 .ptr .global .align 4 b_x,
                	.param .u64 .ptr .global .align 4 b_y,
                	.param .u64 .ptr .global .align 4 b_out,
                	.param .u32 d_N
                )
                .reqntid 64
                """), ptx);
        // global_id = ctaid * ntid + tid, with ntid the constant block size.
        assertTrue(ptx.matches("(?s).*mov\\.u32 (%r\\d+), %ctaid\\.x;\n\tmov\\.u32 (%r\\d+), %tid\\.x;\n"
                + "\tmad\\.lo\\.s32 %r\\d+, \\1, 64, \\2;.*"), ptx);
        // Constant index folds into the address; 64-bit addressing for the rest; a*b+c contracts to one fma.
        assertTrue(ptx.matches("(?s).*ld\\.global\\.nc\\.f32 %f\\d+, \\[%rd\\d+\\];.*"), ptx);
        assertTrue(ptx.matches("(?s).*mul\\.wide\\.s32 %rd\\d+, %r\\d+, 4;\n\tadd\\.s64 %rd\\d+, %rd\\d+, %rd\\d+;.*"), ptx);
        assertEquals(1, count(ptx, "fma\\.rn\\.f32"), ptx);
        assertEquals(0, count(ptx, "\\bmul\\.rn\\.f32|\\badd\\.rn\\.f32"), ptx);
        assertTrue(ptx.contains("st.global.f32 ["), ptx);
        assertEquals(PtxArch.SM_80, PtxArch.DEFAULT);
        assertTrue(PtxEmitter.emit(p).contains(".target sm_80\n"));
    }

    @Test
    void hostileNamesBecomePrefixedUniqueIdentifiers() {
        Expr.Var v = f32("float");
        List<Stmt> body = List.of(
                new Stmt.Decl(v, load(".reg", gid(0), LType.F32)),
                new Stmt.Store("a__b", gid(0), bin(LBinOp.ADD, v, load("a_b", gid(0), LType.F32))),
                new Stmt.Store("a.b", gid(0), v),
                new Stmt.Store("%r1", gid(0), new Expr.Conv(LType.F32, i32("global"))));
        LoopKernel k = new LoopKernel("kernel", List.of(in(".reg", DType.F32), out("a__b", DType.F32),
                in("a_b", DType.F32), out("a.b", DType.F32), out("%r1", DType.F32),
                new LoopParam.DimParam("global")), List.of(new LocalArray("$shared", LType.F32, 4)),
                List.of(i32("global")), List.of(1), body);
        String ptx = PtxEmitter.emit(program("p", k));
        assertTrue(ptx.contains(".visible .entry tsr_kernel("), ptx);
        assertTrue(ptx.contains(".param .u64 .ptr .global .align 4 b_reg,"), ptx);
        assertTrue(ptx.contains(".param .u64 .ptr .global .align 4 b_a_b,"), ptx);
        assertTrue(ptx.contains(".param .u64 .ptr .global .align 4 b_a_b_2,"), ptx);
        assertTrue(ptx.contains(".param .u64 .ptr .global .align 4 b_a_b_3,"), ptx);
        assertTrue(ptx.contains(".param .u64 .ptr .global .align 4 b_r1,"), ptx);
        assertTrue(ptx.contains(".param .u32 d_global\n"), ptx);
        assertTrue(ptx.contains(".shared .align 4 .f32 s_shared[4];"), ptx);
        assertOnlySafeIdentifiers(ptx);
        PtxasCheck.assembles(ptx, PtxArch.SM_80);
    }

    @Test
    void kernelSymbolsAreDistinctEvenWhenNamesSanitiseAlike() {
        LoopKernel k1 = trivialKernel("a.b");
        LoopKernel k2 = trivialKernel("a_b");
        String ptx = PtxEmitter.emit(program("two", k1, k2));
        assertTrue(ptx.contains(".visible .entry " + PtxEmitter.kernelSymbol(k1) + "("), ptx);
        assertTrue(ptx.contains(".visible .entry " + PtxEmitter.kernelSymbol(k2) + "("), ptx);
        assertThrows(IllegalArgumentException.class, () -> PtxEmitter.emit(program("dup", k2, trivialKernel("a_b"))));
    }

    @Test
    void floatLiteralsAreExactBitPatterns() {
        assertEquals("0f3DCCCCCD", PtxLiterals.f32(0.1));
        assertEquals("0f3F800000", PtxLiterals.f32(1));
        assertEquals("0f80000000", PtxLiterals.f32(-0.0));
        assertEquals("0fFF800000", PtxLiterals.f32(Double.NEGATIVE_INFINITY));
        assertEquals("0f7FC00000", PtxLiterals.f32(Double.NaN));
        assertEquals("0f00000001", PtxLiterals.f32(Float.MIN_VALUE));
        assertEquals("0d3FB999999999999A", PtxLiterals.f64(0.1));
        assertEquals("0d8000000000000000", PtxLiterals.f64(-0.0));
        assertEquals("-2147483648", PtxLiterals.i32(Integer.MIN_VALUE));
        assertEquals("0x8000000000000000", PtxLiterals.i64(Long.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> PtxLiterals.i32(1L << 31));
        LoopProgram p = program("lit", elementwise("lit", List.of(in("x", DType.F64), out("y", DType.F64), N), "y",
                bin(LBinOp.MUL, load("x", i32("i"), LType.F64), new Expr.FloatLit(0.1, LType.F64))));
        assertTrue(PtxEmitter.emit(p).matches("(?s).*mul\\.rn\\.f64 %fd\\d+, %fd\\d+, 0d3FB999999999999A;.*"));
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
        String ptx = PtxEmitter.emit(program("conv", k));
        assertTrue(ptx.contains(".param .u64 .ptr .global .align 2 b_h,"), ptx);
        assertTrue(ptx.contains(".param .u64 .ptr .global .align 1 b_m,"), ptx);
        // f16: 16-bit load, exact widening; store rounds to nearest even.
        assertTrue(ptx.matches("(?s).*ld\\.global\\.nc\\.b16 (%h\\d+), \\[%rd\\d+\\];\n\tcvt\\.f32\\.f16 %f\\d+, \\1;.*"), ptx);
        assertTrue(ptx.matches("(?s).*cvt\\.rn\\.f16\\.f32 (%h\\d+), %f\\d+;\n.*st\\.global\\.b16 \\[%rd\\d+\\], \\1;.*"), ptx);
        // bf16: the upper half of an f32; stores add 0x7FFF plus the kept lsb, and keep NaN a quiet NaN.
        assertTrue(ptx.matches("(?s).*ld\\.global\\.nc\\.u16 (%r\\d+), \\[%rd\\d+\\];\n\tshl\\.b32 (%r\\d+), \\1, 16;\n"
                + "\tmov\\.b32 %f\\d+, \\2;.*"), ptx);
        assertTrue(ptx.contains("bfe.u32"), ptx);
        assertTrue(ptx.contains(", 32767;"), ptx);
        assertTrue(ptx.contains("or.b32 %r") && ptx.contains(", 0x40;"), ptx);
        assertTrue(ptx.contains("setp.nan.f32"), ptx);
        assertTrue(ptx.contains("st.global.u16 ["), ptx);
        // bool: a byte, read as != 0, written as 0 or 1.
        assertTrue(ptx.matches("(?s).*ld\\.global\\.nc\\.u8 (%r\\d+), \\[%rd\\d+\\];\n\tsetp\\.ne\\.s32 %p\\d+, \\1, 0;.*"), ptx);
        assertTrue(ptx.matches("(?s).*selp\\.u32 (%r\\d+), 1, 0, %p\\d+;\n\tst\\.global\\.u8 \\[%rd\\d+\\], \\1;.*"), ptx);
        assertTrue(ptx.contains("not.pred"), ptx);
        PtxasCheck.assembles(ptx, PtxArch.SM_86);
    }

    @Test
    void semanticTrapsAreHandled() {
        Expr a = load("a", i32("i"), LType.I32);
        Expr b = load("b", i32("i"), LType.I32);
        Expr x = load("x", i32("i"), LType.F32);
        List<LoopParam> params = List.of(in("a", DType.I32), in("b", DType.I32), in("x", DType.F32), out("y", DType.I32),
                out("z", DType.BOOL), N);
        assertContains(params, "y", bin(LBinOp.DIV, a, b), "setp.eq.s32 %p\\d+, %r\\d+, 0;",
                "setp.eq.s32 %p\\d+, %r\\d+, -1;", "selp.b32 %r\\d+, 1, %r\\d+, %p\\d+;", "div.s32", "neg.s32");
        assertContains(params, "y", bin(LBinOp.REM, a, b), "rem.s32", "selp.b32 %r\\d+, 0, %r\\d+, %p\\d+;");
        // A constant divisor other than 0 and -1 needs no guard.
        assertNotContains(params, "y", bin(LBinOp.DIV, a, lit(16)), "setp");
        assertContains(params, "y", new Expr.Conv(LType.I32, x), "cvt.rzi.s32.f32", "setp.nan.f32",
                "selp.b32 %r\\d+, 0, %r\\d+, %p\\d+;");
        assertContains(params, "y", new Expr.Conv(LType.I32, bin(LBinOp.MIN, x, flit(2))), "min.NaN.f32");
        assertContains(params, "y", new Expr.Un(LUnOp.ABS, a), "neg.s32", "max.s32");
        assertContains(params, "z", bin(LBinOp.NE, x, flit(0)), "setp.neu.f32");
        assertContains(params, "z", bin(LBinOp.LT, x, flit(0)), "setp.lt.f32");
        assertContains(params, "z", new Expr.Conv(LType.BOOL, x), "setp.neu.f32 %p\\d+, %f\\d+, 0f00000000;");
        Expr d = new Expr.Conv(LType.F64, x);
        assertContains(params, "y", new Expr.Conv(LType.I32, bin(LBinOp.MAX, d, d)), "max.f64", "setp.nan.f64",
                "selp.f64 %fd\\d+, 0d7FF8000000000000, %fd\\d+, %p\\d+;");
        assertContains(params, "y", new Expr.Conv(LType.I32, new Expr.Un(LUnOp.SQRT, x)), "sqrt.rn.f32");
        assertContains(params, "y", new Expr.Conv(LType.I32, bin(LBinOp.DIV, x, x)), "div.rn.f32");
        assertContains(params, "y", new Expr.Conv(LType.I32, new Expr.Un(LUnOp.RSQRT, x)), "rsqrt.approx.f32");
        assertContains(params, "y", new Expr.Conv(LType.I32, new Expr.Un(LUnOp.ROUND_F16, x)), "cvt.rn.f16.f32",
                "cvt.f32.f16");
    }

    @Test
    void mathFunctionsAreInlineAndUseNoCoarseApproximations() {
        Expr x = load("x", i32("i"), LType.F32);
        List<LoopParam> params = List.of(in("x", DType.F32), out("y", DType.F32), N);
        String exp = emitStore(params, "y", new Expr.Un(LUnOp.EXP, x));
        assertTrue(exp.contains("ex2.approx.ftz.f32") && exp.contains("cvt.rni.f32.f32"), exp);
        String log = emitStore(params, "y", new Expr.Un(LUnOp.LOG, x));
        assertFalse(log.contains("lg2.approx"), log);
        String tanh = emitStore(params, "y", new Expr.Un(LUnOp.TANH, x));
        assertFalse(tanh.contains("tanh.approx"), tanh);
        String erf = emitStore(params, "y", new Expr.Un(LUnOp.ERF, x));
        assertEquals(MathTables.ERF_CF_TERMS_F32, count(erf, "div\\.full\\.f32"), erf);
        String rem = emitStore(params, "y", bin(LBinOp.REM, x, flit(0.75)));
        assertTrue(rem.contains("clz.b32") && rem.contains("$L_fmod_loop"), rem);
        for (String ptx : List.of(exp, log, tanh, erf, rem)) {
            assertFalse(ptx.contains(".func") || ptx.contains("call"), "inline, no calls:\n" + ptx);
            PtxasCheck.assembles(ptx, PtxArch.SM_80);
        }
    }

    @Test
    void nonCoherentLoadsOnlyForMemoryTheKernelDoesNotWrite() {
        // x is read; v is a view of x's storage that the kernel writes: then x must not use ld.global.nc.
        BufferPlan plan = new BufferPlan(List.of(buffer("in", DType.F32, Dim.of("N"))),
                List.of(buffer("x", DType.F32, Dim.of("N"))), List.of(),
                List.of(new BufferPlan.View(buffer("v", DType.F32, Dim.of("N")), "x")));
        Expr.Var i = i32("i");
        List<Stmt> body = List.of(new Stmt.Decl(i, gid(0)),
                new Stmt.Store("v", i, bin(LBinOp.ADD, load("x", i, LType.F32), load("in", i, LType.F32))));
        LoopKernel k = new LoopKernel("alias", List.of(in("in", DType.F32), in("x", DType.F32), out("v", DType.F32)),
                List.of(), List.of(lit(64)), List.of(64), body);
        String ptx = PtxEmitter.emit(new LoopProgram("alias", plan, List.of(k)));
        assertEquals(1, count(ptx, "ld\\.global\\.nc\\.f32"), ptx);
        assertEquals(1, count(ptx, "ld\\.global\\.f32"), ptx);
    }

    @Test
    void controlFlowBecomesBranchesAndLocalsShared() {
        Expr.Var j = i32("j");
        Expr.Var acc = f32("acc");
        Expr.Var l = i32("l");
        List<Stmt> body = List.of(
                new Stmt.Decl(l, new Expr.Special(dev.tessera.ir.loop.SpecialReg.LOCAL_ID, 0)),
                new Stmt.Decl(acc, flit(0)),
                new Stmt.For(j, l, i32("N"), lit(32), List.of(
                        new Stmt.Assign(acc, bin(LBinOp.ADD, acc, load("x", j, LType.F32))))),
                new Stmt.Store("red", l, acc),
                new Stmt.Barrier(),
                new Stmt.If(bin(LBinOp.EQ, l, lit(0)),
                        List.of(new Stmt.Store("y", lit(0), load("red", lit(3), LType.F32))),
                        List.of(new Stmt.Store("y", l, new Expr.Select(bin(LBinOp.LT, l, i32("N")),
                                load("x", l, LType.F32), flit(0))))));
        LoopKernel k = new LoopKernel("sum", List.of(in("x", DType.F32), out("y", DType.F32), N),
                List.of(new LocalArray("red", LType.F32, 32)), List.of(lit(32)), List.of(32), body);
        String ptx = PtxEmitter.emit(program("sum", k));
        assertTrue(ptx.contains(".shared .align 4 .f32 s_red[32];"), ptx);
        assertTrue(ptx.contains("bar.sync 0;"), ptx);
        assertTrue(ptx.contains("ld.shared.f32 %f") && ptx.contains("[s_red+12]"), ptx);
        assertTrue(ptx.matches("(?s).*\\$L_for_\\d+:\n\tsetp\\.ge\\.s32 (%p\\d+), %r\\d+, %r\\d+;\n\t@\\1 bra \\$L_endfor_\\d+;.*"
                + "add\\.s32 %r\\d+, %r\\d+, 32;\n\tbra \\$L_for_\\d+;\n\\$L_endfor_\\d+:.*"), ptx);
        assertTrue(ptx.matches("(?s).*@!%p\\d+ bra \\$L_else_\\d+;.*"), ptx);
        // The select loads x, which may be out of bounds where not chosen: branches, not selp.
        assertTrue(ptx.contains("$L_sel_else_"), ptx);
        PtxasCheck.assembles(ptx, PtxArch.SM_89);
    }

    @Test
    void malformedIrIsRejectedBeforePtx() {
        LoopProgram readOnly = program("ro", elementwise("ro", List.of(in("x", DType.F32), N), "x", flit(1)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PtxEmitter.emit(readOnly)).getMessage()
                .contains("not a written buffer"));
        LoopProgram unknown = program("u",
                elementwise("u", List.of(out("y", DType.F32), N), "y", load("nope", lit(0), LType.F32)));
        assertThrows(IllegalArgumentException.class, () -> PtxEmitter.emit(unknown));
        LoopProgram notFloat = program("n",
                elementwise("n", List.of(out("y", DType.F32), N), "y", new Expr.Un(LUnOp.NOT, flit(1))));
        assertThrows(IllegalArgumentException.class, () -> PtxEmitter.emit(notFloat));
        LoopProgram undeclared = program("v", elementwise("v", List.of(out("y", DType.F32), N), "y", f32("ghost")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PtxEmitter.emit(undeclared)).getMessage()
                .contains("ghost"));
    }

    @Test
    void commentsCannotBeEscaped() {
        String ptx = PtxEmitter.emit(program("evil\nname", trivialKernel("k\n.entry x")));
        assertTrue(ptx.startsWith("// Tessera program 'evil?name'"), ptx);
        assertFalse(ptx.contains("\n.entry x"), ptx);
    }

    @Test
    void ptxasFailuresCarryTheOffendingLine() {
        String bad = PtxEmitter.emit(program("t", trivialKernel("t"))).replace("ret;", "frobnicate.f32 %f1;\n\tret;");
        PtxasCheck.requirePtxas();
        Ptxas.Result r = Ptxas.assemble(bad, PtxArch.SM_80, false);
        assertFalse(r.ok(), r.log());
        assertTrue(Ptxas.explain(bad, r.log()).contains("| frobnicate.f32 %f1;"), Ptxas.explain(bad, r.log()));
        assertEquals(List.of(new Ptxas.KernelStats("tsr_k", 16, 640, 0, 4, 8)), Ptxas.stats("""
                ptxas info    : Compiling entry function 'tsr_k' for 'sm_80'
                ptxas info    : Function properties for tsr_k
                    0 bytes stack frame, 4 bytes spill stores, 8 bytes spill loads
                ptxas info    : Used 16 registers, used 1 barriers, 640 bytes smem, 372 bytes cmem[0]
                """));
    }

    // helpers

    private static LoopKernel trivialKernel(String name) {
        return new LoopKernel(name, List.of(out("y", DType.F32)), List.of(), List.of(lit(1)), List.of(1),
                List.of(new Stmt.Store("y", lit(0), flit(1))));
    }

    private static String emitStore(List<LoopParam> params, String out, Expr value) {
        return PtxEmitter.emit(program("e", elementwise("e", params, out, value)));
    }

    private static void assertContains(List<LoopParam> params, String out, Expr value, String... regexes) {
        String ptx = emitStore(params, out, value);
        for (String r : regexes) {
            assertTrue(Pattern.compile(r).matcher(ptx).find(), () -> "no match for " + r + " in\n" + ptx);
        }
        PtxasCheck.assembles(ptx, PtxArch.SM_80);
    }

    private static void assertNotContains(List<LoopParam> params, String out, Expr value, String regex) {
        String ptx = emitStore(params, out, value);
        String body = ptx.substring(ptx.indexOf("{"));
        // The bounds check of elementwise() is one setp; anything more would be the guard.
        assertEquals(1, count(body, regex), ptx);
    }

    static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * Every identifier outside comments is PTX vocabulary, a register, a label, or carries one of the
     * emitter's prefixes; so no DSL name reached PTX unprefixed.
     */
    private static void assertOnlySafeIdentifiers(String ptx) {
        String code = ptx.replaceAll("//[^\n]*", "");
        Matcher m = Pattern.compile("(?<![.%$\\w])[A-Za-z_][A-Za-z0-9_]*").matcher(code);
        Set<String> bad = new TreeSet<>();
        while (m.find()) {
            String id = m.group();
            boolean ours = id.matches("(b|d|s|tsr|tsrx)_[A-Za-z0-9_]+") && !id.contains("__");
            boolean opcode = id.matches("[a-z][a-z0-9]*|sm_[0-9]+");
            if (!ours && !opcode) {
                bad.add(id);
            }
        }
        assertTrue(bad.isEmpty(), "unexpected identifiers " + bad + " in\n" + ptx);
    }
}
