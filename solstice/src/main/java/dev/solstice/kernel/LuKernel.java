package dev.solstice.kernel;

/**
 * LU decomposition with partial pivoting of an {@code m x n} row-major matrix, in place (LAPACK's
 * {@code getrf}, as JAX's {@code lax.linalg.lu}): {@code P A = L U} with {@code L} unit lower triangular
 * ({@code m x k}, its unit diagonal not stored) and {@code U} upper triangular ({@code k x n}), {@code k = min(m, n)},
 * packed into one matrix. At step {@code j} the row of largest magnitude in column {@code j} (the first on a
 * tie) is swapped into row {@code j}; {@code pivots[j]} records that row and {@code permutation} the
 * resulting order of the rows. A zero pivot (a singular matrix) leaves its column unscaled and the
 * decomposition goes on, as {@code getrf} does: {@code U} then has a zero on its diagonal and nothing is NaN.
 *
 * <p>Blocked right-looking, as {@code getrf}: a panel of {@link #BLOCK} columns is factored with pivoting (whole
 * rows swapped), updating only the panel's columns; the panel's rows of {@code U} right of it are finished by
 * forward substitution; the trailing matrix then takes the panel's product {@code L21 U12} in one
 * {@link TrailingUpdate} (register-tiled matrix multiply), which is where nearly all the work is.
 */
public final class LuKernel {
    private LuKernel() {}

    /** Columns per panel. */
    static final int BLOCK = 32;

    /**
     * Factors the matrix at {@code off} of {@code a} in place; writes {@code k} pivots at {@code pivOff} of
     * {@code pivots} and {@code m} row indices at {@code permOff} of {@code permutation}.
     */
    public static void factor(double[] a, int off, int m, int n, int[] pivots, int pivOff, int[] permutation, int permOff) {
        for (int i = 0; i < m; i++) {
            permutation[permOff + i] = i;
        }
        int k = Math.min(m, n);
        for (int j0 = 0; j0 < k; j0 += BLOCK) {
            int j1 = Math.min(j0 + BLOCK, k);
            for (int j = j0; j < j1; j++) {
                int p = j;
                double best = Math.abs(a[off + j * n + j]);
                for (int i = j + 1; i < m; i++) {
                    double v = Math.abs(a[off + i * n + j]);
                    if (v > best || (Double.isNaN(v) && !Double.isNaN(best))) {
                        best = v;
                        p = i;
                    }
                }
                pivots[pivOff + j] = p;
                if (p != j) {
                    swapRows(a, off + j * n, off + p * n, n);
                    int t = permutation[permOff + j];
                    permutation[permOff + j] = permutation[permOff + p];
                    permutation[permOff + p] = t;
                }
                double pivot = a[off + j * n + j];
                if (pivot == 0) {
                    continue;                                  // getrf: no scaling, no update
                }
                int rj = off + j * n;
                for (int i = j + 1; i < m; i++) {
                    int ri = off + i * n;
                    double l = a[ri + j] / pivot;
                    a[ri + j] = l;
                    if (l != 0) {
                        for (int c = j + 1; c < j1; c++) {
                            a[ri + c] -= l * a[rj + c];
                        }
                    }
                }
            }
            finishPanelRows(a, off, n, j0, j1);
            TrailingUpdate.subtractProduct(a, m - j1, j1 - j0, n - j1, off + j1 * n + j0, n, 1, off + j0 * n + j1, n,
                    off + j1 * n + j1, n, false);
        }
    }

    /**
     * The panel's rows of {@code U} right of the panel (columns from {@code j1}), by forward substitution with
     * the panel's unit lower triangle; until now every row's columns from {@code j1} are as they were before the
     * panel, so that the row swaps inside it exchanged rows in one state. A zero pivot's column is skipped.
     */
    private static void finishPanelRows(double[] a, int off, int n, int j0, int j1) {
        for (int i = j0 + 1; i < j1; i++) {
            int ri = off + i * n;
            for (int j = j0; j < i; j++) {
                int rj = off + j * n;
                double l = a[rj + j] == 0 ? 0 : a[ri + j];
                if (l != 0) {
                    for (int c = j1; c < n; c++) {
                        a[ri + c] -= l * a[rj + c];
                    }
                }
            }
        }
    }

    private static void swapRows(double[] a, int r1, int r2, int n) {
        for (int c = 0; c < n; c++) {
            double t = a[r1 + c];
            a[r1 + c] = a[r2 + c];
            a[r2 + c] = t;
        }
    }
}
