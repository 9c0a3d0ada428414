package dev.tessera.runtime;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.Dim;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a program's symbolic dims from the shapes of the tensors it is given, and checks that every buffer
 * it will allocate can be indexed with i32 (the loop IR's index type).
 */
public final class ShapeBinder {

    /** The largest element count (and dim) i32 index arithmetic can address. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE;

    private ShapeBinder() {}

    /**
     * The value of every symbolic dim, in order of first appearance among the inputs.
     *
     * @throws IllegalArgumentException when the inputs do not match the program's inputs (count, dtype,
     *     rank, a literal extent, or one symbol bound to two values), a dim used elsewhere is not fixed by
     *     the inputs, or a buffer would exceed {@link #MAX_ELEMENTS}
     */
    public static Map<String, Long> bind(LoopProgram p, List<HostTensor> inputs) {
        BufferPlan plan = p.buffers();
        List<Buffer> params = plan.inputs();
        if (inputs.size() != params.size()) {
            throw new IllegalArgumentException("kernel '" + p.name() + "' takes " + params.size() + " input"
                    + (params.size() == 1 ? "" : "s") + " (" + signature(params) + ") but " + inputs.size()
                    + (inputs.size() == 1 ? " was" : " were") + " given");
        }
        Map<String, Long> dims = new LinkedHashMap<>();
        Map<String, String> boundBy = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Buffer b = params.get(i);
            HostTensor t = inputs.get(i);
            String what = "input '" + b.name() + "' of '" + p.name() + "' is " + b.type();
            if (t.dtype() != b.type().dtype()) {
                throw new IllegalArgumentException(what + " but the tensor given is " + t.dtype());
            }
            long[] shape = t.shape();
            if (shape.length != b.type().rank()) {
                throw new IllegalArgumentException(what + " (rank " + b.type().rank()
                        + ") but the tensor given has shape " + Arrays.toString(shape) + " (rank " + shape.length + ")");
            }
            for (int d = 0; d < shape.length; d++) {
                switch (b.type().shape().dim(d)) {
                    case Dim.Lit l -> {
                        if (l.value() != shape[d]) {
                            throw new IllegalArgumentException(what + ": dimension " + d + " must be " + l.value()
                                    + " but the tensor given has " + shape[d]);
                        }
                    }
                    case Dim.Sym s -> {
                        Long known = dims.putIfAbsent(s.name(), shape[d]);
                        if (known == null) {
                            boundBy.put(s.name(), b.name());
                        } else if (known != shape[d]) {
                            throw new IllegalArgumentException(what + ": dimension " + d + " is " + s.name()
                                    + ", which input '" + boundBy.get(s.name()) + "' binds to " + known
                                    + ", but the tensor given has " + shape[d]);
                        }
                    }
                }
            }
        }
        for (Map.Entry<String, Long> e : dims.entrySet()) {
            if (e.getValue() > MAX_ELEMENTS) {
                throw new IllegalArgumentException("dimension " + e.getKey() + " = " + e.getValue()
                        + " does not fit the i32 index arithmetic of the generated code");
            }
        }
        for (Buffer b : plan.all()) {
            for (String sym : b.type().shape().symbols()) {
                if (!dims.containsKey(sym)) {
                    throw new IllegalArgumentException("dimension " + sym + " of buffer '" + b.name() + "' in '"
                            + p.name() + "' is not determined by the shapes of the inputs");
                }
            }
            long n;
            try {
                n = b.type().shape().elementCount(dims);
            } catch (ArithmeticException overflow) {
                n = Long.MAX_VALUE;
            }
            if (n > MAX_ELEMENTS) {
                throw new IllegalArgumentException("buffer '" + b.name() + "' of '" + p.name() + "' would have "
                        + (n == Long.MAX_VALUE ? "more than 2^63" : Long.toString(n)) + " elements; at most "
                        + MAX_ELEMENTS + " can be indexed with i32");
            }
        }
        for (LoopKernel k : p.kernels()) {
            for (LoopParam param : k.params()) {
                if (param instanceof LoopParam.DimParam d && !dims.containsKey(d.name())) {
                    throw new IllegalArgumentException("kernel '" + k.name() + "' of '" + p.name()
                            + "' takes dimension " + d.name() + ", which the shapes of the inputs do not determine");
                }
            }
        }
        return Collections.unmodifiableMap(dims);
    }

    /** The concrete shape of {@code b} under {@code dims}. */
    public static long[] shapeOf(Buffer b, Map<String, Long> dims) {
        return b.type().shape().extents(dims);
    }

    private static String signature(List<Buffer> buffers) {
        return buffers.stream().map(b -> b.name() + ": " + b.type()).collect(Collectors.joining(", "));
    }
}
