package dev.solstice.kernel;

import java.util.Arrays;

/**
 * The Cholesky factor of a symmetric positive-definite matrix, row-major, in place: {@code A = L Lᵀ} with
 * {@code L} lower triangular, read from the lower triangle of {@code A} only (LAPACK's {@code potrf} with
 * {@code uplo = 'L'}); the strict upper triangle of the result is zero. A matrix that is not positive
 * definite (a pivot that is not positive, or NaN) gives a matrix of NaNs, as JAX's CPU lowering does.
 *
 * <p>Blocked right-looking on the upper factor {@code U = Lᵀ}, so that every loop runs along contiguous rows
 * (as {@code potrf}): the lower triangle is read into the upper one of a work matrix; a panel of {@link #BLOCK}
 * rows is factored left-looking (row {@code k} first takes {@code u_sk} times each earlier panel row {@code s},
 * four rows at a time through {@link PanelLoops}, then is scaled by {@code 1 / sqrt(u_kk)}); the trailing
 * matrix then takes {@code U12ᵀ U12} (its upper triangle) in one {@link TrailingUpdate} (register-tiled matrix
 * multiply), which is where nearly all the work is. {@code L} is
 * the transpose of the result.
 */
public final class CholeskyKernel {
    private CholeskyKernel() {}

    /** Rows per panel. */
    static final int BLOCK = 32;

    /** The side of the square tiles in which the lower triangle is transposed in and out. */
    private static final int TILE = 16;

    /** Factors the {@code n x n} matrix at {@code off} of {@code a} in place. */
    public static void factor(double[] a, int off, int n) {
        double[] w = new double[n * n];
        // in tiles: a column of a row-major matrix a power of two long would thrash the cache's sets
        for (int i0 = 0; i0 < n; i0 += TILE) {
            for (int j0 = i0; j0 < n; j0 += TILE) {
                for (int i = i0, i1 = Math.min(i0 + TILE, n); i < i1; i++) {
                    for (int j = Math.max(i, j0), j1 = Math.min(j0 + TILE, n); j < j1; j++) {
                        w[i * n + j] = a[off + j * n + i];
                    }
                }
            }
        }
        PanelLoops loops = PanelLoops.get();
        double[] coef = new double[BLOCK];
        for (int k0 = 0; k0 < n; k0 += BLOCK) {
            int k1 = Math.min(k0 + BLOCK, n);
            for (int k = k0; k < k1; k++) {
                int rk = k * n;
                // row k takes the panel's earlier rows: u_kc -= sum_s u_sk u_sc over s in [k0, k), c >= k
                for (int s = k0; s < k; s++) {
                    coef[s - k0] = w[s * n + k];
                }
                loops.subtractCombination(w, k0 * n + k, k - k0, n, coef, w, rk + k, n - k);
                double pivot = w[rk + k];
                if (!(pivot > 0)) {
                    Arrays.fill(a, off, off + n * n, Double.NaN);
                    return;
                }
                double ukk = Math.sqrt(pivot);
                w[rk + k] = ukk;
                for (int c = k + 1; c < n; c++) {
                    w[rk + c] /= ukk;
                }
            }
            // W22 -= U12ᵀ U12: A(i, p) = U12(p, i) = w[(k0 + p) n + k1 + i], B(p, j) = w[(k0 + p) n + k1 + j]
            TrailingUpdate.subtractUpperProduct(w, n - k1, k1 - k0, k0 * n + k1, 1, n, k0 * n + k1, n,
                    k1 * n + k1, n);
        }
        for (int i0 = 0; i0 < n; i0 += TILE) {
            for (int j0 = 0; j0 <= i0; j0 += TILE) {
                for (int i = i0, i1 = Math.min(i0 + TILE, n); i < i1; i++) {
                    int ri = off + i * n;
                    for (int j = j0, j1 = Math.min(j0 + TILE, i + 1); j < j1; j++) {
                        a[ri + j] = w[j * n + i];
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int ri = off + i * n;
            Arrays.fill(a, ri + i + 1, ri + n, 0.0);
        }
    }
}
