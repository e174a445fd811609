package dev.solstice.kernel;

import java.util.Arrays;

/**
 * The Cholesky factor of a symmetric positive-definite matrix, row-major, in place: {@code A = L Lᵀ} with
 * {@code L} lower triangular, read from the lower triangle of {@code A} only (LAPACK's {@code potrf} with
 * {@code uplo = 'L'}); the strict upper triangle of the result is zero. A matrix that is not positive
 * definite (a pivot that is not positive, or NaN) gives a matrix of NaNs, as JAX's CPU lowering does.
 *
 * <p>Cholesky-Crout by rows: {@code L[i][j] = (A[i][j] - L[i][:j]·L[j][:j]) / L[j][j]}, whose inner
 * products run along two contiguous rows, with four accumulators so that the additions do not wait on each other.
 */
public final class CholeskyKernel {
    private CholeskyKernel() {}

    /** Factors the {@code n x n} matrix at {@code off} of {@code a} in place. */
    public static void factor(double[] a, int off, int n) {
        for (int i = 0; i < n; i++) {
            int ri = off + i * n;
            for (int j = 0; j <= i; j++) {
                int rj = off + j * n;
                double s = a[ri + j] - dot(a, ri, rj, j);
                if (j < i) {
                    a[ri + j] = s / a[rj + j];
                } else if (s > 0) {
                    a[ri + i] = Math.sqrt(s);
                } else {
                    Arrays.fill(a, off, off + n * n, Double.NaN);
                    return;
                }
            }
            Arrays.fill(a, ri + i + 1, ri + n, 0.0);
        }
    }

    /** {@code sum_k a[x + k] a[y + k]} for {@code k < len}. */
    private static double dot(double[] a, int x, int y, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < len; k += 4) {
            s0 += a[x + k] * a[y + k];
            s1 += a[x + k + 1] * a[y + k + 1];
            s2 += a[x + k + 2] * a[y + k + 2];
            s3 += a[x + k + 3] * a[y + k + 3];
        }
        for (; k < len; k++) {
            s0 += a[x + k] * a[y + k];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
