package dev.tessera.ptxsim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The rounding core against a slow but obviously correct reference: the representable neighbours of
 * the exact result are found by stepping ulp by ulp and comparing exactly in BigDecimal.
 */
class FpTest {

    private static final Fp.Rnd[] MODES = {Fp.Rnd.RN, Fp.Rnd.RZ, Fp.Rnd.RM, Fp.Rnd.RP};

    /** Compares a candidate with the exact (possibly irrational) result: sign(candidate - exact). */
    @FunctionalInterface
    private interface Exact {
        int compare(BigDecimal candidate);
    }

    /** Rounds the exact value to the grid of f32 ({@code single}) or f64, by stepping from a guess. */
    private static double reference(Exact x, double guess, boolean single, Fp.Rnd mode) {
        double max = single ? Float.MAX_VALUE : Double.MAX_VALUE;
        BigDecimal maxBd = new BigDecimal(max);
        BigDecimal overflowAt = maxBd.add(ulpAt(max, single).divide(BigDecimal.TWO));
        if (x.compare(maxBd) < 0) { // exact > max
            boolean inf = mode == Fp.Rnd.RP || mode == Fp.Rnd.RN && x.compare(overflowAt) <= 0;
            return inf ? Double.POSITIVE_INFINITY : max;
        }
        if (x.compare(maxBd.negate()) > 0) { // exact < -max
            boolean inf = mode == Fp.Rnd.RM || mode == Fp.Rnd.RN && x.compare(overflowAt.negate()) >= 0;
            return inf ? Double.NEGATIVE_INFINITY : -max;
        }
        double g = single ? (float) guess : guess; // snap the guess onto the target grid
        double lo = Double.isFinite(g) ? g : Math.copySign(max, g);
        while (x.compare(new BigDecimal(lo)) > 0) {
            lo = down(lo, single);
        }
        while (lo < max && x.compare(new BigDecimal(up(lo, single))) <= 0) {
            lo = up(lo, single);
        }
        if (x.compare(new BigDecimal(lo)) == 0) {
            return lo;
        }
        double hi = up(lo, single); // lo < exact < hi, both finite
        return switch (mode) {
            case RM -> lo;
            case RP -> hi;
            case RZ -> lo >= 0 ? lo : hi;
            default -> {
                int c = x.compare(new BigDecimal(lo).add(new BigDecimal(hi)).divide(BigDecimal.TWO));
                if (c != 0) {
                    yield c > 0 ? lo : hi; // the midpoint lies above the exact value: lo is nearer
                }
                long bitsLo = single ? Float.floatToRawIntBits((float) lo) : Double.doubleToRawLongBits(lo);
                yield (bitsLo & 1) == 0 ? lo : hi;
            }
        };
    }

    private static BigDecimal ulpAt(double v, boolean single) {
        return new BigDecimal(single ? Math.ulp((float) v) : Math.ulp(v));
    }

    private static double up(double v, boolean single) {
        return single ? Math.nextUp((float) v) : Math.nextUp(v);
    }

    private static double down(double v, boolean single) {
        return single ? Math.nextDown((float) v) : Math.nextDown(v);
    }

    private static float randomFloat(Random r) {
        while (true) {
            float f = switch (r.nextInt(4)) {
                case 0 -> Float.intBitsToFloat(r.nextInt());
                case 1 -> (float) r.nextGaussian();
                case 2 -> (float) (r.nextGaussian() * Math.pow(2, r.nextInt(60) - 30));
                default -> Float.intBitsToFloat(r.nextInt(0x0100_0000)) * (r.nextBoolean() ? 1 : -1); // subnormal-ish
            };
            if (Float.isFinite(f)) {
                return f;
            }
        }
    }

    private static double randomDouble(Random r) {
        while (true) {
            double d = switch (r.nextInt(3)) {
                case 0 -> Double.longBitsToDouble(r.nextLong());
                case 1 -> r.nextGaussian();
                default -> r.nextGaussian() * Math.pow(2, r.nextInt(200) - 100);
            };
            if (Double.isFinite(d)) {
                return d;
            }
        }
    }

    private static void check(String what, double expected, double actual) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> what + ": expected " + expected + " but was " + actual);
    }

    @Test
    void f32ArithmeticInAllRoundingModes() {
        Random r = new Random(42);
        for (int i = 0; i < 1500; i++) {
            float a = randomFloat(r);
            float b = i % 3 == 0 ? Math.nextUp(-a) : randomFloat(r); // near-cancellation too
            float c = randomFloat(r);
            BigDecimal ea = new BigDecimal(a);
            BigDecimal eb = new BigDecimal(b);
            BigDecimal sum = ea.add(eb);
            BigDecimal prod = ea.multiply(eb);
            BigDecimal fma = prod.add(new BigDecimal(c));
            for (Fp.Rnd m : MODES) {
                String at = a + " " + b + " " + c + " " + m;
                if (sum.signum() != 0) {
                    check("add " + at, reference(v -> v.compareTo(sum), a + b, true, m), Fp.add(a, b, m));
                }
                if (prod.signum() != 0) {
                    check("mul " + at, reference(v -> v.compareTo(prod), a * b, true, m), Fp.mul(a, b, m));
                }
                if (fma.signum() != 0) {
                    check("fma " + at, reference(v -> v.compareTo(fma), Math.fma(a, b, c), true, m), Fp.fma(a, b, c, m));
                }
                if (b != 0) {
                    Exact q = v -> v.multiply(eb).compareTo(ea) * eb.signum();
                    check("div " + at, reference(q, a / b, true, m), Fp.div(a, b, m));
                }
                float s = Math.abs(a);
                if (s > 0) {
                    BigDecimal es = new BigDecimal(s);
                    check("sqrt " + at, reference(v -> v.multiply(v.abs()).compareTo(es), Math.sqrt(s), true, m), Fp.sqrt(s, m));
                }
            }
        }
    }

    @Test
    void f64ArithmeticInAllRoundingModes() {
        Random r = new Random(7);
        for (int i = 0; i < 400; i++) {
            double a = randomDouble(r);
            double b = i % 3 == 0 ? -a * (1 + 0x1p-40) : randomDouble(r);
            double c = randomDouble(r);
            BigDecimal ea = new BigDecimal(a);
            BigDecimal eb = new BigDecimal(b);
            for (Fp.Rnd m : MODES) {
                String at = a + " " + b + " " + m;
                BigDecimal sum = ea.add(eb);
                if (sum.signum() != 0) {
                    check("add " + at, reference(v -> v.compareTo(sum), a + b, false, m), Fp.add(a, b, m));
                }
                BigDecimal prod = ea.multiply(eb);
                check("mul " + at, reference(v -> v.compareTo(prod), a * b, false, m), Fp.mul(a, b, m));
                BigDecimal fma = prod.add(new BigDecimal(c));
                if (fma.signum() != 0) {
                    check("fma " + at, reference(v -> v.compareTo(fma), Math.fma(a, b, c), false, m), Fp.fma(a, b, c, m));
                }
                Exact q = v -> v.multiply(eb).compareTo(ea) * eb.signum();
                check("div " + at, reference(q, a / b, false, m), Fp.div(a, b, m));
            }
        }
    }

    @Test
    void overflowInDirectedModesStopsAtTheLargestFinite() {
        float max = Float.MAX_VALUE;
        check("add rz", max, Fp.add(max, max, Fp.Rnd.RZ));
        check("add rm", max, Fp.add(max, max, Fp.Rnd.RM));
        check("add rp", Float.POSITIVE_INFINITY, Fp.add(max, max, Fp.Rnd.RP));
        check("add rp neg", -max, Fp.add(-max, -max, Fp.Rnd.RP));
        check("mul rz", max, Fp.mul(max, 2f, Fp.Rnd.RZ));
        check("fma rz", -max, Fp.fma(max, -2f, 1f, Fp.Rnd.RZ));
        check("f64 add rz", Double.MAX_VALUE, Fp.add(Double.MAX_VALUE, Double.MAX_VALUE, Fp.Rnd.RZ));
        check("f64 mul rm", -Double.MAX_VALUE, Fp.mul(Double.MAX_VALUE, -2.0, Fp.Rnd.RZ));
        check("f64 mul rm", Double.NEGATIVE_INFINITY, Fp.mul(Double.MAX_VALUE, -2.0, Fp.Rnd.RM));
    }

    @Test
    void exactZeroSumsFollowIeeeSignRules() {
        check("rn", 0.0, Fp.add(1.5f, -1.5f, Fp.Rnd.RN));
        check("rm", -0.0, Fp.add(1.5f, -1.5f, Fp.Rnd.RM));
        check("rp", 0.0, Fp.add(1.5, -1.5, Fp.Rnd.RP));
        check("rm zeros", 0.0, Fp.add(0.0f, 0.0f, Fp.Rnd.RM));
        check("rz -0 + -0", -0.0, Fp.add(-0.0f, -0.0f, Fp.Rnd.RZ));
    }

    /** Decodes 16-bit formats with the textbook formula, independently of Fp. */
    private static double decode16(int bits, int expBits, int fracBits) {
        int bias = (1 << (expBits - 1)) - 1;
        int sign = bits >>> (expBits + fracBits) & 1;
        int e = bits >>> fracBits & ((1 << expBits) - 1);
        int f = bits & ((1 << fracBits) - 1);
        double v = e == 0 ? f * Math.pow(2, 1 - bias - fracBits) : (1 + f / Math.pow(2, fracBits)) * Math.pow(2, e - bias);
        return sign == 1 ? -v : v;
    }

    @Test
    void narrowingToHalfFormatsMatchesExhaustiveNeighbours() {
        checkNarrowing(Fp.Format.F16, 5, 10);
        checkNarrowing(Fp.Format.BF16, 8, 7);
    }

    private static void checkNarrowing(Fp.Format fmt, int expBits, int fracBits) {
        // every finite positive value of the format, in order
        int maxFinite = ((1 << expBits) - 1) << fracBits;
        double[] grid = new double[maxFinite];
        for (int i = 0; i < maxFinite; i++) {
            grid[i] = decode16(i, expBits, fracBits);
        }
        double max = grid[maxFinite - 1];
        double halfUlpAboveMax = max + (max - grid[maxFinite - 2]) / 2;
        Random r = new Random(fmt.ordinal());
        for (int n = 0; n < 20000; n++) {
            float x;
            if (n % 4 == 0) {
                // exact midpoints between neighbours test ties-to-even
                int i = r.nextInt(maxFinite - 1);
                x = (float) ((grid[i] + grid[i + 1]) / 2);
            } else {
                x = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(2 * (1 << (expBits - 1)) + 8) - (1 << (expBits - 1)) - 4));
            }
            if (!Float.isFinite(x)) {
                continue;
            }
            double ax = Math.abs(x);
            int lo = java.util.Arrays.binarySearch(grid, ax);
            int below = lo >= 0 ? lo : -lo - 2;
            for (Fp.Rnd m : MODES) {
                long got = Fp.narrow(x, fmt, m);
                long expected;
                if (lo >= 0) {
                    expected = lo;
                } else if (below == maxFinite - 1) {
                    boolean toInf = switch (m) {
                        case RN -> ax >= halfUlpAboveMax;
                        case RZ -> false;
                        case RP -> x > 0;
                        default -> x < 0;
                    };
                    expected = toInf ? maxFinite : maxFinite - 1;
                } else {
                    double dl = ax - grid[below];
                    double dh = grid[below + 1] - ax;
                    boolean upInMagnitude = switch (m) {
                        case RN -> dh < dl || dh == dl && (below & 1) == 1;
                        case RZ -> false;
                        case RP -> x > 0;
                        default -> x < 0;
                    };
                    expected = upInMagnitude ? below + 1 : below;
                }
                if (x < 0 || x == 0 && 1 / x < 0) {
                    expected |= 1L << (expBits + fracBits);
                }
                assertEquals(expected, got, fmt + " " + m + " of " + x);
            }
        }
    }

    @Test
    void integersToFloatsRoundInEveryMode() {
        Random r = new Random(3);
        for (int i = 0; i < 3000; i++) {
            long v = i % 2 == 0 ? r.nextLong() : r.nextLong() >> r.nextInt(64);
            boolean signed = r.nextBoolean();
            BigDecimal exact = signed ? BigDecimal.valueOf(v) : new BigDecimal(Long.toUnsignedString(v));
            for (Fp.Rnd m : MODES) {
                double guess = exact.doubleValue();
                float f32 = Float.intBitsToFloat((int) Fp.intToFormat(v, signed, Fp.Format.F32, m));
                check("f32 of " + exact + " " + m, v == 0 ? 0.0 : reference(x -> x.compareTo(exact), guess, true, m), f32);
                check("f64 of " + exact + " " + m, v == 0 ? 0.0 : reference(x -> x.compareTo(exact), guess, false, m),
                        Fp.intToF64(v, signed, m));
            }
        }
    }

    @Test
    void f64ToF32NarrowingInEveryMode() {
        Random r = new Random(5);
        for (int i = 0; i < 3000; i++) {
            double d = i % 5 == 0 ? Double.longBitsToDouble(r.nextLong()) : r.nextGaussian() * Math.pow(2, r.nextInt(320) - 160);
            if (!Double.isFinite(d) || d == 0) {
                continue;
            }
            BigDecimal exact = new BigDecimal(d);
            for (Fp.Rnd m : MODES) {
                check("f32 of " + d + " " + m, reference(x -> x.compareTo(exact), (float) d, true, m), Fp.f64ToF32(d, m));
            }
        }
        // a spot check of the reference itself
        Function<Double, BigDecimal> bd = BigDecimal::new;
        assertEquals(0, bd.apply(1.0).round(MathContext.DECIMAL32).compareTo(BigDecimal.ONE));
    }
}
