package dev.tessera.ir.graph;

import dev.tessera.ir.TensorType;
import java.util.regex.Pattern;

/** An SSA value of graph IR: a name unique within its kernel (printed {@code %name}) and a tensor type. */
public record Value(String name, TensorType type) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]+");

    public Value {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad value name '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return "%" + name;
    }
}
