package dev.tessera.ir.graph;

import static dev.tessera.ir.graph.GraphRoundTripTest.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypeRulesTest {

    private static Value v(TensorType t) {
        return new Value("v", t);
    }

    private static TensorType ok(Op op) {
        return ok(op, null);
    }

    private static TensorType ok(Op op, TensorType declared) {
        TypeRules.Result r = TypeRules.infer(op, declared);
        return assertInstanceOf(TypeRules.Ok.class, r, r::toString).type();
    }

    private static String fail(Op op, TensorType declared) {
        return assertInstanceOf(TypeRules.Fail.class, TypeRules.infer(op, declared)).message();
    }

    @Test
    void binaryBroadcastsAndComparesToBool() {
        assertEquals(t(DType.F32, "N", "D"),
                ok(new Op.Binary(BinaryOp.ADD, v(t(DType.F32, "N", 1)), v(t(DType.F32, "D")))));
        assertEquals(t(DType.BOOL, 2, 3),
                ok(new Op.Binary(BinaryOp.GE, v(t(DType.I32, 2, 1)), v(t(DType.I32, 3)))));
        assertEquals(t(DType.F32, "N"), ok(new Op.Binary(BinaryOp.MUL, v(t(DType.F32, "N")), v(t(DType.F32)))));
        assertEquals("cannot broadcast [N] with [M]",
                fail(new Op.Binary(BinaryOp.ADD, v(t(DType.F32, "N")), v(t(DType.F32, "M"))), null));
        assertEquals(t(DType.BOOL, 4), ok(new Op.Binary(BinaryOp.EQ, v(t(DType.BOOL, 4)), v(t(DType.BOOL)))));
    }

    @Test
    void selectBroadcastsAllThree() {
        assertEquals(t(DType.F16, 2, "N", "D"), ok(new Op.Select(v(t(DType.BOOL, "N", 1)),
                v(t(DType.F16, 2, 1, "D")), v(t(DType.F16)))));
    }

    @Test
    void reduceWithAndWithoutKeepdim() {
        Value x = v(t(DType.F32, "B", "N", "D"));
        assertEquals(t(DType.F32, "B", 1, 1), ok(new Op.Reduce(ReduceOp.MAX, x, List.of(1, 2), true)));
        assertEquals(t(DType.F32, "N"), ok(new Op.Reduce(ReduceOp.SUM, x, List.of(0, 2), false)));
        assertEquals(t(DType.F32), ok(new Op.Reduce(ReduceOp.MEAN, x, List.of(0, 1, 2), false)));
        assertEquals(x.type(), ok(new Op.Reduce(ReduceOp.SUM, x, List.of(), false)));
    }

    @Test
    void matmulFollowsNumpy() {
        TensorType mk = t(DType.F32, "M", "K");
        TensorType kn = t(DType.F32, "K", "N");
        assertEquals(t(DType.F32, "M", "N"), ok(new Op.MatMul(v(mk), v(kn))));
        assertEquals(t(DType.F32, "B", 3, "M", "N"),
                ok(new Op.MatMul(v(t(DType.F32, "B", 1, "M", "K")), v(t(DType.F32, 3, "K", "N")))));
        assertEquals(t(DType.F32, "N"), ok(new Op.MatMul(v(t(DType.F32, "K")), v(kn))));
        assertEquals(t(DType.F32, "M"), ok(new Op.MatMul(v(mk), v(t(DType.F32, "K")))));
        assertEquals(t(DType.F32), ok(new Op.MatMul(v(t(DType.F32, "K")), v(t(DType.F32, "K")))));
        assertEquals(t(DType.F32, 5, "N"), ok(new Op.MatMul(v(t(DType.F32, "K")), v(t(DType.F32, 5, "K", "N")))));
        fail(new Op.MatMul(v(mk), v(t(DType.F32, "N", "K"))), null);
        fail(new Op.MatMul(v(t(DType.F32, 2, "M", "K")), v(t(DType.F32, 3, "K", "N"))), null);
        fail(new Op.MatMul(v(t(DType.F32)), v(kn)), null);
    }

    @Test
    void transposeCastAndGivenTypes() {
        assertEquals(t(DType.F32, "C", "A", "B"),
                ok(new Op.Transpose(v(t(DType.F32, "A", "B", "C")), List.of(2, 0, 1))));
        assertEquals(t(DType.BF16, "N"), ok(new Op.Cast(DType.BF16, v(t(DType.F32, "N")))));
        TensorType nd = t(DType.F32, "N", "D");
        assertEquals(t(DType.F32, 2, "D", 3, "N"), ok(new Op.Reshape(v(t(DType.F32, "N", 6, "D"))),
                t(DType.F32, 2, "D", 3, "N")));
        fail(new Op.Reshape(v(nd)), t(DType.F32, "N", "N"));
        fail(new Op.Reshape(v(nd)), t(DType.F16, "N", "D"));
        assertEquals(t(DType.F32, 0, "K"), ok(new Op.Reshape(v(t(DType.F32, "N", 0))), t(DType.F32, 0, "K")));
        assertEquals(t(DType.F32, 4, "N", "D"), ok(new Op.BroadcastTo(v(t(DType.F32, "N", 1))),
                t(DType.F32, 4, "N", "D")));
        fail(new Op.BroadcastTo(v(nd)), t(DType.F32, "D"));
        assertEquals(t(DType.I32), ok(new Op.Constant(-7), t(DType.I32)));
        fail(new Op.Constant(2), t(DType.BOOL));
    }
}
