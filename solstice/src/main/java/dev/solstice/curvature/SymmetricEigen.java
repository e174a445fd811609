package dev.solstice.curvature;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigenvalues and eigenvectors of a small dense symmetric matrix (a Lanczos tridiagonal, at most a few hundred
 * rows) by cyclic Jacobi rotations, accurate to rounding; the matrix is not modified.
 *
 * @param values the eigenvalues, descending
 * @param vectors {@code vectors[j]} is the unit eigenvector of {@code values[j]}
 */
record SymmetricEigen(double[] values, double[][] vectors) {

    static SymmetricEigen of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("SymmetricEigen: the matrix is not square (row " + i + " has "
                        + matrix[i].length + " entries, " + n + " rows)");
            }
            a[i] = matrix[i].clone();
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += a[i][j] * a[i][j];
                    off += i != j ? a[i][j] * a[i][j] : 0;
                }
            }
            if (off <= 1e-30 * Math.max(total, Double.MIN_NORMAL)) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int r = p + 1; r < n; r++) {
                    if (a[p][r] != 0) {
                        rotate(a, v, p, r);
                    }
                }
            }
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> a[i][i]).reversed());
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int j = 0; j < n; j++) {
            values[j] = a[order[j]][order[j]];
            for (int i = 0; i < n; i++) {
                vectors[j][i] = v[i][order[j]];
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    /** One Jacobi rotation zeroing a[p][r], applied to a on both sides and to the accumulated vectors v. */
    private static void rotate(double[][] a, double[][] v, int p, int r) {
        int n = a.length;
        double theta = (a[r][r] - a[p][p]) / (2 * a[p][r]);
        double t = theta == 0 ? 1 : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int i = 0; i < n; i++) {
            double aip = a[i][p];
            double air = a[i][r];
            a[i][p] = c * aip - s * air;
            a[i][r] = s * aip + c * air;
        }
        for (int i = 0; i < n; i++) {
            double api = a[p][i];
            double ari = a[r][i];
            a[p][i] = c * api - s * ari;
            a[r][i] = s * api + c * ari;
        }
        for (int i = 0; i < n; i++) {
            double vip = v[i][p];
            double vir = v[i][r];
            v[i][p] = c * vip - s * vir;
            v[i][r] = s * vip + c * vir;
        }
    }
}
