package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * {@link CholeskyKernel} and {@link LuKernel} at sizes around their panel ({@code BLOCK} = 32: one panel less a
 * row, one panel, a panel and a row, several panels, odd sizes, more rows than one task of the update takes) against Hipparchus, and their degenerate
 * cases inside a later panel: a matrix that stops being positive definite there (NaNs everywhere), an exactly
 * zero pivot column there (left unscaled, no NaNs), and a NaN.
 */
class BlockedFactorizationsTest {
    private static final int[] SIZES = {31, 32, 33, 63, 64, 65, 97, 100, 161};

    private static RealMatrix hip(double[] a, int n) {
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = Arrays.copyOfRange(a, i * n, (i + 1) * n);
        }
        return new Array2DRowRealMatrix(m, false);
    }

    private static double[] random(Random r, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble() * 2 - 1;
        }
        return a;
    }

    /** {@code B Bᵀ + shift I}. */
    private static double[] gram(double[] b, int n, double shift) {
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = i == j ? shift : 0;
                for (int k = 0; k < n; k++) {
                    x += b[i * n + k] * b[j * n + k];
                }
                s[i * n + j] = x;
            }
        }
        return s;
    }

    @Test
    void choleskyAgreesWithHipparchusAroundThePanelSize() {
        Random r = new Random(51);
        for (int n : SIZES) {
            double[] spd = gram(random(r, n), n, 1);
            double[] l = spd.clone();
            // an upper triangle that must not be read
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    l[i * n + j] = Double.NaN;
                }
            }
            CholeskyKernel.factor(l, 0, n);
            RealMatrix expected = new CholeskyDecomposition(hip(spd, n), 1e-15, 1e-15).getL();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(expected.getEntry(i, j), l[i * n + j], 1e-12 * n, "L n=" + n + " [" + i + "," + j + "]");
                }
            }
        }
    }

    @Test
    void choleskyOfAMatrixNotPositiveDefiniteInALaterPanelIsNaN() {
        Random r = new Random(52);
        int n = 70;
        double[] a = gram(random(r, n), n, 1);
        // row and column 50 scaled so that the 51st leading minor goes negative
        a[50 * n + 50] = -1;
        CholeskyKernel.factor(a, 0, n);
        assertTrue(Arrays.stream(a).allMatch(Double::isNaN), "not positive definite: NaNs everywhere");
    }

    @Test
    void luAgreesWithHipparchusAroundThePanelSize() {
        Random r = new Random(53);
        for (int n : SIZES) {
            double[] a = random(r, n);
            double[] lu = a.clone();
            int[] pivots = new int[n];
            int[] perm = new int[n];
            LuKernel.factor(lu, 0, n, n, pivots, 0, perm, 0);
            LUDecomposition expected = new LUDecomposition(hip(a, n), 0);
            RealMatrix l = expected.getL();
            RealMatrix u = expected.getU();
            for (int i = 0; i < n; i++) {
                assertEquals(expected.getPivot()[i], perm[i], "permutation n=" + n);
                for (int j = 0; j < n; j++) {
                    double packed = j < i ? l.getEntry(i, j) : u.getEntry(i, j);
                    assertEquals(packed, lu[i * n + j], 1e-11, "LU n=" + n + " [" + i + "," + j + "]");
                }
            }
        }
    }

    @Test
    void luWithAZeroPivotColumnInALaterPanelAndWithANaN() {
        Random r = new Random(54);
        int n = 70;
        double[] a = random(r, n);
        for (int i = 0; i < n; i++) {
            a[i * n + 40] = 0;                                // column 40 zero: singular, pivot 40 exactly 0
        }
        double[] lu = a.clone();
        int[] pivots = new int[n];
        int[] perm = new int[n];
        LuKernel.factor(lu, 0, n, n, pivots, 0, perm, 0);
        assertEquals(0.0, lu[40 * n + 40], "zero pivot");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p <= Math.min(i, j); p++) {
                    s += (p == i ? 1 : lu[i * n + p]) * lu[p * n + j];
                }
                assertTrue(Double.isFinite(lu[i * n + j]), "finite");
                assertEquals(a[perm[i] * n + j], s, 1e-12 * n, "(P A)[" + i + "," + j + "] = (L U)");
            }
        }
        double[] nan = random(r, n);
        nan[60 * n + 45] = Double.NaN;
        LuKernel.factor(nan, 0, n, n, pivots, 0, perm, 0);
        assertTrue(Double.isNaN(nan[45 * n + 45]), "a NaN is chosen as the pivot of its column, as getrf");
    }
}
