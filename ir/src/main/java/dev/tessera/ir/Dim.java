package dev.tessera.ir;

import java.util.regex.Pattern;

/** One dimension of a shape: a literal extent or a symbolic name bound at launch. */
public sealed interface Dim permits Dim.Lit, Dim.Sym {

    /** Symbolic dimension names as the DSL spells them; anything else is rejected at construction. */
    Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A literal extent, {@code >= 0}. */
    record Lit(long value) implements Dim {
        public Lit {
            if (value < 0) {
                throw new IllegalArgumentException("negative dimension " + value);
            }
        }

        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** A symbolic extent such as {@code N}; two dims unify only when their names are equal. */
    record Sym(String name) implements Dim {
        public Sym {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("bad dimension name '" + name + "'");
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Dim of(long value) {
        return new Lit(value);
    }

    static Dim of(String name) {
        return new Sym(name);
    }

    /** Parses the printed form: digits are literal, anything else a symbol. */
    static Dim parse(String s) {
        return !s.isEmpty() && Character.isDigit(s.charAt(0)) ? new Lit(Long.parseLong(s)) : new Sym(s);
    }

    default boolean isOne() {
        return this instanceof Lit l && l.value() == 1;
    }
}
