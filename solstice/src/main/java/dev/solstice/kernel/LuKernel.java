package dev.solstice.kernel;

/**
 * LU decomposition with partial pivoting of an {@code m x n} row-major matrix, in place (LAPACK's
 * {@code getrf}, as JAX's {@code lax.linalg.lu}): {@code P A = L U} with {@code L} unit lower triangular
 * ({@code m x k}, its unit diagonal not stored) and {@code U} upper triangular ({@code k x n}), {@code k = min(m, n)},
 * packed into one matrix. At step {@code j} the row of largest magnitude in column {@code j} (the first on a
 * tie) is swapped into row {@code j}; {@code pivots[j]} records that row and {@code permutation} the
 * resulting order of the rows. A zero pivot (a singular matrix) leaves its column unscaled and the
 * decomposition goes on, as {@code getrf} does: {@code U} then has a zero on its diagonal and nothing is NaN.
 */
public final class LuKernel {
    private LuKernel() {}

    /**
     * Factors the matrix at {@code off} of {@code a} in place; writes {@code k} pivots at {@code pivOff} of
     * {@code pivots} and {@code m} row indices at {@code permOff} of {@code permutation}.
     */
    public static void factor(double[] a, int off, int m, int n, int[] pivots, int pivOff, int[] permutation, int permOff) {
        for (int i = 0; i < m; i++) {
            permutation[permOff + i] = i;
        }
        int k = Math.min(m, n);
        for (int j = 0; j < k; j++) {
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
                continue;
            }
            int rj = off + j * n;
            for (int i = j + 1; i < m; i++) {
                int ri = off + i * n;
                double l = a[ri + j] / pivot;
                a[ri + j] = l;
                if (l != 0) {
                    for (int c = j + 1; c < n; c++) {
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
