package dev.tessera.codegen.ascendc;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.UnaryOp;
import dev.tessera.ir.tile.TInstr;
import dev.tessera.ir.tile.TOp;
import dev.tessera.ir.tile.TValue;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the body of one Compute function: every tile value it needs, each once, as vector instructions on
 * unified-buffer temporaries (values that vary along the tile) or as scalar C++ (values constant along it:
 * broadcast loads, constants, reduction results). A temporary is handed back after its last use, so the
 * number of TBufs a kernel declares is the most values alive at once, not the number of values.
 */
final class ComputeWriter {

    private final ProgramEnv env;
    private final Map<String, TInstr> defs;
    private final Set<String> vector;
    private final Map<String, Access> loads;
    private final Scratch tile;
    private final Scratch scalarTile;
    /** The valid element count of the tile (C++), for element loops that must not touch the padding. */
    private final String len;
    private final Map<String, String> scalars = new HashMap<>();
    private final Map<String, String> vectors = new HashMap<>();
    private final Map<String, Integer> slots = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();
    private final Map<String, String> dequeued;
    private final Map<String, String> preferred = new HashMap<>();

    /**
     * @param vector names of the values that vary along the tile
     * @param loads the access of every load, by value name
     * @param dequeued for vector loads: the VECIN tensor (storage type) holding the tile
     */
    ComputeWriter(ProgramEnv env, Map<String, TInstr> defs, Set<String> vector, Map<String, Access> loads,
            Scratch tile, Scratch scalarTile, String len, Map<String, String> dequeued) {
        this.env = env;
        this.defs = defs;
        this.vector = vector;
        this.loads = loads;
        this.tile = tile;
        this.scalarTile = scalarTile;
        this.len = len;
        this.dequeued = dequeued;
    }

    void bindScalar(TValue v, String expr) {
        scalars.put(v.name(), expr);
    }

    void bindVector(TValue v, String tensor) {
        vectors.put(v.name(), tensor);
    }

    boolean isVector(TValue v) {
        return vector.contains(v.name());
    }

    /** Counts the uses of every vector value the roots need, so that temporaries are freed after the last. */
    void plan(List<TValue> roots) {
        Deque<TValue> work = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (TValue r : roots) {
            if (isVector(r)) {
                uses.merge(r.name(), 1, Integer::sum);
                work.push(r);
            }
        }
        while (!work.isEmpty()) {
            TValue v = work.pop();
            if (!seen.add(v.name()) || vectors.containsKey(v.name())) {
                continue;
            }
            for (TValue o : defs.get(v.name()).op().operands()) {
                if (isVector(o)) {
                    uses.merge(o.name(), 1, Integer::sum);
                    work.push(o);
                }
            }
        }
    }

    /** One use of {@code v} is over; its temporary goes back to the pool after the last. */
    void done(TValue v) {
        if (!isVector(v)) {
            return;
        }
        int left = uses.merge(v.name(), -1, Integer::sum);
        if (left == 0 && slots.containsKey(v.name())) {
            tile.pool.give(slots.get(v.name()));
        }
    }

    /**
     * Asks that {@code v} be computed straight into {@code tensor} (a VECOUT buffer of its compute type), saving
     * the copy; granted only when the store is its last and only use and an instruction computes it here.
     * Returns whether it was granted.
     */
    boolean prefer(TValue v, String tensor) {
        boolean ok = isVector(v) && !vectors.containsKey(v.name()) && uses.getOrDefault(v.name(), 0) == 1
                && !(defs.get(v.name()).op() instanceof TOp.Load) && !(defs.get(v.name()).op() instanceof TOp.Cast);
        if (ok) {
            preferred.put(v.name(), tensor);
        }
        return ok;
    }

    /** The tensor (compute type) holding {@code v} for the whole tile, writing what it needs. */
    String vec(TValue v) {
        String known = vectors.get(v.name());
        if (known != null) {
            return known;
        }
        if (!isVector(v)) {
            // a scalar where a tile is needed: broadcast it
            String d = result(v);
            tile.line("AscendC::Duplicate(" + d + ", " + scal(v) + ", " + tile.n + ");");
            return d;
        }
        TInstr def = defs.get(v.name());
        String d = switch (def.op()) {
            case TOp.Load l -> loadTile(v, l);
            case TOp.Unary u -> unary(v, u);
            case TOp.Binary b -> binary(v, b);
            case TOp.Select s -> select(v, s);
            case TOp.Cast c -> cast(v, c);
            case TOp.Const c -> throw new IllegalStateException("constant %" + v.name() + " classified as a tile");
            case TOp.Reduce r -> throw new IllegalStateException("reduction %" + v.name() + " not computed yet");
            case TOp.Dot dot -> throw new IllegalStateException("dot %" + v.name() + " not computed yet");
        };
        vectors.put(v.name(), d);
        return d;
    }

    private String result(TValue v) {
        String out = preferred.get(v.name());
        if (out != null) {
            return out;
        }
        Scratch.Temp t = tile.take(Cpp.compute(v.dtype()));
        slots.put(v.name(), t.slot());
        return t.name();
    }

    private String loadTile(TValue v, TOp.Load l) {
        String in = dequeued.get(v.name());
        if (in == null) {
            throw new IllegalStateException("tile load %" + v.name() + " of %" + l.buffer() + " was not copied in");
        }
        DType stored = env.buffer(l.buffer()).type().dtype();
        return switch (stored) {
            case F32, I32 -> in;
            case F16, BF16 -> {
                String d = result(v);
                tile.line("AscendC::Cast(" + d + ", " + in + ", AscendC::RoundMode::CAST_NONE, " + tile.n + ");");
                yield d;
            }
            case BOOL -> {
                // uint8 -> half -> float: the vector unit converts bytes only to half
                String d = result(v);
                Scratch.Temp h = tile.take("half");
                tile.line("AscendC::Cast(" + h.name() + ", " + in + ", AscendC::RoundMode::CAST_NONE, " + tile.n + ");");
                tile.line("AscendC::Cast(" + d + ", " + h.name() + ", AscendC::RoundMode::CAST_NONE, " + tile.n + ");");
                tile.give(h);
                yield d;
            }
            case F64 -> throw Cpp.unsupported("f64 tensors");
        };
    }

    private String unary(TValue v, TOp.Unary u) {
        String x = vec(u.x());
        String d = result(v);
        if (Cpp.isInt(u.x().dtype())) {
            VectorOps.intUnary(u.op(), d, x, tile);
        } else {
            VectorOps.floatUnary(u.op(), d, x, tile);
        }
        done(u.x());
        return d;
    }

    private String binary(TValue v, TOp.Binary b) {
        boolean isInt = Cpp.isInt(b.a().dtype());
        boolean exactInt = isInt && (b.op() == BinaryOp.DIV || b.op() == BinaryOp.MOD || b.op().isComparison());
        if (!exactInt) {
            String scalarForm = scalarForm(v, b, isInt);
            if (scalarForm != null) {
                return scalarForm;
            }
        }
        String a = vec(b.a());
        String c = vec(b.b());
        String d = result(v);
        if (exactInt) {
            // no exact vector form for i32 division, remainder or comparison: element loop on the scalar unit
            String ty = Cpp.compute(v.dtype());
            String i = tile.fresh("i");
            tile.line("tessera::sync_v_to_s();");
            tile.line("for (int32_t " + i + " = 0; " + i + " < " + len + "; " + i + "++) {");
            tile.line("    " + d + ".SetValue(" + i + ", (" + ty + ")" + ScalarOps.binary(b.op(), DType.I32,
                    a + ".GetValue(" + i + ")", c + ".GetValue(" + i + ")") + ");");
            tile.line("}");
            tile.line("tessera::sync_s_to_v();");
        } else if (isInt) {
            String fn = switch (b.op()) {
                case ADD -> "Add";
                case SUB -> "Sub";
                case MUL -> "Mul";
                case MAX -> "Max";
                case MIN -> "Min";
                default -> throw Cpp.unsupported(b.op().irName() + " of i32 tiles");
            };
            tile.line("AscendC::" + fn + "(" + d + ", " + a + ", " + c + ", " + tile.n + ");");
        } else {
            VectorOps.floatBinary(b.op(), d, a, c, tile);
        }
        done(b.a());
        done(b.b());
        return d;
    }

    /** Tile op scalar where Adds/Muls express it exactly; null where both sides must be tiles. */
    private String scalarForm(TValue v, TOp.Binary b, boolean isInt) {
        boolean aVec = isVector(b.a());
        boolean bVec = isVector(b.b());
        if (aVec == bVec) {
            return null;
        }
        TValue t = aVec ? b.a() : b.b();
        TValue s = aVec ? b.b() : b.a();
        String one = isInt ? "(int32_t)-1" : "-1.0f";
        String neg = isInt ? "tessera::ineg(" + scal(s) + ")" : "(-" + scal(s) + ")";
        String n = tile.n;
        switch (b.op()) {
            case ADD, MUL -> {
                String x = vec(t);
                String d = result(v);
                tile.line("AscendC::" + (b.op() == BinaryOp.ADD ? "Adds" : "Muls") + "(" + d + ", " + x + ", "
                        + scal(s) + ", " + n + ");");
                done(t);
                return d;
            }
            case SUB -> {
                String x = vec(t);
                String d = result(v);
                if (aVec) {
                    tile.line("AscendC::Adds(" + d + ", " + x + ", " + neg + ", " + n + ");");
                } else {
                    tile.line("AscendC::Muls(" + d + ", " + x + ", " + one + ", " + n + ");");
                    tile.line("AscendC::Adds(" + d + ", " + d + ", " + scal(s) + ", " + n + ");");
                }
                done(t);
                return d;
            }
            default -> {
                return null;
            }
        }
    }

    private String select(TValue v, TOp.Select s) {
        String c = vec(s.cond());
        String a = vec(s.a());
        String b = vec(s.b());
        String d = result(v);
        if (Cpp.isInt(v.dtype())) {
            String i = tile.fresh("i");
            tile.line("tessera::sync_v_to_s();");
            tile.line("for (int32_t " + i + " = 0; " + i + " < " + len + "; " + i + "++) {");
            tile.line("    " + d + ".SetValue(" + i + ", " + c + ".GetValue(" + i + ") != 0.0f ? " + a + ".GetValue(" + i
                    + ") : " + b + ".GetValue(" + i + "));");
            tile.line("}");
            tile.line("tessera::sync_s_to_v();");
        } else {
            VectorOps.floatSelect(d, c, a, b, tile);
        }
        done(s.cond());
        done(s.a());
        done(s.b());
        return d;
    }

    private String cast(TValue v, TOp.Cast c) {
        DType from = c.x().dtype();
        DType to = c.to();
        String x = vec(c.x());
        String n = tile.n;
        boolean fromInt = Cpp.isInt(from);
        if (to == DType.F32 && !fromInt || to == DType.I32 && fromInt || to == from && to != DType.F16 && to != DType.BF16) {
            // the value is already held in the target's compute type: alias the operand's tile
            Integer slot = slots.get(c.x().name());
            if (slot != null) {
                tile.pool.share(slot);
                slots.put(v.name(), slot);
            }
            done(c.x());
            return x;
        }
        String d = result(v);
        switch (to) {
            case F32, F16, BF16 -> {
                String f = x;
                if (fromInt) {
                    tile.line("AscendC::Cast(" + d + ", " + x + ", AscendC::RoundMode::CAST_NONE, " + n + ");");
                    f = d;
                }
                if (to != DType.F32) {
                    // round to the narrow type and back: the value keeps f16/bf16 precision, computed in f32
                    String narrow = Cpp.storage(to);
                    Scratch.Temp h = tile.take(narrow);
                    tile.line("AscendC::Cast(" + h.name() + ", " + f + ", AscendC::RoundMode::CAST_RINT, " + n + ");");
                    tile.line("AscendC::Cast(" + d + ", " + h.name() + ", AscendC::RoundMode::CAST_NONE, " + n + ");");
                    tile.give(h);
                } else if (!fromInt) {
                    throw new IllegalStateException("aliased above");
                }
            }
            case I32 -> tile.line("AscendC::Cast(" + d + ", " + x + ", AscendC::RoundMode::CAST_TRUNC, " + n + ");");
            case BOOL -> {
                String f = x;
                if (fromInt) {
                    Scratch.Temp t = tile.take("float");
                    tile.line("AscendC::Cast(" + t.name() + ", " + x + ", AscendC::RoundMode::CAST_NONE, " + n + ");");
                    VectorOps.nonZero(d, t.name(), tile);
                    tile.give(t);
                } else {
                    VectorOps.nonZero(d, f, tile);
                }
            }
            case F64 -> throw Cpp.unsupported("f64 values");
        }
        done(c.x());
        return d;
    }

    /** The scalar C++ expression (a const local) of a value constant along the tile. */
    String scal(TValue v) {
        String known = scalars.get(v.name());
        if (known != null) {
            return known;
        }
        if (isVector(v)) {
            throw new IllegalStateException("%" + v.name() + " varies along the tile; no scalar exists");
        }
        TInstr def = defs.get(v.name());
        String ty = Cpp.compute(v.dtype());
        String expr = switch (def.op()) {
            case TOp.Const c -> Cpp.literal(c.value(), v.dtype());
            case TOp.Load l -> {
                Access a = loads.get(v.name());
                String t = "tiling";
                yield ScalarOps.fromStorage(env.buffer(l.buffer()).type().dtype(),
                        "gm_" + env.id(l.buffer()) + ".GetValue(" + a.base(env, List.of(), t) + ")");
            }
            case TOp.Unary u -> u.op().needsFloat() && u.op() != UnaryOp.NOT
                    ? scalarMath(u.op(), scal(u.x()))
                    : ScalarOps.unary(u.op(), u.x().dtype(), scal(u.x()));
            case TOp.Binary b -> ScalarOps.binary(b.op(), b.a().dtype(), scal(b.a()), scal(b.b()));
            case TOp.Select s -> "(" + scal(s.cond()) + " != 0.0f ? " + scal(s.a()) + " : " + scal(s.b()) + ")";
            case TOp.Cast c -> ScalarOps.cast(c.x().dtype(), c.to(), scal(c.x()));
            case TOp.Reduce r -> throw new IllegalStateException("reduction %" + v.name() + " used before its phase");
            case TOp.Dot d -> throw new IllegalStateException("dot %" + v.name() + " used before it is computed");
        };
        if (def.op() instanceof TOp.Const) {
            scalars.put(v.name(), expr);
            return expr;
        }
        String name = tile.fresh("s");
        tile.line("const " + ty + " " + name + " = " + expr + ";");
        scalars.put(v.name(), name);
        return name;
    }

    /** exp, sqrt, ... of a scalar: the scalar unit has none, so it runs on a 64-element tile. */
    private String scalarMath(UnaryOp op, String x) {
        Scratch.Temp in = scalarTile.take("float");
        Scratch.Temp outT = scalarTile.take("float");
        scalarTile.line("AscendC::Duplicate(" + in.name() + ", " + x + ", " + scalarTile.n + ");");
        VectorOps.floatUnary(op, outT.name(), in.name(), scalarTile);
        scalarTile.line("tessera::sync_v_to_s();");
        String r = scalarTile.fresh("s");
        scalarTile.line("const float " + r + " = " + outT.name() + ".GetValue(0);");
        scalarTile.give(in);
        scalarTile.give(outT);
        return r;
    }
}
