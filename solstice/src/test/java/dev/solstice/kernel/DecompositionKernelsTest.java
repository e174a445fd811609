package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The decomposition kernels at sizes past the primitive examples (n = 1 .. 70, where blocking or iteration
 * counts matter) against Hipparchus, and on the degenerate inputs: repeated and zero eigenvalues, diagonal and
 * already-tridiagonal matrices, singular LU, non-positive-definite Cholesky.
 */
class DecompositionKernelsTest {

    private static double[] symmetric(Random r, int n, double diagonal) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double x = r.nextDouble() * 2 - 1 + (i == j ? diagonal : 0);
                a[i * n + j] = x;
                a[j * n + i] = x;
            }
        }
        return a;
    }

    private static RealMatrix hip(double[] a, int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, i * n, m[i], 0, n);
        }
        return new Array2DRowRealMatrix(m, false);
    }

    /** Checks eigenvalues against Hipparchus, V diag(w) Vᵀ = A and Vᵀ V = I. */
    private static void checkEigh(double[] a, int n, String what) {
        double[] v = new double[n * n];
        double[] w = new double[n];
        EighKernel.decompose(a, 0, n, v, 0, w, 0);
        double[] expected = new EigenDecompositionSymmetric(hip(a, n)).getEigenvalues();
        Arrays.sort(expected);
        double scale = 1;
        for (double x : expected) {
            scale = Math.max(scale, Math.abs(x));
        }
        double[] valuesOnly = new double[n];
        EighKernel.eigenvalues(a, 0, n, valuesOnly, 0);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], w[i], 1e-12 * scale, what + ": eigenvalue " + i);
            assertEquals(expected[i], valuesOnly[i], 1e-12 * scale, what + ": values-only eigenvalue " + i);
            for (int j = 0; j < n; j++) {
                double rebuilt = 0;
                double gram = 0;
                for (int k = 0; k < n; k++) {
                    rebuilt += v[i * n + k] * w[k] * v[j * n + k];
                    gram += v[k * n + i] * v[k * n + j];
                }
                assertEquals(a[i * n + j], rebuilt, 1e-12 * scale * n, what + ": (V diag(w) V^T)[" + i + "," + j + "]");
                assertEquals(i == j ? 1 : 0, gram, 1e-12 * n, what + ": (V^T V)[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void eighAgreesWithHipparchusAtManySizesAndOnDegenerateMatrices() {
        Random r = new Random(31);
        for (int n : new int[] {1, 2, 3, 5, 17, 40, 70}) {
            checkEigh(symmetric(r, n, 0), n, "random n=" + n);
        }
        int n = 6;
        double[] identity = new double[n * n];
        double[] diagonalRepeated = new double[n * n];
        double[] tridiagonal = new double[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1;
            diagonalRepeated[i * n + i] = i % 2 == 0 ? 2 : -1;
            tridiagonal[i * n + i] = 2;
            if (i > 0) {
                tridiagonal[i * n + i - 1] = -1;
                tridiagonal[(i - 1) * n + i] = -1;
            }
        }
        checkEigh(identity, n, "identity");
        checkEigh(new double[n * n], n, "zero");
        checkEigh(diagonalRepeated, n, "diagonal, repeated");
        checkEigh(tridiagonal, n, "tridiagonal");
        double[] nan = identity.clone();
        nan[7] = Double.NaN;
        double[] v = new double[n * n];
        double[] w = new double[n];
        EighKernel.decompose(nan, 0, n, v, 0, w, 0);
        assertTrue(Double.isNaN(w[0]) && Double.isNaN(v[0]), "NaN in, NaN out");
    }

    @Test
    void choleskyLuAndTriangularSolveAgreeWithHipparchusAtManySizes() {
        Random r = new Random(32);
        for (int n : new int[] {1, 2, 7, 33, 70}) {
            double[] m = symmetric(r, n, 0);
            double[] spd = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = i == j ? n : 0;
                    for (int k = 0; k < n; k++) {
                        s += m[i * n + k] * m[j * n + k];
                    }
                    spd[i * n + j] = s;
                }
            }
            double[] l = spd.clone();
            CholeskyKernel.factor(l, 0, n);
            RealMatrix expectedL = new CholeskyDecomposition(hip(spd, n)).getL();
            double[] lu = m.clone();
            int[] pivots = new int[n];
            int[] perm = new int[n];
            LuKernel.factor(lu, 0, n, n, pivots, 0, perm, 0);
            LUDecomposition expectedLu = new LUDecomposition(hip(m, n), 0);
            double[] x = m.clone();
            // L⁻¹ m by the kernel, against Hipparchus's general solve with L
            TriangularSolveKernel.solve(l, 0, x, 0, n, n, true, true, false, false);
            RealMatrix expectedX = new LUDecomposition(expectedL).getSolver().solve(hip(m, n));
            for (int i = 0; i < n; i++) {
                assertEquals(expectedLu.getPivot()[i], perm[i], "permutation n=" + n);
                for (int j = 0; j < n; j++) {
                    assertEquals(expectedL.getEntry(i, j), l[i * n + j], 1e-12 * n, "L n=" + n);
                    double packed = j < i ? expectedLu.getL().getEntry(i, j) : expectedLu.getU().getEntry(i, j);
                    assertEquals(packed, lu[i * n + j], 1e-11, "LU n=" + n);
                    assertEquals(expectedX.getEntry(i, j), x[i * n + j], 1e-10, "L^-1 m n=" + n);
                }
            }
        }
        double[] notPd = {1, 2, 2, 1};
        CholeskyKernel.factor(notPd, 0, 2);
        assertTrue(Arrays.stream(notPd).allMatch(Double::isNaN), "not positive definite: NaNs, as JAX");
        double[] singular = {0, 0, 0, 0};
        LuKernel.factor(singular, 0, 2, 2, new int[2], 0, new int[2], 0);
        assertTrue(Arrays.stream(singular).allMatch(v -> v == 0), "a zero matrix factors to zeros (no NaNs), as getrf");
    }

    /** Rectangular and rank-deficient LU across several panels: {@code P A = L U}, against the unpacked factors. */
    @Test
    void blockedLuReconstructsRectangularAndSingularMatricesAcrossPanels() {
        Random r = new Random(33);
        for (int[] mn : new int[][] {{70, 45}, {45, 70}, {97, 97}, {66, 66}}) {
            int m = mn[0];
            int n = mn[1];
            double[] a = new double[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextDouble() * 2 - 1;
            }
            if (m == 66) {
                // rank 40: rows past 40 are combinations of the first two, so later pivots are (near) zero
                for (int i = 40; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        a[i * n + j] = 0.5 * a[j] - 2 * a[n + j];
                    }
                }
            }
            int k = Math.min(m, n);
            double[] lu = a.clone();
            int[] pivots = new int[k];
            int[] perm = new int[m];
            LuKernel.factor(lu, 0, m, n, pivots, 0, perm, 0);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p <= Math.min(i, Math.min(j, k - 1)); p++) {
                        double l = p == i ? 1 : lu[i * n + p];
                        s += l * lu[p * n + j];
                    }
                    assertEquals(a[perm[i] * n + j], s, 1e-12 * k, m + "x" + n + ": (P A)[" + i + "," + j + "] = (L U)");
                    assertTrue(Double.isFinite(lu[i * n + j]), m + "x" + n + ": finite");
                }
            }
            for (int i = 0; i < k; i++) {
                assertTrue(pivots[i] >= i && pivots[i] < m, "pivot " + i + " is a row at or below it");
            }
        }
    }
}
