package dev.tessera.frontend;

import static dev.tessera.frontend.Compile.first;
import static dev.tessera.frontend.Compile.resultInstr;
import static dev.tessera.frontend.Compile.resultType;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.ir.ReduceOp;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reductions, matmul, transpose, reshape and broadcast_to: result types and normalised attributes. */
class ShapeOpsTest {

    private static Op.Reduce reduce(String call, String resultType) {
        GraphKernel k = first("kernel k(x: f32[B, N, D]) -> " + resultType + " { return " + call + " }");
        return (Op.Reduce) resultInstr(k).op();
    }

    @Test
    void reductions() {
        assertEquals(List.of(0, 1, 2), reduce("sum(x)", "f32[]").axes());
        assertEquals(List.of(2), reduce("sum(x, axis=-1)", "f32[B, N]").axes());
        assertEquals(List.of(0, 2), reduce("max(x, axis=[-1, 0])", "f32[N]").axes());
        Op.Reduce keep = reduce("min(x, axis=1, keepdim=true)", "f32[B, 1, D]");
        assertEquals(List.of(1), keep.axes());
        assertEquals(true, keep.keepdim());
        assertEquals(ReduceOp.MIN, keep.op());
        assertEquals(ReduceOp.MEAN, reduce("mean(x, keepdim=true)", "f32[1, 1, 1]").op());
        assertEquals(List.of(), reduce("sum(x, axis=[])", "f32[B, N, D]").axes());
        assertEquals("i32[N]", resultType("kernel k(x: i32[N, D]) -> i32[N] { return sum(x, axis=1) }"));
    }

    @Test
    void matmulShapes() {
        assertEquals("f32[B, M, N]", resultType("kernel k(a: f32[B, M, K], b: f32[K, N]) -> f32[B, M, N] { return a @ b }"));
        assertEquals("f32[M]", resultType("kernel k(a: f32[M, K], b: f32[K]) -> f32[M] { return a @ b }"));
        assertEquals("f32[N]", resultType("kernel k(a: f32[K], b: f32[K, N]) -> f32[N] { return a @ b }"));
        assertEquals("f32[]", resultType("kernel k(a: f32[K], b: f32[K]) -> f32[] { return matmul(a, b) }"));
        assertEquals("f32[B, H, M, N]", resultType(
                "kernel k(a: f32[B, 1, M, K], b: f32[H, K, N]) -> f32[B, H, M, N] { return matmul(a, b) }"));
        assertEquals("f32[B, N]", resultType("kernel k(a: f32[K], b: f32[B, K, N]) -> f32[B, N] { return a @ b }"));
        assertEquals("i32[2, 4]", resultType("kernel k(a: i32[2, 3], b: i32[3, 4]) -> i32[2, 4] { return a @ b }"));
        GraphKernel k = first("kernel k(a: f32[M, K], b: f32[K, N]) -> f32[M, N] { return matmul(a, b) }");
        assertEquals(new Op.MatMul(k.params().get(0), k.params().get(1)), resultInstr(k).op());
    }

    @Test
    void transposes() {
        GraphKernel k = first("kernel k(x: f32[B, M, N]) -> f32[B, N, M] { return transpose(x) }");
        assertEquals(List.of(0, 2, 1), ((Op.Transpose) resultInstr(k).op()).perm());
        GraphKernel p = first("kernel k(x: f32[A, B, C]) -> f32[C, A, B] { return transpose(x, perm=[2, 0, -2]) }");
        assertEquals(List.of(2, 0, 1), ((Op.Transpose) resultInstr(p).op()).perm());
    }

    @Test
    void reshapes() {
        assertEquals("f32[D, N]", resultType("kernel k(x: f32[N, D]) -> f32[D, N] { return reshape(x, shape=[D, N]) }"));
        assertEquals("f32[6, N]", resultType("kernel k(x: f32[2, 3, N]) -> f32[6, N] { return reshape(x, shape=[6, N]) }"));
        assertEquals("f32[N, 2, 1, 2]",
                resultType("kernel k(x: f32[N, 4]) -> f32[N, 2, 1, 2] { return reshape(x, shape=[N, 2, 1, 2]) }"));
        assertEquals("f32[]", resultType("kernel k(x: f32[1, 1]) -> f32[] { return reshape(x, shape=[]) }"));
        GraphKernel k = first("kernel k(x: f32[N, D]) -> f32[D, N] { return reshape(x, shape=[D, N]) }");
        assertEquals(new Op.Reshape(k.params().getFirst()), resultInstr(k).op());
    }

    @Test
    void broadcastTo() {
        assertEquals("f32[N, D]",
                resultType("kernel k(x: f32[D], n: f32[N]) -> f32[N, D] { return broadcast_to(x, shape=[N, D]) }"));
        assertEquals("f32[B, N, 4]",
                resultType("kernel k(x: f32[1, 4], y: f32[B, N]) -> f32[B, N, 4] { return broadcast_to(x, shape=[B, N, 4]) }"));
    }
}
