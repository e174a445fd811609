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
 * rows swapped), updating only the panel's columns (in a column-major copy); the panel's rows of {@code U} right of it are finished by
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
        PanelLoops loops = PanelLoops.get();
        double[] coef = new double[BLOCK];
        double[][] cols = new double[Math.min(BLOCK, k)][m];
        for (int j0 = 0; j0 < k; j0 += BLOCK) {
            int j1 = Math.min(j0 + BLOCK, k);
            factorPanel(a, off, m, n, j0, j1, cols, pivots, pivOff, permutation, permOff);
            finishPanelRows(a, off, n, j0, j1, loops, coef);
            TrailingUpdate.subtractProduct(a, m - j1, j1 - j0, n - j1, off + j1 * n + j0, n, 1, off + j0 * n + j1, n,
                    off + j1 * n + j1, n);
        }
    }

    /**
     * Factors the panel of columns {@code [j0, j1)} (rows from {@code j0}) with partial pivoting, in a
     * column-major copy ({@code cols[c]} is the panel's column {@code j0 + c} from row {@code j0}), so that the
     * pivot search and each column's update run along contiguous memory, and the update's loops index two
     * distinct arrays at one position, which the JIT vectorises. Rows outside the panel are swapped in place;
     * the arithmetic is {@code getf2}'s, element by element in the same order.
     */
    private static void factorPanel(double[] a, int off, int m, int n, int j0, int j1, double[][] cols,
            int[] pivots, int pivOff, int[] permutation, int permOff) {
        int w = j1 - j0;
        int h = m - j0;
        for (int r = 0; r < h; r++) {
            int ra = off + (j0 + r) * n + j0;
            for (int c = 0; c < w; c++) {
                cols[c][r] = a[ra + c];
            }
        }
        for (int jj = 0; jj < w; jj++) {
            int j = j0 + jj;
            double[] cj = cols[jj];
            int p = jj;
            double best = Math.abs(cj[jj]);
            for (int r = jj + 1; r < h; r++) {
                double v = Math.abs(cj[r]);
                if (v > best || (Double.isNaN(v) && !Double.isNaN(best))) {
                    best = v;
                    p = r;
                }
            }
            pivots[pivOff + j] = j0 + p;
            if (p != jj) {
                for (int c = 0; c < w; c++) {
                    double[] cc = cols[c];
                    double t = cc[jj];
                    cc[jj] = cc[p];
                    cc[p] = t;
                }
                int rj = off + j * n;
                int rp = off + (j0 + p) * n;
                swapRows(a, rj, rp, j0);
                swapRows(a, rj + j1, rp + j1, n - j1);
                int t = permutation[permOff + j];
                permutation[permOff + j] = permutation[permOff + j0 + p];
                permutation[permOff + j0 + p] = t;
            }
            double pivot = cj[jj];
            if (pivot == 0) {
                continue;                                      // getrf: no scaling, no update
            }
            for (int r = jj + 1; r < h; r++) {
                cj[r] /= pivot;
            }
            for (int c = jj + 1; c < w; c++) {
                double[] cc = cols[c];
                double u = cc[jj];
                if (u != 0) {
                    for (int r = jj + 1; r < h; r++) {
                        cc[r] -= cj[r] * u;
                    }
                }
            }
        }
        for (int r = 0; r < h; r++) {
            int ra = off + (j0 + r) * n + j0;
            for (int c = 0; c < w; c++) {
                a[ra + c] = cols[c][r];
            }
        }
    }

    /**
     * The panel's rows of {@code U} right of the panel (columns from {@code j1}), by forward substitution with
     * the panel's unit lower triangle, each row taking all its earlier panel rows at once through
     * {@link PanelLoops}; until now every row's columns from {@code j1} are as they were before the panel, so
     * that the row swaps inside it exchanged rows in one state. A zero pivot's column is skipped.
     */
    private static void finishPanelRows(double[] a, int off, int n, int j0, int j1, PanelLoops loops,
            double[] coef) {
        for (int i = j0 + 1; i < j1; i++) {
            int ri = off + i * n;
            for (int j = j0; j < i; j++) {
                coef[j - j0] = a[off + j * n + j] == 0 ? 0 : a[ri + j];
            }
            loops.subtractCombination(a, off + j0 * n + j1, i - j0, n, coef, a, ri + j1, n - j1);
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
