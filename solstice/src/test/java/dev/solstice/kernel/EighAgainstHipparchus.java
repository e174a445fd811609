package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealMatrix;

/**
 * The checks {@link EighKernel}'s tests share: eigenvalues within {@code 4 n} ulps of the largest against
 * Hipparchus (backward stable), the values-only entry bitwise {@code decompose}'s, {@code V diag(w) Vᵀ = A} and
 * {@code Vᵀ V = I}.
 */
final class EighAgainstHipparchus {
    private EighAgainstHipparchus() {}

    /** What {@link #check} computed, for further checks of the eigenvectors. */
    record Checked(EigenDecompositionSymmetric oracle, double[] expected, double scale, double[] v, double[] w) {}

    /** A random symmetric {@code n x n} matrix with entries in [-1, 1). */
    static double[] symmetric(Random r, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double x = r.nextDouble() * 2 - 1;
                a[i * n + j] = x;
                a[j * n + i] = x;
            }
        }
        return a;
    }

    static RealMatrix matrix(double[] a, int n) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(a, i * n, (i + 1) * n);
        }
        return new Array2DRowRealMatrix(rows, false);
    }

    static Checked check(double[] a, int n, String what) {
        EigenDecompositionSymmetric oracle = new EigenDecompositionSymmetric(matrix(a, n));
        double[] expected = oracle.getEigenvalues().clone();
        Arrays.sort(expected);
        double scale = Double.MIN_NORMAL;
        for (double x : expected) {
            scale = Math.max(scale, Math.abs(x));
        }
        double[] v = new double[n * n];
        double[] w = new double[n];
        EighKernel.decompose(a, 0, n, v, 0, w, 0);
        double[] values = new double[n];
        EighKernel.eigenvalues(a, 0, n, values, 0);
        double tol = 4 * n * Math.ulp(scale);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], w[i], tol, what + ": eigenvalue " + i);
            assertEquals(Double.doubleToLongBits(w[i]), Double.doubleToLongBits(values[i]),
                    what + ": values-only bitwise eigh's, " + i);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double rebuilt = 0;
                double gram = 0;
                for (int k = 0; k < n; k++) {
                    rebuilt += v[i * n + k] * w[k] * v[j * n + k];
                    gram += v[k * n + i] * v[k * n + j];
                }
                assertEquals(a[i * n + j], rebuilt, tol, what + ": (V diag(w) Vᵀ)[" + i + "," + j + "]");
                assertEquals(i == j ? 1 : 0, gram, 4 * n * Math.ulp(1.0), what + ": (Vᵀ V)[" + i + "," + j + "]");
            }
        }
        return new Checked(oracle, expected, scale, v, w);
    }
}
