package dev.tessera.codegen.ptx;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LBinOp;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LUnOp;
import java.util.Map;

/**
 * Emits loop-IR expressions as PTX, one fresh register per result, with Tessera's semantics where PTX's
 * differ: integer division by zero is 0 and INT_MIN / -1 wraps, float min/max propagate NaN, float to
 * integer truncates and saturates with NaN to 0, and bool != compares unordered (NaN != 0 is true).
 */
final class ExprEmitter {

    private final KernelScope scope;
    private final PtxCode code;
    private final Memory memory;
    private final FloatMath math;
    private final FloatRem rem;
    /** Values to use for given expressions instead of computing them (the warp reductions' operands). */
    private Map<Expr, Val> overrides = Map.of();

    ExprEmitter(KernelScope scope, Memory memory) {
        this.scope = scope;
        this.code = scope.code;
        this.memory = memory;
        this.math = new FloatMath(code);
        this.rem = new FloatRem(code);
    }

    Val emit(Expr e) {
        Val given = overrides.get(e);
        if (given != null) {
            return given;
        }
        return switch (e) {
            case Expr.Var v -> scope.lookup(v);
            case Expr.IntLit i -> Val.imm(i.type() == LType.I64 ? PtxLiterals.i64(i.value()) : PtxLiterals.i32(i.value()),
                    i.type());
            case Expr.FloatLit f -> Val.imm(f.type() == LType.F64 ? PtxLiterals.f64(f.value()) : PtxLiterals.f32(f.value()),
                    f.type());
            case Expr.BoolLit b -> {
                Val p = code.fresh(LType.BOOL);
                code.op("setp.ne.s32", p, b.value() ? 1 : 0, 0);
                yield p;
            }
            case Expr.Bin b -> binary(b);
            case Expr.Un u -> unary(u);
            case Expr.Select s -> select(s);
            case Expr.Conv c -> convert(emit(c.x()), c.to());
            case Expr.Load l -> convert(memory.load(l.array(), emit(l.index())), l.type());
            case Expr.Special s -> scope.special(s.reg(), s.dim());
        };
    }

    /** {@code e} with the given sub-expressions replaced by registers that already hold their values. */
    Val emitWith(Expr e, Map<Expr, Val> replacements) {
        Map<Expr, Val> before = overrides;
        overrides = replacements;
        try {
            return emit(e);
        } finally {
            overrides = before;
        }
    }

    /** {@code e} converted to {@code t}: well-typed IR needs no conversion, but one costs nothing. */
    Val emit(Expr e, LType t) {
        return convert(emit(e), t);
    }

    private Val binary(Expr.Bin b) {
        LType t = b.a().type();
        if (t.isFloat() && (b.op() == LBinOp.ADD || b.op() == LBinOp.SUB)) {
            Val fused = contract(b, t);
            if (fused != null) {
                return fused;
            }
        }
        Val x = emit(b.a());
        Val y = emit(b.b());
        if (x.type() != y.type()) {
            throw scope.bad("operands of " + b.op().irName() + " have types " + x.type().irName() + " and "
                    + y.type().irName());
        }
        String a = t == LType.BOOL ? null : PtxTypes.arith(t);
        String rn = t.isFloat() ? ".rn" : "";
        return switch (b.op()) {
            case ADD -> op("add" + rn + numeric(t, b), t, x, y);
            case SUB -> op("sub" + rn + numeric(t, b), t, x, y);
            case MUL -> op((t.isFloat() ? "mul.rn" : "mul.lo") + numeric(t, b), t, x, y);
            case DIV -> t.isFloat() ? op("div.rn" + a, t, x, y) : intDivide(x, y, false, numeric(t, b));
            case REM -> t.isFloat() ? rem.rem(x, y) : intDivide(x, y, true, numeric(t, b));
            case MIN -> minMax(t, "min", x, y);
            case MAX -> minMax(t, "max", x, y);
            case LT, LE, GT, GE, EQ, NE -> compare(b.op(), t, x, y);
            case AND -> logic(t, "and", x, y, b);
            case OR -> logic(t, "or", x, y, b);
        };
    }

    /**
     * {@code a * b + c} (and the forms with -) as one fma.rn, as C contracts within an expression by default.
     * Everything else uses .rn forms, which ptxas must not contract, so results do not depend on its choices.
     */
    private Val contract(Expr.Bin b, LType t) {
        String s = PtxTypes.arith(t);
        boolean sub = b.op() == LBinOp.SUB;
        if (b.a() instanceof Expr.Bin m && m.op() == LBinOp.MUL) {
            Val x = emit(m.a());
            Val y = emit(m.b());
            Val c = emit(b.b());
            if (sub) {
                c = op("neg" + s, t, code.inReg(c));
            }
            return op("fma.rn" + s, t, x, y, c);
        }
        if (b.b() instanceof Expr.Bin m && m.op() == LBinOp.MUL) {
            Val c = emit(b.a());
            Val x = emit(m.a());
            Val y = emit(m.b());
            if (sub) {
                x = op("neg" + s, t, code.inReg(x));
            }
            return op("fma.rn" + s, t, x, y, c);
        }
        return null;
    }

    private String numeric(LType t, Expr.Bin b) {
        if (t == LType.BOOL) {
            throw scope.bad("'" + b.op().irName() + "' of bool values; it needs numeric operands");
        }
        return PtxTypes.arith(t);
    }

    /**
     * Tessera's integer division: x / 0 = 0 and x % 0 = 0 (PTX leaves both undefined), x / -1 = -x wrapping
     * (INT_MIN / -1 overflows in hardware) and x % -1 = 0. A constant divisor other than 0 and -1 needs none of it.
     */
    private Val intDivide(Val x, Val y, boolean remainder, String s) {
        LType t = x.type();
        String opcode = (remainder ? "rem" : "div") + s;
        if (y.immediate()) {
            long d = PtxLiterals.value(y);
            if (d != 0 && d != -1) {
                return op(opcode, t, x, y);
            }
        }
        String b = PtxTypes.bits(t);
        Val zero = op("setp.eq" + s, LType.BOOL, y, 0);
        Val minusOne = op("setp.eq" + s, LType.BOOL, y, -1);
        Val special = op("or.pred", LType.BOOL, zero, minusOne);
        Val safe = op("selp" + b, t, 1, y, special);
        Val q = op(opcode, t, x, safe);
        if (remainder) {
            return op("selp" + b, t, 0, q, special);
        }
        Val negated = op("neg" + s, t, code.inReg(x));
        Val r = op("selp" + b, t, negated, q, minusOne);
        return op("selp" + b, t, 0, r, zero);
    }

    private Val minMax(LType t, String which, Val x, Val y) {
        return switch (t) {
            // sm_80's .NaN form returns NaN when either operand is; the plain form returns the other one.
            case F32 -> op(which + ".NaN.f32", t, x, y);
            case F64 -> {
                Val m = op(which + ".f64", t, x, y);
                Val nan = op("setp.nan.f64", LType.BOOL, x, y);
                yield op("selp.f64", t, PtxTypes.constant(t, Double.NaN), m, nan);
            }
            case I32, I64 -> op(which + PtxTypes.arith(t), t, x, y);
            // Not valid IR (the verifier wants numbers), but its meaning is plain: min is and, max is or.
            case BOOL -> op((which.equals("min") ? "and" : "or") + ".pred", t, x, y);
        };
    }

    private Val compare(LBinOp op, LType t, Val x, Val y) {
        if (t == LType.BOOL) {
            Val ne = op("xor.pred", LType.BOOL, x, y);
            return switch (op) {
                case NE -> ne;
                case EQ -> op("not.pred", LType.BOOL, ne);
                default -> throw scope.bad("'" + op.irName() + "' of bool values; it needs numeric operands");
            };
        }
        String cmp = switch (op) {
            case LT -> "lt";
            case LE -> "le";
            case GT -> "gt";
            case GE -> "ge";
            case EQ -> "eq";
            // Ordered ne is false for a NaN operand; Tessera's != is true then, which is unordered neu.
            case NE -> t.isFloat() ? "neu" : "ne";
            default -> throw new IllegalStateException(op.irName());
        };
        return op("setp." + cmp + PtxTypes.arith(t), LType.BOOL, x, y);
    }

    private Val logic(LType t, String which, Val x, Val y, Expr.Bin b) {
        return switch (t) {
            case BOOL -> op(which + ".pred", t, x, y);
            case I32, I64 -> op(which + PtxTypes.bits(t), t, x, y);
            case F32, F64 -> throw scope.bad("'" + b.op().irName() + "' of " + t.irName()
                    + " values; it needs bool or integer operands");
        };
    }

    private Val unary(Expr.Un u) {
        LType t = u.x().type();
        Val x = emit(u.x());
        return switch (u.op()) {
            case NEG -> {
                if (t == LType.BOOL) {
                    throw scope.bad("'neg' of a bool value; it needs a numeric operand");
                }
                yield op("neg" + PtxTypes.arith(t), t, code.inReg(x));
            }
            case NOT -> switch (t) {
                case BOOL -> op("not.pred", t, x);
                case I32, I64 -> op("not" + PtxTypes.bits(t), t, code.inReg(x));
                default -> throw scope.bad("'not' of a " + t.irName() + " value; it needs bool or an integer");
            };
            case ABS -> switch (t) {
                case F32, F64 -> op("abs" + PtxTypes.arith(t), t, code.inReg(x));
                // max(x, -x): wraps at INT_MIN like the reference, whatever abs.s32 does there.
                case I32, I64 -> op("max" + PtxTypes.arith(t), t, x,
                        op("neg" + PtxTypes.arith(t), t, code.inReg(x)));
                case BOOL -> throw scope.bad("'abs' of a bool value; it needs a numeric operand");
            };
            case SQRT -> op("sqrt.rn" + floatOnly(t, u), t, code.inReg(x));
            // f32: rsqrt.approx (relative error about 2^-23, NVIDIA documents 2 ulp); f64 has only a coarse
            // approximation, so 1/sqrt correctly rounded twice, which is what the reference computes.
            case RSQRT -> t == LType.F32 ? op("rsqrt.approx" + floatOnly(t, u), t, code.inReg(x))
                    : op("div.rn.f64", t, PtxTypes.constant(t, 1), op("sqrt.rn" + floatOnly(t, u), t, code.inReg(x)));
            case EXP -> math.exp(reg(x, t, u));
            case LOG -> math.log(reg(x, t, u));
            case TANH -> math.tanh(reg(x, t, u));
            case ERF -> math.erf(reg(x, t, u));
            case ROUND_F16 -> roundHalf(reg(x, t, u), false);
            case ROUND_BF16 -> roundHalf(reg(x, t, u), true);
        };
    }

    private Val reg(Val x, LType t, Expr.Un u) {
        floatOnly(t, u);
        return Val.reg(code.inReg(x), t);
    }

    private String floatOnly(LType t, Expr.Un u) {
        if (!t.isFloat()) {
            throw scope.bad("'" + u.op().irName() + "' of a " + t.irName() + " value; it is defined on floats only");
        }
        return PtxTypes.arith(t);
    }

    /** An f32 (or f64, through f32 as the reference rounds) rounded to the nearest f16 or bf16, kept in its type. */
    private Val roundHalf(Val x, boolean bf16) {
        Val f = x.type() == LType.F64 ? op("cvt.rn.f32.f64", LType.F32, x) : x;
        Val r;
        if (bf16) {
            String bits = memory.bf16Bits(f);
            String wide = code.fresh(RegClass.B32);
            code.op("shl.b32", wide, bits, 16);
            r = op("mov.b32", LType.F32, wide);
        } else {
            String h = code.fresh(RegClass.B16);
            code.op("cvt.rn.f16.f32", h, f);
            r = op("cvt.f32.f16", LType.F32, h);
        }
        return x.type() == LType.F64 ? op("cvt.f64.f32", LType.F64, r) : r;
    }

    /**
     * {@code c ? a : b} evaluates only the chosen operand in the reference; when an operand loads memory
     * (perhaps out of bounds where not chosen), only branches give that. Otherwise both are computed and
     * {@code selp} picks one, which ptxas schedules better.
     */
    private Val select(Expr.Select s) {
        LType t = s.a().type();
        Val c = emit(s.cond());
        if (loads(s.a()) || loads(s.b())) {
            Val result = code.fresh(t);
            String otherwise = code.label("sel_else");
            String done = code.label("sel_done");
            code.branchIf(c.text(), true, otherwise);
            code.op("mov" + PtxTypes.bits(t), result, emit(s.a(), t));
            code.branch(done);
            code.place(otherwise);
            code.op("mov" + PtxTypes.bits(t), result, emit(s.b(), t));
            code.place(done);
            return result;
        }
        Val a = emit(s.a(), t);
        Val b = emit(s.b(), t);
        if (t == LType.BOOL) {
            // selp has no predicate form: (c and a) or (not c and b).
            Val nc = op("not.pred", t, c);
            return op("or.pred", t, op("and.pred", t, c, a), op("and.pred", t, nc, b));
        }
        return op("selp" + PtxTypes.bits(t), t, a, b, c);
    }

    private static boolean loads(Expr e) {
        return switch (e) {
            case Expr.Load l -> true;
            case Expr.Bin b -> loads(b.a()) || loads(b.b());
            case Expr.Un u -> loads(u.x());
            case Expr.Select s -> loads(s.cond()) || loads(s.a()) || loads(s.b());
            case Expr.Conv c -> loads(c.x());
            case Expr.Var v -> false;
            case Expr.IntLit i -> false;
            case Expr.FloatLit f -> false;
            case Expr.BoolLit b -> false;
            case Expr.Special s -> false;
        };
    }

    /** Conversion with the IR's rules: float to int truncates and saturates (NaN to 0), to bool is != 0. */
    Val convert(Val x, LType to) {
        LType from = x.type();
        if (from == to) {
            return x;
        }
        if (from == LType.BOOL) {
            return switch (to) {
                case I32, I64, F32, F64 -> op("selp" + PtxTypes.bits(to), to, PtxTypes.constant(to, 1),
                        PtxTypes.constant(to, 0), x);
                case BOOL -> x;
            };
        }
        if (to == LType.BOOL) {
            return op("setp." + (from.isFloat() ? "neu" : "ne") + PtxTypes.arith(from), LType.BOOL, x,
                    PtxTypes.constant(from, 0));
        }
        String src = code.inReg(x);
        if (from.isFloat() && !to.isFloat()) {
            // cvt.rzi saturates to the integer range; NaN is mapped to 0 explicitly rather than relying on it.
            Val i = op("cvt.rzi" + PtxTypes.arith(to) + PtxTypes.arith(from), to, src);
            Val nan = op("setp.nan" + PtxTypes.arith(from), LType.BOOL, src, src);
            return op("selp" + PtxTypes.bits(to), to, 0, i, nan);
        }
        String rounding = switch (to) {
            // f32 to f64 is exact and takes no rounding mode; integer to float always names one in PTX.
            // Narrowing i64 to i32 keeps the low half, i.e. wraps.
            case F64 -> from == LType.F32 ? "" : ".rn";
            case F32 -> ".rn";
            case I32, I64 -> "";
            case BOOL -> throw new IllegalStateException();
        };
        String toType = to == LType.I32 && from == LType.I64 ? ".u32" : PtxTypes.arith(to);
        String fromType = to == LType.I32 && from == LType.I64 ? ".u64" : PtxTypes.arith(from);
        return op("cvt" + rounding + toType + fromType, to, src);
    }

    private Val op(String opcode, LType result, Object... sources) {
        Val d = code.fresh(result);
        Object[] operands = new Object[sources.length + 1];
        operands[0] = d;
        System.arraycopy(sources, 0, operands, 1, sources.length);
        code.op(opcode, operands);
        return d;
    }
}
