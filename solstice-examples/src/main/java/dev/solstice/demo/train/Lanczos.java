package dev.solstice.demo.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Extreme eigenvalues of a symmetric linear operator known only through matrix-vector products (for a
 * Hessian: Hessian-vector products), by the Lanczos iteration with full reorthogonalisation, all in double
 * arithmetic. After {@code m} steps the eigenvalues of the {@code m x m} tridiagonal matrix (Ritz values)
 * approximate the operator's extreme eigenvalues; the largest converge first.
 */
public final class Lanczos {
    private Lanczos() {}

    /**
     * The result of a Lanczos run.
     *
     * @param ritzValues all Ritz values, in descending order ({@code steps} of them, fewer on breakdown)
     * @param steps the number of Lanczos steps taken
     */
    public record Result(double[] ritzValues, int steps) {
        /** Copies the array. */
        public Result {
            ritzValues = ritzValues.clone();
        }

        /** A copy of the Ritz values, descending. */
        @Override
        public double[] ritzValues() {
            return ritzValues.clone();
        }

        /** The {@code k} largest Ritz values in descending order (fewer when fewer were found). */
        public double[] top(int k) {
            return Arrays.copyOf(ritzValues, Math.min(k, ritzValues.length));
        }
    }

    /**
     * Runs {@code steps} Lanczos steps on the symmetric operator {@code matvec} of dimension {@code n},
     * starting from a random unit vector drawn from {@code seed}, with full reorthogonalisation (two passes of
     * Gram-Schmidt against every earlier Lanczos vector) so that no spurious copies of converged eigenvalues
     * appear. Stops early when the Krylov space is exhausted.
     *
     * @param matvec {@code v -> A v} for vectors of length {@code n}; must not modify its argument
     * @param n the dimension
     * @param steps the number of steps, at least 1 (capped at {@code n})
     * @param seed seeds the starting vector
     * @throws IllegalArgumentException when {@code n} or {@code steps} is not positive, or {@code matvec}
     *     returns a vector of the wrong length or a non-finite value
     */
    public static Result run(UnaryOperator<double[]> matvec, int n, int steps, long seed) {
        if (n <= 0 || steps <= 0) {
            throw new IllegalArgumentException("Lanczos: n and steps must be positive, got n " + n + ", steps " + steps);
        }
        int m = Math.min(steps, n);
        double[][] q = new double[m][];
        double[] alpha = new double[m];
        double[] beta = new double[m];
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextDouble() - 0.5;
        }
        scale(v, 1 / norm(v));
        int k = 0;
        while (k < m) {
            q[k] = v;
            double[] w = matvec.apply(v.clone());
            if (w.length != n) {
                throw new IllegalArgumentException("Lanczos: matvec returned " + w.length + " elements, expected " + n);
            }
            for (double x : w) {
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("Lanczos: matvec returned a non-finite value at step " + k);
                }
            }
            alpha[k] = dot(w, v);
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j <= k; j++) {
                    axpy(-dot(w, q[j]), q[j], w);
                }
            }
            k++;
            double b = norm(w);
            if (k == m || b <= 1e-12 * Math.max(1, Math.abs(alpha[k - 1]))) {
                break;
            }
            beta[k - 1] = b;
            scale(w, 1 / b);
            v = w;
        }
        double[][] t = new double[k][k];
        for (int i = 0; i < k; i++) {
            t[i][i] = alpha[i];
            if (i + 1 < k) {
                t[i][i + 1] = beta[i];
                t[i + 1][i] = beta[i];
            }
        }
        double[] eig = symmetricEigenvalues(t);
        return new Result(eig, k);
    }

    /**
     * All eigenvalues of a small symmetric matrix, in descending order, by cyclic Jacobi rotations (accurate
     * to rounding for the sizes used here). The matrix is not modified.
     *
     * @throws IllegalArgumentException when the matrix is not square
     */
    public static double[] symmetricEigenvalues(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("symmetricEigenvalues: the matrix is not square");
            }
            a[i] = matrix[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += a[i][j] * a[i][j];
                    if (i != j) {
                        off += a[i][j] * a[i][j];
                    }
                }
            }
            if (off <= 1e-30 * Math.max(total, Double.MIN_NORMAL)) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int r = p + 1; r < n; r++) {
                    if (a[p][r] == 0) {
                        continue;
                    }
                    double theta = (a[r][r] - a[p][p]) / (2 * a[p][r]);
                    double tt = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        tt = 1;
                    }
                    double c = 1 / Math.sqrt(tt * tt + 1);
                    double s = tt * c;
                    for (int i = 0; i < n; i++) { // columns p, r
                        double aip = a[i][p];
                        double air = a[i][r];
                        a[i][p] = c * aip - s * air;
                        a[i][r] = s * aip + c * air;
                    }
                    for (int i = 0; i < n; i++) { // rows p, r
                        double api = a[p][i];
                        double ari = a[r][i];
                        a[p][i] = c * api - s * ari;
                        a[r][i] = s * api + c * ari;
                    }
                }
            }
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i][i];
        }
        Arrays.sort(d);
        for (int i = 0; i < n / 2; i++) {
            double tmp = d[i];
            d[i] = d[n - 1 - i];
            d[n - 1 - i] = tmp;
        }
        return d;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
    }

    private static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += alpha * x[i];
        }
    }
}
