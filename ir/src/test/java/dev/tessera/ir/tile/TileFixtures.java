package dev.tessera.ir.tile;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.Shape;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.UnaryOp;
import java.util.List;
import java.util.Map;

/** Tile programs built by hand for the printer, parser and verifier tests. */
final class TileFixtures {

    private TileFixtures() {}

    static final Dim N = new Dim.Sym("N");
    static final Dim D = new Dim.Sym("D");

    static Buffer buf(String name, DType dtype, Dim... dims) {
        return new Buffer(name, new TensorType(dtype, Shape.of(dims)));
    }

    static TValue f32(String name) {
        return new TValue(name, DType.F32);
    }

    static IndexTerm ax(int i) {
        return new IndexTerm.Axis(i);
    }

    static IndexTerm zero() {
        return new IndexTerm.Zero();
    }

    /** {@code out0 = x + b} with {@code b: f32[1, D]} broadcast over rows through a Zero index. */
    static TileProgram broadcastAdd() {
        BufferPlan plan = new BufferPlan(
                List.of(buf("x", DType.F32, N, D), buf("b", DType.F32, new Dim.Lit(1), D)),
                List.of(buf("out0", DType.F32, N, D)), List.of(), List.of());
        TileKernel k = new TileKernel("add_0", KernelKind.POINTWISE, List.of("x", "b"), List.of("out0"),
                new Domain(List.of(N, D), List.of()), new Schedule(Map.of("bx", 16, "by", 8)),
                List.of(new TInstr(f32("0"), new TOp.Load("x", List.of(ax(0), ax(1)))),
                        new TInstr(f32("1"), new TOp.Load("b", List.of(zero(), ax(1)))),
                        new TInstr(f32("2"), new TOp.Binary(BinaryOp.ADD, f32("0"), f32("1")))),
                List.of(new TStore("out0", List.of(ax(0), ax(1)), f32("2"))));
        return new TileProgram("add", plan, List.of(k));
    }

    /**
     * Softmax in two kernels through a temp and a view: a reduce kernel computing exp(x - max) and its row
     * sums, then a pointwise one dividing; exercises constants, casts, selects and comparisons too.
     */
    static TileProgram softmax() {
        Buffer e = buf("e", DType.F32, N, D);
        Buffer s = buf("s", DType.F32, N);
        Buffer sv = buf("sv", DType.F32, N, new Dim.Lit(1));
        BufferPlan plan = new BufferPlan(List.of(buf("x", DType.F32, N, D)), List.of(buf("out0", DType.F16, N, D)),
                List.of(e, s), List.of(new BufferPlan.View(sv, "s")));
        TileKernel k0 = new TileKernel("softmax_0", KernelKind.REDUCE, List.of("x"), List.of("e", "s"),
                new Domain(List.of(N), List.of(D)), new Schedule(Map.of("wg", 128)),
                List.of(new TInstr(f32("0"), new TOp.Load("x", List.of(ax(0), ax(1)))),
                        new TInstr(f32("1"), new TOp.Reduce(ReduceOp.MAX, f32("0"))),
                        new TInstr(f32("2"), new TOp.Binary(BinaryOp.SUB, f32("0"), f32("1"))),
                        new TInstr(f32("3"), new TOp.Unary(UnaryOp.EXP, f32("2"))),
                        new TInstr(f32("4"), new TOp.Reduce(ReduceOp.SUM, f32("3")))),
                List.of(new TStore("e", List.of(ax(0), ax(1)), f32("3")), new TStore("s", List.of(ax(0)), f32("4"))));
        TValue bool = new TValue("5", DType.BOOL);
        TValue half = new TValue("out", DType.F16);
        TileKernel k1 = new TileKernel("softmax_1", KernelKind.POINTWISE, List.of("e", "sv"), List.of("out0"),
                new Domain(List.of(N, D), List.of()), new Schedule(Map.of()),
                List.of(new TInstr(f32("0"), new TOp.Load("e", List.of(ax(0), ax(1)))),
                        new TInstr(f32("1"), new TOp.Load("sv", List.of(ax(0), zero()))),
                        new TInstr(f32("2"), new TOp.Binary(BinaryOp.DIV, f32("0"), f32("1"))),
                        new TInstr(f32("3"), new TOp.Const(0.0)),
                        new TInstr(f32("4"), new TOp.Const(-1.5e-7)),
                        new TInstr(bool, new TOp.Binary(BinaryOp.GT, f32("2"), f32("3"))),
                        new TInstr(f32("6"), new TOp.Select(bool, f32("2"), f32("4"))),
                        new TInstr(half, new TOp.Cast(DType.F16, f32("6")))),
                List.of(new TStore("out0", List.of(ax(0), ax(1)), half)));
        return new TileProgram("softmax", plan, List.of(k0, k1));
    }

    /** {@code c = a @ b} over the domain [M, N | K], with an f16 dot accumulating in f32. */
    static TileProgram matmul() {
        Dim m = new Dim.Sym("M");
        Dim n = new Dim.Sym("N");
        Dim kd = new Dim.Sym("K");
        BufferPlan plan = new BufferPlan(List.of(buf("a", DType.F16, m, kd), buf("b", DType.F16, kd, n)),
                List.of(buf("c", DType.F32, m, n)), List.of(), List.of());
        TValue a = new TValue("a", DType.F16);
        TValue b = new TValue("b", DType.F16);
        TileKernel k = new TileKernel("mm_0", KernelKind.MATMUL, List.of("a", "b"), List.of("c"),
                new Domain(List.of(m, n), List.of(kd)), new Schedule(Map.of("tm", 64, "tn", 64, "tk", 16)),
                List.of(new TInstr(a, new TOp.Load("a", List.of(ax(0), ax(2)))),
                        new TInstr(b, new TOp.Load("b", List.of(ax(2), ax(1)))),
                        new TInstr(f32("acc"), new TOp.Dot(a, b))),
                List.of(new TStore("c", List.of(ax(0), ax(1)), f32("acc"))));
        return new TileProgram("mm", plan, List.of(k));
    }
}
