package dev.tessera.ir.tile;

import dev.tessera.ir.DType;
import java.util.regex.Pattern;

/** An SSA value of a tile kernel's body: one element per domain point (printed {@code %name}). */
public record TValue(String name, DType dtype) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]+");

    public TValue {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad value name '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return "%" + name;
    }
}
