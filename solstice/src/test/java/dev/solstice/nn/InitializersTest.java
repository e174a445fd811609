package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Prng;
import dev.solstice.nn.Initializers.Distribution;
import dev.solstice.nn.Initializers.Initializer;
import dev.solstice.nn.Initializers.Mode;
import org.junit.jupiter.api.Test;

/** jax.nn.initializers: exact draws from Prng, fans, variances of large draws, orthogonality, errors. */
class InitializersTest {

    private static double variance(double[] v) {
        double m = 0;
        for (double d : v) {
            m += d;
        }
        m /= v.length;
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return s / v.length;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    @Test
    void constantsHaveShapeDtypeAndValue() {
        Array key = Prng.key(0);
        Array z = Initializers.zeros().init(key, new int[] {2, 3}, DType.FLOAT64);
        assertArrayEquals(new int[] {2, 3}, z.shape());
        assertEquals(DType.FLOAT64, z.dtype());
        assertArrayEquals(new double[6], z.toDoubleArray());
        assertArrayEquals(new float[] {1, 1, 1, 1}, Initializers.ones().init(key, 4).toFloatArray());
        assertArrayEquals(new double[] {2.5, 2.5}, Initializers.constant(2.5).init(key, new int[] {2}, DType.FLOAT64).toDoubleArray());
    }

    @Test
    void simpleDistributionsAreScaledPrngDraws() {
        Array key = Prng.key(3);
        int[] s = {4, 5};
        assertArrayEquals(scale(Prng.uniform(key, s, DType.FLOAT64, 0, 1), 0.3),
                Initializers.uniform(0.3).init(key, s, DType.FLOAT64).toDoubleArray(), 1e-15);
        assertArrayEquals(scale(Prng.normal(key, s, DType.FLOAT64), 0.01),
                Initializers.normal().init(key, s, DType.FLOAT64).toDoubleArray(), 1e-15);
        assertArrayEquals(scale(Prng.truncatedNormal(key, -2, 2, s, DType.FLOAT64), 0.5),
                Initializers.truncatedNormal(0.5).init(key, s, DType.FLOAT64).toDoubleArray(), 1e-15);
        double[] u = Initializers.uniform(0.3).init(key, new int[] {1000}, DType.FLOAT32).toDoubleArray();
        for (double d : u) {
            assertTrue(d >= 0 && d < 0.3);
        }
        assertTrue(maxAbs(Initializers.truncatedNormal(0.5).init(key, new int[] {1000}, DType.FLOAT32).toDoubleArray()) <= 1.0);
    }

    private static double[] scale(Array x, double s) {
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return v;
    }

    @Test
    void fansFollowJaxForDenseAndConvKernels() {
        assertArrayEquals(new double[] {3, 7}, Initializers.fans(new int[] {3, 7}));
        // HWIO conv kernel: receptive field 3*5
        assertArrayEquals(new double[] {3 * 5 * 4, 3 * 5 * 8}, Initializers.fans(new int[] {3, 5, 4, 8}));
        // OIHW (Equinox's conv layout) with explicit axes
        assertArrayEquals(new double[] {4 * 9, 8 * 9}, Initializers.fans(new int[] {8, 4, 3, 3}, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Initializers.fans(new int[] {5}));
        assertThrows(IllegalArgumentException.class, () -> Initializers.fans(new int[] {5, 5}, 0, -2));
        assertThrows(IllegalArgumentException.class, () -> Initializers.fans(new int[] {5, 5}, 0, 2));
    }

    @Test
    void varianceScalingDrawsAreTheDocumentedTransformOfPrng() {
        Array key = Prng.key(5);
        int[] s = {3, 3, 4, 8}; // fan_in 36, fan_out 72, fan_avg 54
        assertArrayEquals(scale(Prng.uniform(key, s, DType.FLOAT64, -1, 1), Math.sqrt(3 * 2.0 / 36)),
                Initializers.heUniform().init(key, s, DType.FLOAT64).toDoubleArray(), 1e-15);
        assertArrayEquals(scale(Prng.truncatedNormal(key, -2, 2, s, DType.FLOAT64), Math.sqrt(1.0 / 54) / .87962566103423978),
                Initializers.glorotNormal().init(key, s, DType.FLOAT64).toDoubleArray(), 1e-15);
        assertArrayEquals(scale(Prng.normal(key, s, DType.FLOAT64), Math.sqrt(0.5 / 72)),
                Initializers.varianceScaling(0.5, "fan_out", "normal").init(key, s, DType.FLOAT64).toDoubleArray(), 1e-15);
    }

    @Test
    void varianceScalingHasTheTargetVarianceForLargeShapes() {
        int[] s = {200, 300}; // fan_in 200, fan_out 300, fan_avg 250
        Array key = Prng.key(11);
        record Case(Initializer init, double variance, double bound) {}
        Case[] cases = {
            new Case(Initializers.glorotUniform(), 1.0 / 250, Math.sqrt(3.0 / 250)),
            new Case(Initializers.xavierNormal(), 1.0 / 250, 2 * Math.sqrt(1.0 / 250) / .87962566103423978),
            new Case(Initializers.heUniform(), 2.0 / 200, Math.sqrt(6.0 / 200)),
            new Case(Initializers.kaimingNormal(), 2.0 / 200, 2 * Math.sqrt(2.0 / 200) / .87962566103423978),
            new Case(Initializers.lecunUniform(), 1.0 / 200, Math.sqrt(3.0 / 200)),
            new Case(Initializers.lecunNormal(), 1.0 / 200, 2 * Math.sqrt(1.0 / 200) / .87962566103423978),
            new Case(Initializers.varianceScaling(3, Mode.FAN_OUT, Distribution.NORMAL), 3.0 / 300, Double.POSITIVE_INFINITY),
        };
        for (Case c : cases) {
            double[] v = c.init.init(key, s).toDoubleArray();
            double var = variance(v);
            // 60000 draws: the relative standard error of a variance estimate is about sqrt(2/60000) = 0.6%
            assertEquals(c.variance, var, 0.03 * c.variance, "variance");
            assertTrue(maxAbs(v) <= c.bound * (1 + 1e-6), "bound " + maxAbs(v) + " > " + c.bound);
        }
    }

    @Test
    void orthogonalHasOrthonormalRowsOrColumns() {
        Array key = Prng.key(2);
        for (int[] s : new int[][] {{6, 6}, {9, 4}, {4, 9}, {2, 3, 5}}) {
            Array q = Initializers.orthogonal(2.0).init(key, s, DType.FLOAT64);
            assertArrayEquals(s, q.shape());
            int cols = s[s.length - 1];
            int rows = q.size() / cols;
            double[] m = q.toDoubleArray();
            // the smaller side is orthonormal: Q^T Q = 4 I (columns) when rows >= cols, Q Q^T = 4 I otherwise
            boolean byColumns = rows >= cols;
            int n = byColumns ? cols : rows;
            int len = byColumns ? rows : cols;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double d = 0;
                    for (int k = 0; k < len; k++) {
                        d += byColumns ? m[k * cols + i] * m[k * cols + j] : m[i * cols + k] * m[j * cols + k];
                    }
                    assertEquals(i == j ? 4 : 0, d, 1e-12, "gram " + i + "," + j + " for " + java.util.Arrays.toString(s));
                }
            }
        }
    }

    /** After JAX's nn_test.py testInitializerOrthogonalZeroSize: every rows x cols up to 3, zero sizes included. */
    @Test
    void orthogonalOfEveryShapeUpToThreeByThreeIncludingZeroSizes() {
        Array key = Prng.key(0);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int rows = 0; rows < 4; rows++) {
                for (int cols = 0; cols < 4; cols++) {
                    Array q = Initializers.orthogonal().init(key, new int[] {rows, cols}, t);
                    assertArrayEquals(new int[] {rows, cols}, q.shape());
                    assertEquals(t, q.dtype());
                    double[] m = q.toDoubleArray();
                    // the smaller side is orthonormal (trivially when it is empty)
                    int n = Math.min(rows, cols);
                    int len = Math.max(rows, cols);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            double d = 0;
                            for (int k = 0; k < len; k++) {
                                d += rows >= cols ? m[k * cols + i] * m[k * cols + j] : m[i * cols + k] * m[j * cols + k];
                            }
                            assertEquals(i == j ? 1 : 0, d, 1e-6, t + " gram " + i + "," + j + " of " + rows + "x" + cols);
                        }
                    }
                }
            }
        }
    }

    @Test
    void orthogonalIsTheSignCorrectedQOfTheNormalDraw() {
        // square case: Q R = A with R's diagonal positive, so R = Q^T A must be upper triangular with a positive diagonal
        Array key = Prng.key(4);
        double[] a = Prng.normal(key, new int[] {5, 5}, DType.FLOAT64).toDoubleArray();
        double[] q = Initializers.orthogonal().init(key, new int[] {5, 5}, DType.FLOAT64).toDoubleArray();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double r = 0;
                for (int k = 0; k < 5; k++) {
                    r += q[k * 5 + i] * a[k * 5 + j];
                }
                if (i > j) {
                    assertEquals(0, r, 1e-12);
                } else if (i == j) {
                    assertTrue(r > 0);
                }
            }
        }
        // a column axis other than the last: shape [5, 3] with column axis 0 is the transpose of [3, 5]
        Array t = Initializers.orthogonal(1, 0).init(key, new int[] {5, 3}, DType.FLOAT64);
        Array u = Initializers.orthogonal().init(key, new int[] {3, 5}, DType.FLOAT64);
        double[] tv = t.toDoubleArray();
        double[] uv = u.toDoubleArray();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(uv[i * 5 + j], tv[j * 3 + i], 0);
            }
        }
        assertEquals(DType.FLOAT32, Initializers.orthogonal().init(key, 4, 4).dtype());
    }

    @Test
    void errorsAreClear() {
        Array key = Prng.key(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Initializers.glorotUniform().init(key, new int[] {7}, DType.FLOAT32));
        assertTrue(e.getMessage().contains("at least 2-D"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Initializers.orthogonal().init(key, 3));
        assertThrows(IllegalArgumentException.class, () -> Initializers.normal().init(Array.of(1, 2, 3), 3));
        assertThrows(IllegalArgumentException.class, () -> Initializers.normal().init(key, new int[] {3}, DType.INT32));
        assertThrows(IllegalArgumentException.class, () -> Initializers.zeros().init(key, -1));
        assertThrows(IllegalArgumentException.class, () -> Initializers.varianceScaling(1, "fan_sideways", "normal"));
        assertThrows(IllegalArgumentException.class, () -> Initializers.varianceScaling(1, "fan_in", "cauchy"));
        assertThrows(IllegalArgumentException.class, () -> Initializers.varianceScaling(-1, Mode.FAN_IN, Distribution.NORMAL));
        assertThrows(IllegalArgumentException.class, () -> Initializers.truncatedNormal(1, 2, -2));
    }
}
