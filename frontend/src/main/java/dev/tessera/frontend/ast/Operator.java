package dev.tessera.frontend.ast;

/** Binary operators as spelled in the DSL. */
public enum Operator {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), MATMUL("@"),
    LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!=");

    private final String spelling;

    Operator(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }

    public static Operator fromSpelling(String s) {
        for (Operator op : values()) {
            if (op.spelling.equals(s)) {
                return op;
            }
        }
        throw new IllegalArgumentException("not an operator: " + s);
    }
}
