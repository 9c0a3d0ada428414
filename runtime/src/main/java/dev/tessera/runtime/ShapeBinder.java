package dev.tessera.runtime;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.interp.DimBinder;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Binds a loop program's symbolic dims from the tensors it is given ({@link DimBinder} over the inputs of its
 * buffer plan), and checks what only a loop program needs: every dim its buffers and kernels use is bound, and
 * every buffer it will allocate can be indexed with i32 (the loop IR's index type).
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
        return bind(p, inputs.stream().map(HostTensor::dtype).toList(), inputs.stream().map(HostTensor::shape).toList());
    }

    /** As {@link #bind(LoopProgram, List)}, for inputs given by their dtypes and shapes. */
    public static Map<String, Long> bind(LoopProgram p, List<DType> dtypes, List<long[]> shapes) {
        BufferPlan plan = p.buffers();
        Map<String, Long> dims = DimBinder.bind("'" + p.name() + "'", plan.inputs().stream().map(Buffer::name).toList(),
                plan.inputs().stream().map(Buffer::type).toList(), dtypes, shapes);
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
}
