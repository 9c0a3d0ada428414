package dev.tessera.ir.interp;

import static dev.tessera.ir.DType.F32;
import static dev.tessera.ir.UnaryOp.GELU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** erf against published values and against a 60-digit Maclaurin series computed here with BigDecimal. */
class ErfTest {

    private static final MathContext MC = new MathContext(60);
    private static final BigDecimal TWO_OVER_SQRT_PI =
            new BigDecimal("1.12837916709551257389615890312154517168810125865799771368817144342128");

    /** erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)), exact to far beyond a double for |x| ≤ 6. */
    private static double bigErf(double xd) {
        BigDecimal x = new BigDecimal(xd);
        BigDecimal x2 = x.multiply(x, MC);
        BigDecimal power = x;
        BigDecimal sum = x;
        BigDecimal eps = new BigDecimal("1e-40");
        for (int n = 1; n < 2000; n++) {
            power = power.multiply(x2, MC).divide(BigDecimal.valueOf(-n), MC);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(term, MC);
            if (term.abs().compareTo(eps) < 0) {
                break;
            }
        }
        return sum.multiply(TWO_OVER_SQRT_PI, MC).doubleValue();
    }

    @Test
    void knownValues() {
        assertEquals(0.5204998778130465, Erf.erf(0.5), 2.5e-16);
        assertEquals(0.8427007929497149, Erf.erf(1), 2.5e-16);
        assertEquals(0.9953222650189527, Erf.erf(2), 2.5e-16);
        assertEquals(0.9999779095030014, Erf.erf(3), 2.5e-16);
        assertEquals(0.1124629160182849, Erf.erf(0.1), 3e-17);
        assertEquals(1.1283791670955126e-10, Erf.erf(1e-10), 1e-26);
        assertEquals(-0.7111556336535151, Erf.erf(-0.75), 2.5e-16);
        assertEquals(0.9999999998033839, Erf.erf(4.5), 2.5e-16);
        assertEquals(1.0, Erf.erf(7));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Erf.erf(-0.0)));
    }

    @Test
    void erfcTailKeepsRelativeAccuracy() {
        assertEquals(1.537459794428035e-12, Erf.erfc(5), 1.537459794428035e-12 * 1e-14);
        assertEquals(2.088487583762545e-45, Erf.erfc(10), 2.088487583762545e-45 * 1e-14);
        assertEquals(2.209049699858544e-05, Erf.erfc(3), 2.209049699858544e-05 * 1e-14);
        assertEquals(2.0, Erf.erfc(-10));
    }

    @Test
    void withinOneEMinus15EverywhereOnAGrid() {
        double worst = 0;
        double worstAt = 0;
        for (int i = -1200; i <= 1200; i++) {
            double x = i * 0.005 + 0.0001 * (i % 7);
            double err = Math.abs(Erf.erf(x) - bigErf(x));
            if (err > worst) {
                worst = err;
                worstAt = x;
            }
        }
        assertTrue(worst <= 1e-15, "worst error " + worst + " at " + worstAt);
    }

    @Test
    void geluIsTheExactErfForm() {
        assertEquals(-0.0040496940948902835, Scalars.unary(GELU, F32, -3),
                1e-17);
        assertEquals(-0.15865525393145705, Scalars.unary(GELU, F32, -1),
                1e-16);
        assertEquals(0.34573123063700656, Scalars.unary(GELU, F32, 0.5),
                1e-16);
        assertEquals(1.9544997361036416, Scalars.unary(GELU, F32, 2),
                4e-16);
    }
}
