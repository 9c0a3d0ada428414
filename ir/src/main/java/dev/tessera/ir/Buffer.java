package dev.tessera.ir;

import java.util.regex.Pattern;

/** A tensor in device global memory, named within its program (printed {@code %name}). */
public record Buffer(String name, TensorType type) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]+");

    public Buffer {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad buffer name '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return "%" + name;
    }
}
