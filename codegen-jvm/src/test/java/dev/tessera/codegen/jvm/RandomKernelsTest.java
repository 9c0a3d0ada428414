package dev.tessera.codegen.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.Shape;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LUnOp;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopInterpreter;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopPrinter;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.ir.loop.SpecialReg;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Random kernels of every scalar type, operator and statement form the emitters handle (no transcendental
 * math, so results are exact), with a barrier between a phase that fills local memory and one that reads other
 * work-items' elements, compared bit for bit with the loop interpreter.
 */
class RandomKernelsTest {

    private static final List<LType> TYPES = List.of(LType.I32, LType.I64, LType.F32, LType.F64, LType.BOOL);
    private static final int N = 45;
    private static final int WG = 8;

    private final List<Expr.Var> vars = new ArrayList<>();
    private SplittableRandom rnd;
    private int fresh;

    @RepeatedTest(40)
    void matchesTheInterpreter(RepetitionInfo info) {
        long seed = 0x7E55E7AL * info.getCurrentRepetition();
        rnd = new SplittableRandom(seed);
        LoopProgram p = program();
        HostTensor a = HostTensor.random(DType.F32, new long[] {N}, seed);
        HostTensor b = HostTensor.random(DType.I32, new long[] {N}, seed + 1);
        Map<String, Long> dims = Map.of("N", (long) N);
        List<HostTensor> want = LoopInterpreter.run(p, dims, List.of(a, b));
        assertEquals(want, JvmRun.run(p, dims, List.of(a, b), null), () -> "seed " + seed + "\n" + LoopPrinter.print(p));
    }

    private LoopProgram program() {
        Dim n = new Dim.Sym("N");
        Buffer a = new Buffer("a", new TensorType(DType.F32, Shape.of(n)));
        Buffer b = new Buffer("b", new TensorType(DType.I32, Shape.of(n)));
        List<Buffer> outs = new ArrayList<>();
        List<LoopParam> params = new ArrayList<>(List.of(new LoopParam.BufferParam("a", DType.F32, false),
                new LoopParam.BufferParam("b", DType.I32, false)));
        DType[] outTypes = {DType.F32, DType.I32, DType.F16, DType.BF16, DType.BOOL, DType.F64};
        for (int i = 0; i < outTypes.length; i++) {
            outs.add(new Buffer("o" + i, new TensorType(outTypes[i], Shape.of(n))));
            params.add(new LoopParam.BufferParam("o" + i, outTypes[i], true));
        }
        params.add(new LoopParam.DimParam("N"));
        Expr.Var gid = new Expr.Var("gid", LType.I32);
        Expr.Var lid = new Expr.Var("lid", LType.I32);
        Expr inRange = new Expr.Bin(LBinOp.LT, gid, new Expr.Var("N", LType.I32));
        vars.clear();
        vars.add(gid);
        vars.add(lid);
        List<Stmt> fill = new ArrayList<>();
        block(fill, 3);
        fill.add(new Stmt.Store("t", lid, expr(LType.F32, 3)));
        List<Stmt> body = new ArrayList<>(List.of(new Stmt.Decl(gid, new Expr.Special(SpecialReg.GLOBAL_ID, 0)),
                new Stmt.Decl(lid, new Expr.Special(SpecialReg.LOCAL_ID, 0))));
        body.add(new Stmt.If(inRange, fill, List.of(new Stmt.Store("t", lid, new Expr.FloatLit(0, LType.F32)))));
        body.add(new Stmt.Barrier());
        List<Stmt> use = new ArrayList<>();
        vars.subList(2, vars.size()).clear(); // what the first phase declared is out of scope now
        Expr neighbour = new Expr.Load("t", new Expr.Bin(LBinOp.REM, new Expr.Bin(LBinOp.ADD, lid,
                new Expr.IntLit(3, LType.I32)), new Expr.IntLit(WG, LType.I32)), LType.F32);
        Expr.Var nb = new Expr.Var("nb", LType.F32);
        use.add(new Stmt.Decl(nb, neighbour));
        vars.add(nb);
        block(use, 3);
        for (int i = 0; i < outTypes.length; i++) {
            use.add(new Stmt.Store("o" + i, gid, expr(LType.computeTypeOf(outTypes[i]), 3)));
        }
        body.add(new Stmt.If(inRange, use, List.of()));
        LoopKernel k = new LoopKernel("k", params, List.of(new LocalArray("t", LType.F32, WG)),
                List.of(new Expr.IntLit(48, LType.I32)), List.of(WG), body);
        return new LoopProgram("r", new BufferPlan(List.of(a, b), outs, List.of(), List.of()), List.of(k));
    }

    private void block(List<Stmt> out, int depth) {
        int count = 1 + rnd.nextInt(4);
        int scope = vars.size();
        for (int s = 0; s < count; s++) {
            int kind = depth <= 0 ? 0 : rnd.nextInt(5);
            switch (kind) {
                case 0, 1 -> {
                    LType t = TYPES.get(rnd.nextInt(TYPES.size()));
                    Expr.Var v = new Expr.Var("v" + fresh++, t);
                    out.add(new Stmt.Decl(v, expr(t, 3)));
                    vars.add(v);
                }
                case 2 -> {
                    List<Expr.Var> mutable = vars.stream().filter(v -> v.name().startsWith("v")).toList();
                    if (!mutable.isEmpty()) {
                        Expr.Var v = mutable.get(rnd.nextInt(mutable.size()));
                        out.add(new Stmt.Assign(v, expr(v.type(), 3)));
                    }
                }
                case 3 -> {
                    List<Stmt> then = new ArrayList<>();
                    List<Stmt> otherwise = new ArrayList<>();
                    block(then, depth - 1);
                    if (rnd.nextBoolean()) {
                        block(otherwise, depth - 1);
                    }
                    out.add(new Stmt.If(expr(LType.BOOL, 2), then, otherwise));
                }
                default -> {
                    Expr.Var i = new Expr.Var("i" + fresh++, rnd.nextBoolean() ? LType.I32 : LType.I64);
                    List<Stmt> loop = new ArrayList<>();
                    vars.add(i);
                    block(loop, depth - 1);
                    vars.remove(i);
                    out.add(new Stmt.For(i, intLit(i.type(), rnd.nextInt(3)), intLit(i.type(), 2 + rnd.nextInt(4)),
                            intLit(i.type(), 1 + rnd.nextInt(2)), loop));
                }
            }
        }
        vars.subList(scope, vars.size()).clear();
    }

    private static Expr intLit(LType t, long v) {
        return new Expr.IntLit(v, t);
    }

    private Expr expr(LType t, int depth) {
        if (depth <= 0 || rnd.nextInt(4) == 0) {
            return leaf(t);
        }
        int pick = rnd.nextInt(6);
        return switch (pick) {
            case 0 -> {
                LType from = TYPES.get(rnd.nextInt(TYPES.size()));
                yield new Expr.Conv(t, expr(from, depth - 1));
            }
            case 1 -> new Expr.Select(expr(LType.BOOL, depth - 1), expr(t, depth - 1), expr(t, depth - 1));
            case 2 -> unary(t, depth);
            default -> binary(t, depth);
        };
    }

    private Expr unary(LType t, int depth) {
        List<LUnOp> ops = switch (t) {
            case BOOL -> List.of(LUnOp.NOT);
            case I32, I64 -> List.of(LUnOp.NEG, LUnOp.ABS, LUnOp.NOT);
            case F32, F64 -> List.of(LUnOp.NEG, LUnOp.ABS, LUnOp.SQRT, LUnOp.ROUND_F16, LUnOp.ROUND_BF16);
        };
        return new Expr.Un(ops.get(rnd.nextInt(ops.size())), expr(t, depth - 1));
    }

    private Expr binary(LType t, int depth) {
        if (t == LType.BOOL) {
            if (rnd.nextBoolean()) {
                LBinOp op = rnd.nextBoolean() ? LBinOp.AND : LBinOp.OR;
                return new Expr.Bin(op, expr(LType.BOOL, depth - 1), expr(LType.BOOL, depth - 1));
            }
            LType operands = TYPES.get(rnd.nextInt(TYPES.size() - 1));
            List<LBinOp> cmp = List.of(LBinOp.LT, LBinOp.LE, LBinOp.GT, LBinOp.GE, LBinOp.EQ, LBinOp.NE);
            return new Expr.Bin(cmp.get(rnd.nextInt(cmp.size())), expr(operands, depth - 1), expr(operands, depth - 1));
        }
        List<LBinOp> ops = new ArrayList<>(List.of(LBinOp.ADD, LBinOp.SUB, LBinOp.MUL, LBinOp.DIV, LBinOp.REM,
                LBinOp.MIN, LBinOp.MAX));
        if (t.isInt()) {
            ops.add(LBinOp.AND);
            ops.add(LBinOp.OR);
        }
        return new Expr.Bin(ops.get(rnd.nextInt(ops.size())), expr(t, depth - 1), expr(t, depth - 1));
    }

    private Expr leaf(LType t) {
        List<Expr.Var> typed = vars.stream().filter(v -> v.type() == t).toList();
        int pick = rnd.nextInt(4);
        if (pick == 0 && !typed.isEmpty()) {
            return typed.get(rnd.nextInt(typed.size()));
        }
        Expr.Var gid = vars.getFirst();
        return switch (t) {
            case F32 -> pick == 1 ? new Expr.Load("a", gid, LType.F32) : new Expr.FloatLit(rnd.nextInt(-8, 9) * 0.75, t);
            case I32 -> pick == 1 ? new Expr.Load("b", gid, LType.I32) : pick == 2 ? gid : intLit(t, rnd.nextInt(-9, 10));
            case I64 -> intLit(t, rnd.nextBoolean() ? rnd.nextInt(-9, 10) : Long.MIN_VALUE + rnd.nextInt(3));
            case F64 -> new Expr.FloatLit(rnd.nextBoolean() ? rnd.nextInt(-8, 9) * 1.5 : Double.NaN, t);
            case BOOL -> new Expr.BoolLit(rnd.nextBoolean());
        };
    }
}
