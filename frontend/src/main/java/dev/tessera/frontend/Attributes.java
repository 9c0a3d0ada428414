package dev.tessera.frontend;

import dev.tessera.frontend.ast.Expr;
import dev.tessera.ir.Dim;
import dev.tessera.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads the literal attributes of builtins ({@code axis=}, {@code keepdim=}, {@code perm=}, {@code shape=}) from
 * their expressions; each reader returns null after reporting, at the offending item, what is wrong.
 */
final class Attributes {

    private final Scope scope;

    Attributes(Scope scope) {
        this.scope = scope;
    }

    /** {@code axis=i} or {@code axis=[i, j]}, negative counting from the end; sorted, distinct, in range. */
    List<Integer> axes(Expr e, int rank) {
        List<Expr> items = e instanceof Expr.ListLit l ? l.items() : List.of(e);
        TreeSet<Integer> axes = new TreeSet<>();
        for (Expr item : items) {
            Integer a = axis(item, rank, "axis");
            if (a == null) {
                return null;
            }
            if (!axes.add(a)) {
                scope.diags().error(item.span(), "axis " + a + " is listed more than once");
                return null;
            }
        }
        return List.copyOf(axes);
    }

    /** {@code perm=[...]}: every axis of the input exactly once. */
    List<Integer> perm(Expr e, int rank) {
        if (!(e instanceof Expr.ListLit l)) {
            scope.diags().error(e.span(), "perm must be a list of axes such as [1, 0]");
            return null;
        }
        if (l.items().size() != rank) {
            scope.diags().error(e.span(), "perm must list all " + rank + " axes of the input, got "
                    + l.items().size());
            return null;
        }
        List<Integer> perm = new ArrayList<>();
        for (Expr item : l.items()) {
            Integer a = axis(item, rank, "perm entry");
            if (a == null) {
                return null;
            }
            if (perm.contains(a)) {
                scope.diags().error(item.span(), "perm is not a permutation: axis " + a + " appears twice");
                return null;
            }
            perm.add(a);
        }
        return perm;
    }

    private Integer axis(Expr e, int rank, String what) {
        if (!(e instanceof Expr.NumLit n) || n.isFloat()) {
            scope.diags().error(e.span(), what + " must be an integer literal");
            return null;
        }
        double a = n.value();
        if (a < -rank || a >= rank) {
            scope.diags().error(e.span(), what + " " + n.text() + " is out of range for a tensor of rank " + rank
                    + (rank == 0 ? "" : " (valid: " + -rank + " to " + (rank - 1) + ")"));
            return null;
        }
        int i = (int) a;
        return i < 0 ? i + rank : i;
    }

    /** {@code keepdim=true}: only the literals true and false. */
    Boolean flag(Expr e, String what) {
        if (e instanceof Expr.BoolLit b) {
            return b.value();
        }
        scope.diags().error(e.span(), what + " must be true or false");
        return null;
    }

    /** {@code shape=[2, N]}: integers and symbolic dim names. */
    Shape shape(Expr e) {
        if (!(e instanceof Expr.ListLit l)) {
            scope.diags().error(e.span(), "shape must be a list of dims such as [N, 4]");
            return null;
        }
        List<Dim> dims = new ArrayList<>();
        for (Expr item : l.items()) {
            switch (item) {
                case Expr.NumLit n when !n.isFloat() && n.value() >= 0 && n.value() <= Long.MAX_VALUE / 2 ->
                        dims.add(Dim.of((long) n.value()));
                case Expr.Name name -> dims.add(scope.dim(name.name()));
                default -> {
                    scope.diags().error(item.span(), "a dim of shape must be a non-negative integer or a symbolic"
                            + " name such as N");
                    return null;
                }
            }
        }
        return new Shape(dims);
    }
}
