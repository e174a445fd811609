package dev.solstice.kernel;

/**
 * Solves a triangular system, row-major (LAPACK's {@code trsm}, as JAX's {@code lax.linalg.triangular_solve}):
 * on the left {@code op(A) X = B} with {@code A} {@code m x m} and {@code B} {@code m x n}; on the right
 * {@code X op(A) = B} with {@code A} {@code n x n} and {@code B} {@code m x n}; {@code op(A)} is {@code A} or,
 * {@code transposeA}, {@code Aᵀ}. Only the triangle named by {@code lower} is read, and with
 * {@code unitDiagonal} not its diagonal either (taken as ones). A zero on the diagonal gives infinities or
 * NaNs, as {@code trsm} does.
 *
 * <p>The right-side case is the left-side case transposed ({@code op(A)ᵀ Xᵀ = Bᵀ}); the left-side case
 * substitutes row by row, each step an update of a contiguous row of {@code X} by earlier rows; with one
 * right-hand side (a row of one element) it works along rows of {@code A} instead (see {@code solveVector}).
 */
public final class TriangularSolveKernel {
    private TriangularSolveKernel() {}

    /** Overwrites {@code b} (the {@code rows x cols} matrix at {@code bOff}) with the solution. */
    public static void solve(double[] a, int aOff, double[] b, int bOff, int rows, int cols,
            boolean leftSide, boolean lower, boolean transposeA, boolean unitDiagonal) {
        if (leftSide) {
            solveLeft(a, aOff, b, bOff, rows, cols, lower, transposeA, unitDiagonal);
            return;
        }
        double[] t = transpose(b, bOff, rows, cols);
        solveLeft(a, aOff, t, 0, cols, rows, lower, !transposeA, unitDiagonal);
        double[] back = transpose(t, 0, cols, rows);
        System.arraycopy(back, 0, b, bOff, back.length);
    }

    /** {@code op(A) X = B}, {@code A} {@code m x m}, {@code X} and {@code B} {@code m x n} at {@code bOff}. */
    private static void solveLeft(double[] a, int aOff, double[] x, int xOff, int m, int n,
            boolean lower, boolean transposeA, boolean unitDiagonal) {
        // op(A) is lower triangular when exactly one of lower and transposeA holds: substitute forwards
        boolean forward = lower != transposeA;
        if (n == 1) {
            solveVector(a, aOff, x, xOff, m, forward, transposeA, unitDiagonal);
            return;
        }
        for (int s = 0; s < m; s++) {
            int i = forward ? s : m - 1 - s;
            int ri = xOff + i * n;
            int kFrom = forward ? 0 : i + 1;
            int kTo = forward ? i : m;
            for (int k = kFrom; k < kTo; k++) {
                double t = transposeA ? a[aOff + k * m + i] : a[aOff + i * m + k];
                if (t != 0) {
                    int rk = xOff + k * n;
                    for (int c = 0; c < n; c++) {
                        x[ri + c] -= t * x[rk + c];
                    }
                }
            }
            if (!unitDiagonal) {
                double d = a[aOff + i * m + i];
                for (int c = 0; c < n; c++) {
                    x[ri + c] /= d;
                }
            }
        }
    }

    /**
     * {@link #solveLeft} for one right-hand side, along rows of {@code A} either way: with {@code A} each
     * unknown is its row's dot product with the known ones ({@link PanelLoops}, vectorised); with {@code Aᵀ}
     * each unknown, once known, is taken from the later ones along its row of {@code A} (a multiply-add over
     * contiguous memory), instead of walking a column of {@code A}.
     */
    private static void solveVector(double[] a, int aOff, double[] x, int xOff, int m, boolean forward,
            boolean transposeA, boolean unitDiagonal) {
        PanelLoops loops = PanelLoops.get();
        for (int s = 0; s < m; s++) {
            int i = forward ? s : m - 1 - s;
            int ri = aOff + i * m;
            if (!transposeA) {
                int from = forward ? 0 : i + 1;
                int to = forward ? i : m;
                x[xOff + i] -= loops.dot(a, ri + from, x, xOff + from, to - from);
            }
            if (!unitDiagonal) {
                x[xOff + i] /= a[ri + i];
            }
            if (transposeA) {
                // x_j -= A(i, j) x_i for the unknowns after i in the substitution order
                double xi = x[xOff + i];
                int from = forward ? i + 1 : 0;
                int to = forward ? m : i;
                if (xi != 0) {
                    for (int j = from; j < to; j++) {
                        x[xOff + j] -= a[ri + j] * xi;
                    }
                }
            }
        }
    }

    private static double[] transpose(double[] x, int off, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[off + i * cols + j];
            }
        }
        return t;
    }
}
