package dev.tessera.ir.loop;

import java.util.List;

/** A statement of loop IR. */
public sealed interface Stmt {

    /** Declares a new variable with its initial value. */
    record Decl(Expr.Var var, Expr init) implements Stmt {}

    record Assign(Expr.Var var, Expr value) implements Stmt {}

    /** Writes {@code value} (in the array's compute type) to element {@code index} of a buffer or local array. */
    record Store(String array, Expr index, Expr value) implements Stmt {}

    /** {@code for (var = lo; var < hi; var += step)}, step positive; var is declared by the loop. */
    record For(Expr.Var var, Expr lo, Expr hi, Expr step, List<Stmt> body) implements Stmt {
        public For {
            body = List.copyOf(body);
        }
    }

    record If(Expr cond, List<Stmt> then, List<Stmt> otherwise) implements Stmt {
        public If {
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }
    }

    /** Work-group barrier that also orders local memory; every thread of the group must reach it. */
    record Barrier() implements Stmt {}
}
