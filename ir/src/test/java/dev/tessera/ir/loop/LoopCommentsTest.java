package dev.tessera.ir.loop;

import static dev.tessera.ir.loop.LoopIr.bin;
import static dev.tessera.ir.loop.LoopIr.i32;
import static dev.tessera.ir.loop.LoopIr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tests the IR-spelled launch sizes that open generated kernels. */
class LoopCommentsTest {

    @Test
    void sizesParenthesiseNestedOperationsOnly() {
        Expr n = i32("n");
        assertEquals("n", LoopComments.size(n));
        assertEquals("(n + 63) / 64", LoopComments.size(bin(LBinOp.DIV, bin(LBinOp.ADD, n, lit(63)), lit(64))));
        assertEquals("min(n * 2, 7)", LoopComments.size(bin(LBinOp.MIN, bin(LBinOp.MUL, n, lit(2)), lit(7))));
    }
}
