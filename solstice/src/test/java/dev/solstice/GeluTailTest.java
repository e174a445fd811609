package dev.solstice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

/**
 * The exact GELU {@code x Phi(x)} keeps its relative accuracy in the negative tail, as JAX's does (JAX computes it
 * through erfc; its nn_test.py testGeluIntType / testGelu compare with scipy's float64 values). The oracle is
 * Hipparchus's erfc in double: {@code gelu(x) = x/2 erfc(-x/sqrt 2)} and
 * {@code gelu'(x) = erfc(-x/sqrt 2)/2 + x exp(-x^2/2)/sqrt(2 pi)}.
 */
class GeluTailTest {

    private static double oracle(double x) {
        return x / 2 * Erf.erfc(-x / Math.sqrt(2));
    }

    private static double oracleDerivative(double x) {
        return Erf.erfc(-x / Math.sqrt(2)) / 2 + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    /** -10 to 5 by steps of 0.25, float32-representable. */
    private static double[] points() {
        double[] x = new double[61];
        for (int i = 0; i < x.length; i++) {
            x[i] = -10 + 0.25 * i;
        }
        return x;
    }

    /** The derivative's two terms in magnitude: the scale its rounding is measured against (it crosses 0 near -0.75). */
    private static double derivativeScale(double x) {
        return Erf.erfc(-x / Math.sqrt(2)) / 2 + Math.abs(x) * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    private static void assertRelative(double expected, double actual, double rtol, String what) {
        assertRelative(expected, actual, rtol, Math.abs(expected), what);
    }

    private static void assertRelative(double expected, double actual, double rtol, double scale, String what) {
        assertTrue(Math.abs(actual - expected) <= rtol * scale,
                what + ": expected " + expected + " got " + actual + " (relative error "
                        + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }

    @Test
    void exactGeluHasRelativeAccuracyDownToMinusTenInFloat64AndFloat32() {
        double[] x = points();
        double[] y64 = Nn.gelu(Array.of(x), false).toDoubleArray();
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
        }
        Array out32 = Nn.gelu(Array.of(xf), false);
        assertEquals(DType.FLOAT32, out32.dtype());
        float[] y32 = out32.toFloatArray();
        for (int i = 0; i < x.length; i++) {
            if (x[i] == 0) {
                assertEquals(0, y64[i]);
                continue;
            }
            assertRelative(oracle(x[i]), y64[i], 1e-12, "float64 gelu(" + x[i] + ")");
            // float32: x / sqrt 2 is rounded once, which moves erfc by about 2 (x^2/2) 6e-8 relative (6e-6 at -10)
            assertRelative(oracle(x[i]), y32[i], 2e-5, "float32 gelu(" + x[i] + ")");
        }
    }

    /** erfc's ends and erf's, which the continued fraction once turned into inf * 0 = NaN. */
    @Test
    void erfcAndErfAtTheInfinities() {
        double[] c = Lax.erfc(Array.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, Double.NaN)).toDoubleArray();
        assertEquals(0.0, c[0]);
        assertEquals(2.0, c[1]);
        assertEquals(1.0, c[2]);
        assertTrue(Double.isNaN(c[3]));
        double[] e = Lax.erf(Array.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)).toDoubleArray();
        assertEquals(1.0, e[0]);
        assertEquals(-1.0, e[1]);
        assertEquals(Float.POSITIVE_INFINITY, Nn.gelu(Array.of(Float.POSITIVE_INFINITY), false).toFloatArray()[0]);
    }

    @Test
    void exactGeluDerivativeHasRelativeAccuracyInTheTail() {
        for (double x : points()) {
            double g = Jax.grad((Array v) -> Nn.gelu(v, false)).apply(Array.scalar(x)).item();
            double scale = derivativeScale(x);
            assertRelative(oracleDerivative(x), g, 1e-12, scale, "gelu'(" + x + ") by grad");
            double t = Jax.jvp((Array v) -> Nn.gelu(v, false), Array.scalar(x), Array.scalar(1.0)).tangent().item();
            assertRelative(oracleDerivative(x), t, 1e-12, scale, "gelu'(" + x + ") by jvp");
            double h = 1e-5 * Math.max(1, Math.abs(x));
            if (x > -5) { // central differences of the oracle itself, where they resolve the derivative
                double fd = (oracle(x + h) - oracle(x - h)) / (2 * h);
                assertRelative(fd, g, 1e-6, scale, "gelu'(" + x + ") against central differences");
            }
        }
        float g32 = Jax.grad((Array v) -> Nn.gelu(v, false)).apply(Array.scalar(-9f)).toFloatArray()[0];
        assertRelative(oracleDerivative(-9), g32, 2e-5, "float32 gelu'(-9)");
    }
}
