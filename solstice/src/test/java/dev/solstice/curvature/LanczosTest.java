package dev.solstice.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.junit.jupiter.api.Test;

/** Lanczos and the Jacobi eigensolver against a direct eigendecomposition (Hipparchus) of small symmetric matrices. */
class LanczosTest {

    /** A random symmetric n x n matrix with entries in [-1, 1). */
    private static double[][] randomSymmetric(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = a[j][i] = 2 * r.nextDouble() - 1;
            }
        }
        return a;
    }

    /** Q diag(lambda) Q^T with Q orthogonal (a product of Householder reflections from {@code seed}). */
    private static double[][] withSpectrum(double[] lambda, long seed) {
        int n = lambda.length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = lambda[i];
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int h = 0; h < 3; h++) {
            double[] v = new double[n];
            double nn = 0;
            for (int i = 0; i < n; i++) {
                v[i] = r.nextDouble() - 0.5;
                nn += v[i] * v[i];
            }
            for (int i = 0; i < n; i++) {
                v[i] /= Math.sqrt(nn);
            }
            // a <- (I - 2vv^T) a (I - 2vv^T)
            double[][] p = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    p[i][j] = (i == j ? 1 : 0) - 2 * v[i] * v[j];
                }
            }
            a = mul(mul(p, a), p);
        }
        for (int i = 0; i < n; i++) { // exactly symmetric despite rounding
            for (int j = 0; j < i; j++) {
                a[i][j] = a[j][i] = (a[i][j] + a[j][i]) / 2;
            }
        }
        return a;
    }

    private static double[][] mul(double[][] x, double[][] y) {
        int n = x.length;
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    z[i][j] += x[i][k] * y[k][j];
                }
            }
        }
        return z;
    }

    private static UnaryOperator<double[]> matvec(double[][] a) {
        return v -> {
            double[] w = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                w[i] = Lanczos.dot(a[i], v);
            }
            return w;
        };
    }

    private static double[] direct(double[][] a) {
        double[] e = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(a)).getEigenvalues().clone();
        Arrays.sort(e);
        double[] d = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            d[i] = e[e.length - 1 - i];
        }
        return d;
    }

    /** A starting vector of n uniform entries from {@code seed} (n = 0 gives an empty one). */
    private static double[] start(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble() - 0.5;
        }
        return v;
    }

    @Test
    void jacobiEigenvaluesMatchHipparchus() {
        for (int n : new int[] {1, 2, 5, 12, 30}) {
            double[][] a = randomSymmetric(n, n);
            assertArrayEquals(direct(a), SymmetricEigen.of(a).values(), 1e-10, "n = " + n);
        }
    }

    @Test
    void fullKrylovSpaceGivesEveryEigenvalue() {
        double[][] a = randomSymmetric(20, 7);
        Lanczos r = Lanczos.run(matvec(a), start(20, 1), 20);
        assertEquals(20, r.steps());
        assertArrayEquals(direct(a), r.ritz().values(), 1e-9);
    }

    @Test
    void topEigenvaluesOfALargerMatrixConvergeInFewSteps() {
        // a known spectrum: five well separated large eigenvalues above a bulk in [-1, 1]
        int n = 200;
        double[] lambda = new double[n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            lambda[i] = 2 * r.nextDouble() - 1;
        }
        double[] top = {50, 30, 20, 12, 8};
        System.arraycopy(top, 0, lambda, 0, top.length);
        double[][] a = withSpectrum(lambda, 11);
        double[] want = direct(a);
        assertArrayEquals(top, Arrays.copyOf(want, 5), 1e-9); // the construction is right
        Lanczos res = Lanczos.run(matvec(a), start(n, 2), 25);
        assertEquals(25, res.steps());
        assertArrayEquals(Arrays.copyOf(want, 5), Arrays.copyOf(res.ritz().values(), 5), 1e-8);
        // no spurious copies of the top eigenvalue (full reorthogonalisation)
        assertEquals(1, Arrays.stream(res.ritz().values()).filter(x -> Math.abs(x - 50) < 1e-3).count());
    }

    @Test
    void hessianVectorProductsOfAQuadraticGiveItsSpectrum() {
        int n = 12;
        double[][] a = randomSymmetric(n, 5);
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, flat, i * n, n);
        }
        Array m = Array.of(flat, n, n);
        UnaryOperator<Array> f = x -> Jnp.multiply(Jnp.dot(x, Jnp.matmul(m, x)), 0.5);
        Array x0 = Array.of(new double[n]);
        Lanczos res = Lanczos.run(v -> Jax.hvp(f, x0, Array.of(v)).toDoubleArray(), start(n, 4), n);
        assertArrayEquals(direct(a), res.ritz().values(), 1e-9);
    }

    @Test
    void earlyBreakdownOnAnInvariantSubspaceAndErrors() {
        double[][] id = new double[6][6];
        for (int i = 0; i < 6; i++) {
            id[i][i] = 3;
        }
        Lanczos r = Lanczos.run(matvec(id), start(6, 0), 5);
        assertEquals(1, r.steps());
        assertArrayEquals(new double[] {3}, r.ritz().values(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Lanczos.run(matvec(id), start(0, 0), 5));
        assertThrows(IllegalArgumentException.class, () -> Lanczos.run(v -> new double[2], start(6, 0), 5));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}}));
    }
}
