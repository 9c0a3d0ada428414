package dev.tessera.codegen.opencl;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LType;
import dev.tessera.ir.loop.LUnOp;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.SpecialReg;

/**
 * Writes loop-IR expressions as OpenCL C with only the parentheses C's precedence needs, and with
 * Tessera's semantics where C's differ (integer division by zero, NaN in min/max, saturating casts).
 */
final class ExprWriter {

    /** C text with the precedence of its outermost operator; higher binds tighter. */
    record Code(String text, int prec) {}

    static final int COND = 3;
    static final int LOR = 4;
    static final int LAND = 5;
    static final int EQUALITY = 9;
    static final int RELATIONAL = 10;
    static final int ADDITIVE = 12;
    static final int MULTIPLICATIVE = 13;
    static final int UNARY = 14;
    static final int PRIMARY = 16;

    private final KernelScope scope;

    ExprWriter(KernelScope scope) {
        this.scope = scope;
    }

    /** The expression as a complete C expression (for a statement or a function argument). */
    String text(Expr e) {
        return write(e).text();
    }

    Code write(Expr e) {
        return switch (e) {
            case Expr.Var v -> primary(scope.varName(v.name()));
            case Expr.IntLit i -> primary(i.type() == LType.I64 ? CLiterals.i64(i.value()) : CLiterals.i32(i.value()));
            case Expr.FloatLit f -> primary(f.type() == LType.F64 ? f64Literal(f.value()) : CLiterals.f32(f.value()));
            case Expr.BoolLit b -> primary(b.value() ? "true" : "false");
            case Expr.Bin b -> binary(b);
            case Expr.Un u -> unary(u);
            case Expr.Select s -> new Code(
                    wrap(write(s.cond()), COND + 1) + " ? " + wrap(write(s.a()), COND + 1) + " : "
                            + wrap(write(s.b()), COND + 1),
                    COND);
            case Expr.Conv c -> convert(write(c.x()), c.x().type(), c.to());
            case Expr.Load l -> load(l);
            case Expr.Special s -> cast("int", call(builtinOf(s.reg()), Integer.toString(s.dim())));
        };
    }

    private String f64Literal(double v) {
        scope.ctype(LType.F64);
        return CLiterals.f64(v);
    }

    private static String builtinOf(SpecialReg r) {
        return switch (r) {
            case GLOBAL_ID -> "get_global_id";
            case LOCAL_ID -> "get_local_id";
            case GROUP_ID -> "get_group_id";
            case LOCAL_SIZE -> "get_local_size";
            case NUM_GROUPS -> "get_num_groups";
        };
    }

    private Code binary(Expr.Bin b) {
        Code x = write(b.a());
        Code y = write(b.b());
        LType t = b.a().type();
        return switch (b.op()) {
            case ADD -> infix(x, "+", y, ADDITIVE);
            case SUB -> infix(x, "-", y, ADDITIVE);
            case MUL -> infix(x, "*", y, MULTIPLICATIVE);
            case DIV -> t.isFloat() ? infix(x, "/", y, MULTIPLICATIVE)
                    : call(scope.helper(t == LType.I64 ? Helper.DIV_I64 : Helper.DIV_I32), x.text(), y.text());
            case REM -> t.isFloat() ? call("fmod", x.text(), y.text())
                    : call(scope.helper(t == LType.I64 ? Helper.REM_I64 : Helper.REM_I32), x.text(), y.text());
            case MIN -> minMax(t, false, x, y);
            case MAX -> minMax(t, true, x, y);
            case LT -> infix(x, "<", y, RELATIONAL);
            case LE -> infix(x, "<=", y, RELATIONAL);
            case GT -> infix(x, ">", y, RELATIONAL);
            case GE -> infix(x, ">=", y, RELATIONAL);
            case EQ -> infix(x, "==", y, EQUALITY);
            case NE -> infix(x, "!=", y, EQUALITY);
            case AND -> infix(x, "&&", y, LAND);
            case OR -> infix(x, "||", y, LOR);
        };
    }

    private Code minMax(LType t, boolean max, Code x, Code y) {
        if (t.isFloat()) {
            Helper h = t == LType.F64 ? (max ? Helper.FMAX_F64 : Helper.FMIN_F64)
                    : (max ? Helper.FMAX_F32 : Helper.FMIN_F32);
            return call(scope.helper(h), x.text(), y.text());
        }
        if (t == LType.BOOL) {
            return infix(x, max ? "||" : "&&", y, max ? LOR : LAND);
        }
        return call(max ? "max" : "min", x.text(), y.text());
    }

    private Code unary(Expr.Un u) {
        Code x = write(u.x());
        LType t = u.x().type();
        return switch (u.op()) {
            case NEG -> prefix("-", x);
            case NOT -> {
                if (t != LType.BOOL) {
                    throw scope.bad("'not' of a " + t.irName() + " value; it is defined on bool only");
                }
                yield prefix("!", x);
            }
            case EXP -> math(t, u.op(), "exp", x);
            case LOG -> math(t, u.op(), "log", x);
            case SQRT -> math(t, u.op(), "sqrt", x);
            case RSQRT -> math(t, u.op(), "rsqrt", x);
            case TANH -> math(t, u.op(), "tanh", x);
            case ERF -> math(t, u.op(), "erf", x);
            case ROUND_F16 -> math(t, u.op(), scope.helper(Helper.ROUND_F16), x);
            case ROUND_BF16 -> math(t, u.op(), scope.helper(Helper.ROUND_BF16), x);
            // abs() of an int returns uint in OpenCL C; cast back so the result stays i32 (abs(INT_MIN) wraps).
            case ABS -> t.isFloat() ? call("fabs", x.text()) : cast(scope.ctype(t), call("abs", x.text()));
        };
    }

    private Code math(LType t, LUnOp op, String fn, Code x) {
        if (!t.isFloat()) {
            throw scope.bad("'" + op.irName() + "' of a " + t.irName() + " value; it is defined on floats only");
        }
        return call(fn, x.text());
    }

    /** Conversion with the IR's rules: float to int truncates and saturates (NaN is 0), to bool is != 0. */
    Code convert(Code x, LType from, LType to) {
        if (from == to) {
            return x;
        }
        return switch (to) {
            case BOOL -> infix(x, "!=", primary("0"), EQUALITY);
            case I32, I64 -> from.isFloat() ? call("convert_" + scope.ctype(to) + "_sat", x.text())
                    : cast(scope.ctype(to), x);
            case F32, F64 -> cast(scope.ctype(to), x);
        };
    }

    private Code load(Expr.Load l) {
        Code index = write(l.index());
        LocalArray local = scope.locals.get(l.array());
        if (local != null) {
            Code raw = primary(scope.localName(local.name()) + "[" + index.text() + "]");
            if (local.elem() == LType.BOOL) {
                raw = infix(raw, "!=", primary("0"), EQUALITY);
            }
            return convert(raw, local.elem(), l.type());
        }
        LoopParam.BufferParam b = scope.buffers.get(l.array());
        if (b == null) {
            throw scope.bad("load from '" + l.array() + "', which is neither a buffer parameter nor a local array");
        }
        String name = scope.bufferName(b.name());
        String element = name + "[" + index.text() + "]";
        Code raw = switch (b.elem()) {
            case F32, I32, F64 -> primary(element);
            case F16 -> call("vload_half", index.text(), name);
            case BF16 -> call(scope.helper(Helper.BF16_TO_F32), element);
            case BOOL -> infix(primary(element), "!=", primary("0"), EQUALITY);
        };
        return convert(raw, LType.computeTypeOf(b.elem()), l.type());
    }

    /** The statement storing {@code value} (converted to the array's compute type) at {@code index}. */
    String store(String array, Expr indexExpr, Expr valueExpr) {
        String index = text(indexExpr);
        LocalArray local = scope.locals.get(array);
        if (local != null) {
            Code v = convert(write(valueExpr), valueExpr.type(), local.elem());
            String value = local.elem() == LType.BOOL ? cast("uchar", v).text() : v.text();
            return scope.localName(array) + "[" + index + "] = " + value + ";";
        }
        LoopParam.BufferParam b = scope.buffers.get(array);
        if (b == null) {
            throw scope.bad("store to '" + array + "', which is neither a buffer parameter nor a local array");
        }
        if (!b.written()) {
            throw scope.bad("store to buffer '" + array + "', which the kernel does not declare as written");
        }
        String name = scope.bufferName(b.name());
        Code v = convert(write(valueExpr), valueExpr.type(), LType.computeTypeOf(b.elem()));
        return switch (b.elem()) {
            case F32, I32, F64 -> name + "[" + index + "] = " + v.text() + ";";
            // The rounding is spelled out (nearest even, as the reference rounds) rather than left to the
            // device's default mode.
            case F16 -> "vstore_half_rte(" + v.text() + ", " + index + ", " + name + ");";
            case BF16 -> name + "[" + index + "] = " + scope.helper(Helper.F32_TO_BF16) + "(" + v.text() + ");";
            case BOOL -> name + "[" + index + "] = " + cast("uchar", v).text() + ";";
        };
    }

    private static Code primary(String s) {
        return new Code(s, PRIMARY);
    }

    private static Code call(String fn, String... args) {
        return primary(fn + "(" + String.join(", ", args) + ")");
    }

    private static Code cast(String type, Code x) {
        return new Code("(" + type + ")" + wrap(x, UNARY), UNARY);
    }

    /** Unary operands of unary operators are parenthesised too, so "-" and "-x" never read as "--x". */
    private static Code prefix(String op, Code x) {
        return new Code(op + wrap(x, UNARY + 1), UNARY);
    }

    /**
     * A left-associative infix operator: the right operand needs a strictly tighter precedence. Operands
     * of ==, !=, && and || that are comparisons or logic get parentheses C does not need, for the reader.
     */
    private static Code infix(Code a, String op, Code b, int prec) {
        int left = prec <= EQUALITY ? ADDITIVE : prec;
        int right = prec <= EQUALITY ? ADDITIVE : prec + 1;
        return new Code(wrap(a, left) + " " + op + " " + wrap(b, right), prec);
    }

    private static String wrap(Code c, int minPrec) {
        return c.prec() >= minPrec ? c.text() : "(" + c.text() + ")";
    }
}
