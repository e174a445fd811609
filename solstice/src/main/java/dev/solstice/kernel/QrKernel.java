package dev.solstice.kernel;

/**
 * The QR decomposition {@code A = Q R} of a row-major {@code m x n} matrix by Householder reflections, with
 * LAPACK's conventions ({@code geqrf}'s {@code larfg}, then {@code orgqr}), so that the signs are those JAX's
 * CPU lowering gives: reflection {@code j} maps column {@code j} below the diagonal to
 * {@code beta e_1} with {@code beta = -sign(a_jj) ||a_j..||}, so {@code R}'s diagonal has the opposite sign to the
 * pivot it replaces; a column already zero below the diagonal is left alone ({@code tau = 0}, {@code R_jj} keeps
 * its sign). {@code Q} is {@code H_0 H_1 ... H_{k-1}} applied to the first {@code qCols} columns of the
 * identity ({@code k = min(m, n)}; {@code qCols} is {@code k} (reduced) or {@code m} (complete)). NaNs propagate.
 */
public final class QrKernel {
    private QrKernel() {}

    /**
     * Decomposes the {@code m x n} matrix at {@code aOff} of {@code a} (left unchanged): {@code Q}
     * ({@code m x qCols}) into {@code q} at {@code qOff} and {@code R} ({@code qCols x n}, zero below the
     * diagonal) into {@code r} at {@code rOff}; {@code qCols} is {@code min(m, n)} or {@code m}.
     */
    public static void decompose(double[] a, int aOff, int m, int n, int qCols, double[] q, int qOff, double[] r, int rOff) {
        int k = Math.min(m, n);
        // Column-major working copy, so that each reflection works down contiguous columns.
        double[][] col = new double[n][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                col[j][i] = a[aOff + i * n + j];
            }
        }
        double[] tau = new double[k];
        for (int j = 0; j < k; j++) {
            double[] x = col[j];
            double alpha = x[j];
            double tail = 0;
            for (int i = j + 1; i < m; i++) {
                tail = Math.hypot(tail, x[i]);
            }
            if (tail == 0) {
                continue;                                     // tau = 0: H_j = I
            }
            double beta = -Math.copySign(Math.hypot(alpha, tail), alpha);
            tau[j] = (beta - alpha) / beta;
            double scale = 1 / (alpha - beta);
            for (int i = j + 1; i < m; i++) {
                x[i] *= scale;                                // v = (1, x[j+1..] / (alpha - beta))
            }
            x[j] = beta;
            for (int c = j + 1; c < n; c++) {
                reflect(x, tau[j], col[c], j, m);
            }
        }
        for (int i = 0; i < qCols; i++) {
            for (int j = 0; j < n; j++) {
                r[rOff + i * n + j] = j >= i && i < m ? col[j][i] : 0;
            }
        }
        double[][] qc = new double[qCols][m];
        for (int c = 0; c < qCols; c++) {
            qc[c][c] = 1;
        }
        for (int j = k - 1; j >= 0; j--) {
            if (tau[j] != 0) {
                for (int c = j; c < qCols; c++) {
                    reflect(col[j], tau[j], qc[c], j, m);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < qCols; c++) {
                q[qOff + i * qCols + c] = qc[c][i];
            }
        }
    }

    /**
     * {@code y <- (I - tau v vᵀ) y} on rows {@code j..m-1}, where {@code v} is 1 at row {@code j} and
     * {@code h[j+1..]} below it (the diagonal of {@code h} holds {@code R_jj}, not {@code v}).
     */
    private static void reflect(double[] h, double tau, double[] y, int j, int m) {
        // vᵀ y in four interleaved partial sums: independent chains of additions, several times faster than one
        double s0 = y[j];
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = j + 1;
        for (; i + 3 < m; i += 4) {
            s0 += h[i] * y[i];
            s1 += h[i + 1] * y[i + 1];
            s2 += h[i + 2] * y[i + 2];
            s3 += h[i + 3] * y[i + 3];
        }
        for (; i < m; i++) {
            s0 += h[i] * y[i];
        }
        double d = (s0 + s1) + (s2 + s3);
        d *= tau;
        y[j] -= d;
        for (int r = j + 1; r < m; r++) {
            y[r] -= d * h[r];
        }
    }
}
