package dev.tessera.codegen.ptx;

import dev.tessera.ir.loop.Expr;

/** A launch-size expression in IR spelling, for the comment above a kernel. */
final class SizeText {

    private SizeText() {}

    static String of(Expr e) {
        return PtxNames.commentSafe(describe(e, true));
    }

    private static String describe(Expr e, boolean top) {
        return switch (e) {
            case Expr.Var v -> v.name();
            case Expr.IntLit i -> Long.toString(i.value());
            case Expr.Bin b -> switch (b.op()) {
                case MIN, MAX -> b.op().irName() + "(" + describe(b.a(), true) + ", " + describe(b.b(), true) + ")";
                default -> {
                    String infix = describe(b.a(), false) + " " + symbol(b) + " " + describe(b.b(), false);
                    yield top ? infix : "(" + infix + ")";
                }
            };
            default -> e.toString();
        };
    }

    private static String symbol(Expr.Bin b) {
        return switch (b.op()) {
            case ADD -> "+";
            case SUB -> "-";
            case MUL -> "*";
            case DIV -> "/";
            case REM -> "%";
            default -> b.op().irName();
        };
    }
}
