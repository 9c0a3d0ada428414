package dev.tessera.ir.loop;

import dev.tessera.ir.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates random, well-typed loop kernels covering every expression and statement form, for round-trip and
 * verifier tests: the verifier must accept them and the printer and parser must reproduce them exactly.
 */
final class RandomLoopKernels {

    private static final LType[] TYPES = LType.values();
    private static final double[] FLOATS = {0.0, -0.0, 1.0, -2.5, 0.1, 1e-45, 3.4028234663852886E38, 1e300,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.30000000000000004};
    private static final long[] INTS = {0, 1, -1, 7, Integer.MAX_VALUE, Integer.MIN_VALUE};

    private final SplittableRandom r;
    private final List<List<Expr.Var>> scopes = new ArrayList<>();
    private int fresh;

    RandomLoopKernels(long seed) {
        this.r = new SplittableRandom(seed);
    }

    LoopKernel kernel() {
        scopes.clear();
        scopes.add(new ArrayList<>(List.of(new Expr.Var("N", LType.I32))));
        List<Stmt> body = block(0, 6);
        return new LoopKernel("k" + r.nextInt(100),
                List.of(new LoopParam.BufferParam("x", DType.F16, false), new LoopParam.BufferParam("y", DType.I32, true),
                        new LoopParam.BufferParam("z", DType.BOOL, true), new LoopParam.DimParam("N")),
                List.of(new LocalArray("arr", LType.F64, 4), new LocalArray("flags", LType.BOOL, 8)),
                List.of(bin(LBinOp.MUL, new Expr.Var("N", LType.I32), new Expr.IntLit(64, LType.I32))), List.of(64),
                body);
    }

    private List<Stmt> block(int depth, int n) {
        scopes.add(new ArrayList<>());
        List<Stmt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(stmt(depth));
        }
        scopes.removeLast();
        return out;
    }

    private Stmt stmt(int depth) {
        int pick = r.nextInt(depth < 2 ? 7 : 4);
        switch (pick) {
            case 0, 1 -> {
                LType t = TYPES[r.nextInt(TYPES.length)];
                Expr init = expr(t, 3);
                Expr.Var v = new Expr.Var("v" + fresh++, t);
                scopes.getLast().add(v);
                return new Stmt.Decl(v, init);
            }
            case 2 -> {
                List<Expr.Var> mutable = new ArrayList<>();
                scopes.forEach(mutable::addAll);
                mutable.removeIf(v -> v.name().equals("N") || v.name().startsWith("i"));
                if (mutable.isEmpty()) {
                    return new Stmt.Store("y", expr(LType.I32, 2), expr(LType.I32, 3));
                }
                Expr.Var v = mutable.get(r.nextInt(mutable.size()));
                return new Stmt.Assign(v, expr(v.type(), 3));
            }
            case 3 -> {
                return switch (r.nextInt(3)) {
                    case 0 -> new Stmt.Store("y", expr(LType.I32, 2), expr(LType.I32, 3));
                    case 1 -> new Stmt.Store("z", expr(LType.I32, 2), expr(LType.BOOL, 3));
                    default -> new Stmt.Store("arr", expr(LType.I32, 2), expr(LType.F64, 3));
                };
            }
            case 4 -> {
                LType t = r.nextBoolean() ? LType.I32 : LType.I64;
                Expr.Var v = new Expr.Var("i" + fresh++, t);
                Expr lo = expr(t, 2);
                Expr hi = expr(t, 2);
                Expr step = new Expr.IntLit(1 + r.nextInt(4), t);
                scopes.add(new ArrayList<>(List.of(v)));
                List<Stmt> body = block(depth + 1, 1 + r.nextInt(3));
                scopes.removeLast();
                return new Stmt.For(v, lo, hi, step, body);
            }
            case 5 -> {
                return new Stmt.If(expr(LType.BOOL, 3), block(depth + 1, 1 + r.nextInt(3)),
                        r.nextBoolean() ? List.of() : block(depth + 1, 1 + r.nextInt(2)));
            }
            default -> {
                // Only at the top: under a random condition a barrier could be one some threads skip.
                return depth == 0 ? new Stmt.Barrier() : new Stmt.Store("z", expr(LType.I32, 1), expr(LType.BOOL, 2));
            }
        }
    }

    Expr expr(LType t, int depth) {
        if (depth == 0 || r.nextInt(4) == 0) {
            return leaf(t);
        }
        int pick = r.nextInt(6);
        if (pick == 0) {
            LType c = TYPES[r.nextInt(TYPES.length)];
            return new Expr.Conv(t, expr(c, depth - 1));
        }
        if (pick == 1) {
            return new Expr.Select(expr(LType.BOOL, depth - 1), expr(t, depth - 1), expr(t, depth - 1));
        }
        if (t == LType.BOOL) {
            LType o = TYPES[r.nextInt(TYPES.length)];
            return switch (r.nextInt(4)) {
                case 0 -> new Expr.Un(LUnOp.NOT, expr(t, depth - 1));
                case 1 -> bin(r.nextBoolean() ? LBinOp.AND : LBinOp.OR, expr(t, depth - 1), expr(t, depth - 1));
                case 2 -> bin(r.nextBoolean() ? LBinOp.EQ : LBinOp.NE, expr(o, depth - 1), expr(o, depth - 1));
                default -> {
                    LType num = o == LType.BOOL ? LType.F32 : o;
                    LBinOp[] cmp = {LBinOp.LT, LBinOp.LE, LBinOp.GT, LBinOp.GE};
                    yield bin(cmp[r.nextInt(4)], expr(num, depth - 1), expr(num, depth - 1));
                }
            };
        }
        if (pick == 2) {
            List<LUnOp> ops = t.isFloat() ? List.of(LUnOp.values()).stream().filter(o -> o != LUnOp.NOT).toList()
                    : List.of(LUnOp.NEG, LUnOp.ABS, LUnOp.NOT);
            return new Expr.Un(ops.get(r.nextInt(ops.size())), expr(t, depth - 1));
        }
        LBinOp[] arith = {LBinOp.ADD, LBinOp.SUB, LBinOp.MUL, LBinOp.DIV, LBinOp.REM, LBinOp.MIN, LBinOp.MAX};
        return bin(arith[r.nextInt(arith.length)], expr(t, depth - 1), expr(t, depth - 1));
    }

    private Expr leaf(LType t) {
        List<Expr.Var> vars = new ArrayList<>();
        scopes.forEach(s -> s.stream().filter(v -> v.type() == t).forEach(vars::add));
        int pick = r.nextInt(4);
        if (pick == 0 && !vars.isEmpty()) {
            return vars.get(r.nextInt(vars.size()));
        }
        if (pick == 1) {
            switch (t) {
                case F32 -> {
                    return new Expr.Load("x", expr(LType.I32, 1), LType.F32);
                }
                case I32 -> {
                    return r.nextBoolean() ? new Expr.Load("y", expr(LType.I32, 1), LType.I32)
                            : new Expr.Special(SpecialReg.values()[r.nextInt(SpecialReg.values().length)], 0);
                }
                case F64 -> {
                    return new Expr.Load("arr", expr(LType.I32, 1), LType.F64);
                }
                case BOOL -> {
                    return new Expr.Load("flags", expr(LType.I32, 1), LType.BOOL);
                }
                default -> { }
            }
        }
        return switch (t) {
            case BOOL -> new Expr.BoolLit(r.nextBoolean());
            case I32, I64 -> new Expr.IntLit(INTS[r.nextInt(INTS.length)], t);
            case F32 -> new Expr.FloatLit((float) FLOATS[r.nextInt(FLOATS.length)], t);
            case F64 -> new Expr.FloatLit(FLOATS[r.nextInt(FLOATS.length)], t);
        };
    }

    private static Expr bin(LBinOp op, Expr a, Expr b) {
        return new Expr.Bin(op, a, b);
    }
}
