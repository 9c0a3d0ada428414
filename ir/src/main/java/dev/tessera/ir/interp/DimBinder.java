package dev.tessera.ir.interp;

import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a kernel's symbolic dims (N, D, ...) from the tensors it is run with, and says exactly which input and
 * which dim disagree with the declared types when they do not fit: the one check that the reference interpreter,
 * every runtime device and the Java API make before they run anything.
 */
public final class DimBinder {

    private DimBinder() {}

    /**
     * Checks the inputs' count and dtypes, then binds as {@link #bindShapes}.
     *
     * @param kernel the kernel as messages name it ({@code 'mm'}, {@code @k})
     * @param names the inputs' names, in order
     * @param declared the inputs' declared types, in order
     * @return each symbol's extent, in order of first appearance
     * @throws IllegalArgumentException on a count, dtype, rank or extent mismatch
     */
    public static Map<String, Long> bind(String kernel, List<String> names, List<TensorType> declared,
            List<HostTensor> inputs) {
        return bind(kernel, names, declared, inputs.stream().map(HostTensor::dtype).toList(),
                inputs.stream().map(HostTensor::shape).toList());
    }

    /** As {@link #bind(String, List, List, List)}, for tensors given by their dtypes and shapes. */
    public static Map<String, Long> bind(String kernel, List<String> names, List<TensorType> declared,
            List<DType> dtypes, List<long[]> shapes) {
        checkCount(kernel, names, declared, dtypes.size());
        for (int i = 0; i < dtypes.size(); i++) {
            if (dtypes.get(i) != declared.get(i).dtype()) {
                throw new IllegalArgumentException(mustBe(kernel, names, declared, i) + " but the tensor given is "
                        + dtypes.get(i).irName() + Arrays.toString(shapes.get(i)));
            }
        }
        return bindShapes(kernel, names, declared, shapes);
    }

    /**
     * Binds from shapes alone (the caller has checked the dtypes).
     *
     * @return each symbol's extent, in order of first appearance
     * @throws IllegalArgumentException on a count, rank or extent mismatch
     */
    public static Map<String, Long> bindShapes(String kernel, List<String> names, List<TensorType> declared,
            List<long[]> shapes) {
        checkCount(kernel, names, declared, shapes.size());
        Map<String, Long> bound = new LinkedHashMap<>();
        Map<String, int[]> boundAt = new LinkedHashMap<>();
        for (int p = 0; p < declared.size(); p++) {
            TensorType t = declared.get(p);
            long[] shape = shapes.get(p);
            if (shape.length != t.rank()) {
                throw new IllegalArgumentException(mustBe(kernel, names, declared, p) + " (rank " + t.rank()
                        + ") but the tensor given has shape " + Arrays.toString(shape) + " (rank " + shape.length + ")");
            }
            for (int d = 0; d < shape.length; d++) {
                switch (t.shape().dim(d)) {
                    case Dim.Lit l -> {
                        if (l.value() != shape[d]) {
                            throw new IllegalArgumentException(given(kernel, names, declared, p, shape) + d + " is "
                                    + shape[d] + ", not " + l.value());
                        }
                    }
                    case Dim.Sym s -> {
                        Long prev = bound.putIfAbsent(s.name(), shape[d]);
                        if (prev == null) {
                            boundAt.put(s.name(), new int[] {p, d});
                        } else if (prev != shape[d]) {
                            int[] at = boundAt.get(s.name());
                            throw new IllegalArgumentException(given(kernel, names, declared, p, shape) + d + " is "
                                    + shape[d] + ", but " + s.name()
                                    + " is " + prev + " from dim " + at[1] + " of "
                                    + (at[0] == p ? "the same input" : input(names, at[0])));
                        }
                    }
                }
            }
        }
        return bound;
    }

    private static void checkCount(String kernel, List<String> names, List<TensorType> declared, int given) {
        if (names.size() != declared.size()) {
            throw new IllegalArgumentException("kernel " + kernel + ": " + names.size() + " input names for "
                    + declared.size() + " inputs");
        }
        if (given != declared.size()) {
            List<String> signature = new ArrayList<>();
            for (int i = 0; i < declared.size(); i++) {
                signature.add(names.get(i) + ": " + declared.get(i));
            }
            throw new IllegalArgumentException("kernel " + kernel + " takes " + declared.size() + " input"
                    + (declared.size() == 1 ? "" : "s") + " (" + String.join(", ", signature) + ") but " + given
                    + (given == 1 ? " was" : " were") + " given");
        }
    }

    /** {@code input 2 ('b') of 'mm' must be f16[K, 4] but the tensor given has shape [3, 5]: dim }. */
    private static String given(String kernel, List<String> names, List<TensorType> declared, int index, long[] shape) {
        return mustBe(kernel, names, declared, index) + " but the tensor given has shape " + Arrays.toString(shape)
                + ": dim ";
    }

    /** {@code input 2 ('b') of 'mm' must be f16[K, 4]}: the start of every mismatch message. */
    private static String mustBe(String kernel, List<String> names, List<TensorType> declared, int index) {
        return input(names, index) + " of " + kernel + " must be " + declared.get(index);
    }

    /** {@code input 2 ('b')}: 1-based, as people count. */
    private static String input(List<String> names, int index) {
        return "input " + (index + 1) + " ('" + names.get(index) + "')";
    }
}
