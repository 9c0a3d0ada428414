package dev.tessera.ir.interp;

import java.util.Arrays;
import java.util.List;

/**
 * Precomputed gathers for the interpreter: for each element of a result, the flat offset of the operand
 * element it reads. One int array per operand instead of index arithmetic (or objects) per element.
 */
final class IndexMaps {

    private IndexMaps() {}

    static int count(long[] extents) {
        return Math.toIntExact(HostTensor.count(extents));
    }

    static long[] rowMajorStrides(long[] extents) {
        long[] s = new long[extents.length];
        long acc = 1;
        for (int d = extents.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= extents[d];
        }
        return s;
    }

    /**
     * For each element of {@code out}, the offset in a tensor of shape {@code in} that NumPy broadcasting
     * reads (shapes aligned at the right, extent-1 axes repeated); null when the shapes are equal.
     */
    static int[] broadcast(long[] in, long[] out) {
        if (Arrays.equals(in, out)) {
            return null;
        }
        long[] inStrides = rowMajorStrides(in);
        long[] strides = new long[out.length];
        for (int d = 0; d < out.length; d++) {
            int di = d - (out.length - in.length);
            if (di >= 0 && in[di] != 1) {
                if (in[di] != out[d]) {
                    throw new IllegalArgumentException(
                            "cannot broadcast " + Arrays.toString(in) + " to " + Arrays.toString(out));
                }
                strides[d] = inStrides[di];
            }
        }
        return strided(out, strides);
    }

    /** For each element of the transposed result, its offset in the input ({@code out[i]} is {@code in[perm[i]]}). */
    static int[] permute(long[] in, List<Integer> perm) {
        long[] inStrides = rowMajorStrides(in);
        long[] out = new long[perm.size()];
        long[] strides = new long[perm.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in[perm.get(i)];
            strides[i] = inStrides[perm.get(i)];
        }
        return strided(out, strides);
    }

    /** Walks {@code extents} in row-major order, keeping a running offset under the given strides. */
    static int[] strided(long[] extents, long[] strides) {
        int n = count(extents);
        int[] map = new int[n];
        int rank = extents.length;
        int[] idx = new int[rank];
        long off = 0;
        for (int i = 0; i < n; i++) {
            map[i] = (int) off;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < extents[d]) {
                    break;
                }
                off -= strides[d] * extents[d];
                idx[d] = 0;
            }
        }
        return map;
    }
}
