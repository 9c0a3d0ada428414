package dev.tessera.codegen.ptx;

import static dev.tessera.ir.loop.LoopIr.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import dev.tessera.ir.loop.LoopVerifier;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One kernel that uses every operator, unary function, conversion and select of loop IR on every scalar type
 * it is defined for, every storage type, shared arrays of every type, every launch coordinate and loops over
 * i32 and i64: valid IR (the verifier agrees) whose PTX ptxas must accept for every architecture. The DSL's
 * kernels do not reach all of these (i64, f64 math, float remainder).
 */
class OpCoverageTest {

    private static final List<LType> NUMERIC = List.of(LType.I32, LType.I64, LType.F32, LType.F64);
    private static final List<LType> ALL = List.of(LType.BOOL, LType.I32, LType.I64, LType.F32, LType.F64);

    @Test
    void everyOperationOnEveryTypeAssembles() {
        LoopProgram p = kitchenSink();
        assertEquals(List.of(), LoopVerifier.verify(p), "the test kernel itself must be valid loop IR");
        String ptx = PtxEmitter.emit(p);
        for (PtxArch arch : PtxArch.values()) {
            PtxasCheck.assembles(PtxEmitter.emit(p, arch), arch);
        }
        // Every math function appears once per float type.
        assertEquals(2, PtxEmitterTest.count(ptx, "\\$L_erf_cf_\\d+:") + PtxEmitterTest.count(ptx, "div\\.full\\.f32")
                / MathTables.ERF_CF_TERMS_F32);
    }

    private static LoopProgram kitchenSink() {
        Expr.Var i = i32("i");
        List<Stmt> body = new ArrayList<>();
        body.add(new Stmt.Decl(i, gid(0)));
        List<Expr> results = new ArrayList<>();
        for (LType t : ALL) {
            Expr x = valueOf(t, "xa", i);
            Expr y = valueOf(t, "xb", i);
            for (LBinOp op : LBinOp.values()) {
                if (allowed(op, t)) {
                    results.add(new Expr.Bin(op, x, y));
                }
            }
            for (LUnOp op : LUnOp.values()) {
                if (allowed(op, t)) {
                    results.add(new Expr.Un(op, x));
                }
            }
            for (LType to : ALL) {
                results.add(new Expr.Conv(to, x));
            }
            results.add(new Expr.Select(bin(LBinOp.LT, i, lit(7)), x, y));
            results.add(new Expr.Select(bin(LBinOp.LT, i, lit(7)), valueOf(t, "xa", lit(3)), y));
        }
        for (SpecialReg r : SpecialReg.values()) {
            results.add(new Expr.Special(r, 0));
            results.add(new Expr.Special(r, 1));
        }
        results.add(new Expr.IntLit(Long.MIN_VALUE, LType.I64));
        results.add(new Expr.IntLit(Integer.MIN_VALUE, LType.I32));
        results.add(new Expr.FloatLit(Double.NaN, LType.F64));
        results.add(new Expr.BoolLit(true));
        // Every result to an f64 output (bools through i32), so that nothing is dead.
        for (int r = 0; r < results.size(); r++) {
            Expr e = results.get(r);
            Expr asF64 = e.type() == LType.BOOL ? new Expr.Conv(LType.F64, new Expr.Conv(LType.I32, e))
                    : new Expr.Conv(LType.F64, e);
            body.add(new Stmt.Store("out", bin(LBinOp.ADD, bin(LBinOp.MUL, i, lit(results.size())), lit(r)), asF64));
        }
        // Shared arrays of every type, through a barrier; loops over i32 and i64.
        for (LType t : ALL) {
            String name = "sh_" + t.irName();
            body.add(new Stmt.Store(name, new Expr.Special(SpecialReg.LOCAL_ID, 0), valueOf(t, "xa", i)));
        }
        body.add(new Stmt.Barrier());
        for (LType t : ALL) {
            Expr v = new Expr.Load("sh_" + t.irName(), lit(1), t);
            body.add(new Stmt.Store("out", i, new Expr.Conv(LType.F64, t == LType.BOOL ? new Expr.Conv(LType.I32, v) : v)));
        }
        Expr.Var j = new Expr.Var("j", LType.I64);
        Expr.Var acc = new Expr.Var("acc", LType.I64);
        body.add(new Stmt.Decl(acc, new Expr.IntLit(0, LType.I64)));
        body.add(new Stmt.For(j, new Expr.IntLit(0, LType.I64), new Expr.Conv(LType.I64, i32("N")),
                new Expr.IntLit(3, LType.I64), List.of(new Stmt.Assign(acc, bin(LBinOp.ADD, acc,
                        new Expr.Conv(LType.I64, new Expr.Load("xi", j, LType.I32)))))));
        body.add(new Stmt.Store("out", new Expr.Conv(LType.I64, i), new Expr.Conv(LType.F64, acc)));
        body.add(new Stmt.Store("h", i, new Expr.Load("hf", i, LType.F32)));
        body.add(new Stmt.Store("bf", i, new Expr.Load("bfi", i, LType.F32)));
        body.add(new Stmt.Store("m", i, new Expr.Load("mi", i, LType.BOOL)));
        body.add(new Stmt.Store("o32", i, new Expr.Load("xi", i, LType.I32)));
        body.add(new Stmt.Store("of", i, new Expr.Load("xf", i, LType.F32)));

        List<LoopParam> params = new ArrayList<>();
        List<dev.tessera.ir.Buffer> inputs = new ArrayList<>();
        for (String[] b : new String[][] {{"xa_f", "f32"}, {"xb_f", "f32"}, {"xa_d", "f64"}, {"xb_d", "f64"},
            {"xa_i", "i32"}, {"xb_i", "i32"}, {"xa_b", "bool"}, {"xb_b", "bool"}, {"xi", "i32"}, {"xf", "f32"},
            {"hf", "f16"}, {"bfi", "bf16"}, {"mi", "bool"}}) {
            DType d = DType.parse(b[1]).orElseThrow();
            params.add(in(b[0], d));
            inputs.add(buffer(b[0], d, Dim.of("N")));
        }
        List<dev.tessera.ir.Buffer> outputs = new ArrayList<>();
        for (String[] b : new String[][] {{"out", "f64"}, {"h", "f16"}, {"bf", "bf16"}, {"m", "bool"}, {"o32", "i32"},
            {"of", "f32"}}) {
            DType d = DType.parse(b[1]).orElseThrow();
            params.add(out(b[0], d));
            outputs.add(buffer(b[0], d, Dim.of("N")));
        }
        params.add(new LoopParam.DimParam("N"));
        List<LocalArray> locals = ALL.stream().map(t -> new LocalArray("sh_" + t.irName(), t, 16)).toList();
        LoopKernel k = new LoopKernel("sink", params, locals, List.of(lit(64), lit(2)), List.of(16, 2), body);
        return new LoopProgram("sink", new BufferPlan(inputs, outputs, List.of(), List.of()), List.of(k));
    }

    /** An input value of type t: f32/f64/i32/bool from their buffers, i64 widened from i32. */
    private static Expr valueOf(LType t, String which, Expr index) {
        return switch (t) {
            case F32 -> new Expr.Load(which + "_f", index, LType.F32);
            case F64 -> new Expr.Load(which + "_d", index, LType.F64);
            case I32 -> new Expr.Load(which + "_i", index, LType.I32);
            case I64 -> new Expr.Conv(LType.I64, new Expr.Load(which + "_i", index, LType.I32));
            case BOOL -> new Expr.Load(which + "_b", index, LType.BOOL);
        };
    }

    /** What the verifier accepts: arithmetic on numbers, and/or on bool and ints, comparisons on all. */
    private static boolean allowed(LBinOp op, LType t) {
        return switch (op) {
            case AND, OR -> !t.isFloat();
            case EQ, NE -> true;
            default -> t != LType.BOOL;
        };
    }

    private static boolean allowed(LUnOp op, LType t) {
        return switch (op) {
            case NOT -> !t.isFloat();
            case NEG, ABS -> t != LType.BOOL;
            default -> t.isFloat();
        };
    }
}
