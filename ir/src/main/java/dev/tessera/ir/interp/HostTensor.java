package dev.tessera.ir.interp;

import dev.tessera.ir.DType;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dense row-major tensor in host memory. Elements are held as doubles, each exactly a value of
 * {@code dtype} (bool as 0/1), so one container serves every dtype, the reference and every device.
 */
public record HostTensor(DType dtype, long[] shape, double[] data) {

    public HostTensor {
        shape = shape.clone();
        long n = count(shape);
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " has " + n + " elements, data has " + data.length);
        }
    }

    public static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative extent in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public static HostTensor zeros(DType dtype, long[] shape) {
        return new HostTensor(dtype, shape, new double[Math.toIntExact(count(shape))]);
    }

    /**
     * Random values that are never zero: floats with magnitude in [0.1, 1) and either sign, i32 in
     * [-64, 64] without 0, bools half true. Reproducible for a given seed.
     */
    public static HostTensor random(DType dtype, long[] shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[Math.toIntExact(count(shape))];
        for (int i = 0; i < d.length; i++) {
            d[i] = switch (dtype) {
                case I32 -> {
                    int v = r.nextInt(1, 65);
                    yield r.nextBoolean() ? v : -v;
                }
                case BOOL -> r.nextBoolean() ? 1 : 0;
                default -> {
                    double m = 0.1 + 0.9 * r.nextDouble();
                    yield Rounding.round(dtype, r.nextBoolean() ? m : -m);
                }
            };
        }
        return new HostTensor(dtype, shape, d);
    }

    public int size() {
        return data.length;
    }

    public int rank() {
        return shape.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor t && t.dtype == dtype && Arrays.equals(t.shape, shape)
                && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return dtype.irName() + Arrays.toString(shape);
    }
}
