package dev.solstice.kernel;

/**
 * The QR decomposition {@code A = Q R} of a row-major {@code m x n} matrix by Householder reflections, with
 * LAPACK's conventions ({@code geqrf}'s {@code larfg}, then {@code orgqr}), so that the signs are those JAX's
 * CPU lowering gives: reflection {@code j} maps column {@code j} below the diagonal to
 * {@code beta e_1} with {@code beta = -sign(a_jj) ||a_j..||}, so {@code R}'s diagonal has the opposite sign to the
 * pivot it replaces; a column already zero below the diagonal is left alone ({@code tau = 0}, {@code R_jj} keeps
 * its sign). {@code Q} is {@code H_0 H_1 ... H_{k-1}} applied to the first {@code qCols} columns of the
 * identity ({@code k = min(m, n)}; {@code qCols} is {@code k} (reduced) or {@code m} (complete)). NaNs propagate.
 *
 * <p>Blocked as {@code geqrf} and {@code orgqr}: on a transposed copy (so that each column of {@code A} is a
 * contiguous row), a panel of {@link #BLOCK} columns is factored reflection by reflection within the panel;
 * its reflections are gathered into the compact form {@code H_j0 ... H_j1-1 = I - V T Vᵀ} ({@code larft},
 * {@code T} upper triangular); the columns right of the panel then take {@code (I - V T Vᵀ)ᵀ} in three
 * {@link TrailingUpdate} products ({@code larfb}), which is where most of the work is. {@code Q} is formed
 * likewise, applying the blocks to the identity's columns from the last block back.
 */
public final class QrKernel {
    private QrKernel() {}

    /** Columns per panel. */
    static final int BLOCK = 16;

    /** The side of the square tiles in which the input and {@code Q} are transposed. */
    private static final int TILE = 16;

    /** Below this, a sum of squares may have lost its small terms to underflow: the norm is taken by hypot. */
    private static final double SAFE_SQUARES = 0x1p-900;

    /**
     * Decomposes the {@code m x n} matrix at {@code aOff} of {@code a} (left unchanged): {@code Q}
     * ({@code m x qCols}) into {@code q} at {@code qOff} and {@code R} ({@code qCols x n}, zero below the
     * diagonal) into {@code r} at {@code rOff}; {@code qCols} is {@code min(m, n)} or {@code m}.
     */
    public static void decompose(double[] a, int aOff, int m, int n, int qCols, double[] q, int qOff, double[] r, int rOff) {
        int k = Math.min(m, n);
        // column j of A is w[j*m .. j*m + m): each reflection works along contiguous memory
        double[] w = new double[n * m];
        transpose(a, aOff, m, n, w, 0);
        double[] tau = new double[k];
        int blocks = (k + BLOCK - 1) / BLOCK;
        double[][] ts = new double[blocks][];
        PanelLoops loops = PanelLoops.get();
        Work work = new Work(m, Math.max(n, qCols));
        for (int j0 = 0, b = 0; j0 < k; j0 += BLOCK, b++) {
            int j1 = Math.min(j0 + BLOCK, k);
            factorPanel(w, m, j0, j1, tau, loops);
            work.reflectors(w, m, j0, j1);
            ts[b] = triangularFactor(work, m - j0, j1 - j0, tau, j0);
            if (j1 < n) {
                // Cᵀ <- Cᵀ (I - V T Vᵀ), C the columns right of the panel from row j0
                applyBlock(w, j1 * m + j0, m, n - j1, work, ts[b], j1 - j0, m - j0, false);
            }
        }
        for (int i = 0; i < qCols; i++) {
            for (int j = 0; j < n; j++) {
                r[rOff + i * n + j] = j >= i ? w[j * m + i] : 0;
            }
        }
        double[] qt = new double[qCols * m];                  // Qᵀ, from the identity's first qCols columns
        for (int c = 0; c < qCols; c++) {
            qt[c * m + c] = 1;
        }
        for (int b = blocks - 1; b >= 0; b--) {
            int j0 = b * BLOCK;
            int j1 = Math.min(j0 + BLOCK, k);
            int nb = j1 - j0;
            work.reflectors(w, m, j0, j1);
            double[] tt = new double[nb * nb];
            for (int i = 0; i < nb; i++) {
                for (int j = 0; j < nb; j++) {
                    tt[i * nb + j] = ts[b][j * nb + i];
                }
            }
            // Q <- (I - V T Vᵀ) Q on rows and columns from j0, i.e. Qᵀ <- Qᵀ (I - V Tᵀ Vᵀ); the later blocks have
            // touched only rows and columns from j1, so Qᵀ's block is [I 0; 0 Q22]
            applyBlock(qt, j0 * m + j0, m, qCols - j0, work, tt, nb, m - j0, true);
        }
        transpose(qt, 0, qCols, m, q, qOff);
    }

    /** {@code out[outOff + j*rows + i] = in[inOff + i*cols + j]}, in tiles (a power-of-two stride thrashes). */
    private static void transpose(double[] in, int inOff, int rows, int cols, double[] out, int outOff) {
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(i0 + TILE, rows);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(j0 + TILE, cols);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        out[outOff + j * rows + i] = in[inOff + i * cols + j];
                    }
                }
            }
        }
    }

    /**
     * Reflections {@code j0..j1-1} ({@code larfg}), each applied at once to the panel's later columns; column
     * {@code j} keeps {@code R_jj} on the diagonal and {@code v}'s part below it (its 1 on the diagonal implied).
     */
    private static void factorPanel(double[] w, int m, int j0, int j1, double[] tau, PanelLoops loops) {
        for (int j = j0; j < j1; j++) {
            int xj = j * m;
            double alpha = w[xj + j];
            double tail = tailNorm(w, xj + j + 1, m - j - 1, loops);
            if (tail == 0) {
                continue;                                     // tau = 0: H_j = I
            }
            double beta = -Math.copySign(Math.hypot(alpha, tail), alpha);
            tau[j] = (beta - alpha) / beta;
            double scale = 1 / (alpha - beta);
            for (int i = xj + j + 1, end = xj + m; i < end; i++) {
                w[i] *= scale;                                // v = (1, x[j+1..] / (alpha - beta))
            }
            w[xj + j] = beta;
            for (int c = j + 1; c < j1; c++) {
                reflect(w, xj, tau[j], c * m, j, m, loops);
            }
        }
    }

    /**
     * The 2-norm of {@code x[off .. off+len)}: the square root of the sum of squares, unless that sum overflowed,
     * underflowed towards the subnormals or is NaN, when it is accumulated by hypot, which neither overflows nor
     * underflows (and gives what the unblocked kernel gave for infinities and NaNs).
     */
    private static double tailNorm(double[] x, int off, int len, PanelLoops loops) {
        double squares = loops.dot(x, off, x, off, len);
        if (squares >= SAFE_SQUARES && squares < Double.POSITIVE_INFINITY) {
            return Math.sqrt(squares);
        }
        double tail = 0;
        for (int i = off, end = off + len; i < end; i++) {
            tail = Math.hypot(tail, x[i]);
        }
        return tail;
    }

    /**
     * {@code y <- (I - tau v vᵀ) y} on rows {@code j..m-1}, where {@code y} is at {@code w[yo..]} and {@code v}
     * is 1 at row {@code j} and {@code w[ho + j + 1..]} below it.
     */
    private static void reflect(double[] w, int ho, double tau, int yo, int j, int m, PanelLoops loops) {
        double d = w[yo + j] + loops.dot(w, ho + j + 1, w, yo + j + 1, m - j - 1);
        d *= tau;
        w[yo + j] -= d;
        for (int i = j + 1; i < m; i++) {
            w[yo + i] -= d * w[ho + i];
        }
    }

    /**
     * The {@code nb x nb} upper triangular {@code T} (row-major) with {@code H_j0 ... H_j1-1 = I - V T Vᵀ}
     * ({@code larft}, forward, by columns), from the work's {@code V} ({@code mm x nb}): {@code T_ii = tau_i} and
     * {@code T(0:i, i) = -tau_i T(0:i, 0:i) V(:, 0:i)ᵀ v_i}, the products {@code Vᵀ V} taken at once by one
     * {@link TrailingUpdate} product.
     */
    private static double[] triangularFactor(Work work, int mm, int nb, double[] tau, int j0) {
        double[] g = work.y;                                  // -Vᵀ V
        java.util.Arrays.fill(g, 0, nb * nb, 0.0);
        TrailingUpdate.subtractProduct(work.vt, 0, mm, 1, work.v, 0, nb, g, 0, nb, nb, mm, nb);
        double[] t = new double[nb * nb];
        for (int i = 0; i < nb; i++) {
            double ti = tau[j0 + i];
            t[i * nb + i] = ti;
            if (ti == 0) {
                continue;
            }
            for (int p = 0; p < i; p++) {
                double s = 0;
                for (int c = p; c < i; c++) {
                    s += t[p * nb + c] * g[c * nb + i];
                }
                t[p * nb + i] = ti * s;
            }
        }
        return t;
    }

    /**
     * {@code Xᵀ <- Xᵀ (I - V S Vᵀ)} for the {@code rows x mm} block {@code Xᵀ} at {@code x[xo..]} (rows
     * {@code ldx} apart), with the work's reflectors {@code V} ({@code mm x nb}) and {@code S} ({@code nb x nb},
     * row-major): {@code Y = -(Xᵀ V)}, then {@code Z = -(Y S)}, then {@code Xᵀ -= Z Vᵀ}. With
     * {@code identityTop}, {@code Xᵀ} is known to be {@code [I 0; 0 X22]} ({@code I} of order {@code nb}), and
     * {@code Y} is taken from {@code X22} alone.
     */
    private static void applyBlock(double[] x, int xo, int ldx, int rows, Work work, double[] s, int nb, int mm,
            boolean identityTop) {
        if (rows == 0) {
            return;
        }
        double[] y = work.y;
        double[] z = work.z;
        java.util.Arrays.fill(y, 0, rows * nb, 0.0);
        java.util.Arrays.fill(z, 0, rows * nb, 0.0);
        if (identityTop) {
            // Xᵀ = [I 0; 0 X22]: Y's first nb rows are -V's, the rest -(X22 V2), V2 V's rows from nb
            for (int e = 0; e < nb * nb; e++) {
                y[e] = -work.v[e];
            }
            TrailingUpdate.subtractProduct(x, xo + nb * ldx + nb, ldx, 1, work.v, nb * nb, nb, y, nb * nb, nb,
                    rows - nb, mm - nb, nb);
        } else {
            TrailingUpdate.subtractProduct(x, xo, ldx, 1, work.v, 0, nb, y, 0, nb, rows, mm, nb);
        }
        TrailingUpdate.subtractProduct(y, 0, nb, 1, s, 0, nb, z, 0, nb, rows, nb, nb);
        TrailingUpdate.subtractProduct(z, 0, nb, 1, work.vt, 0, mm, x, xo, ldx, rows, nb, mm);
    }

    /** The scratch of the block updates, sized for the largest block. */
    private static final class Work {
        /** {@code V} ({@code mm x nb}, row-major): unit lower trapezoidal. */
        final double[] v;
        /** {@code Vᵀ} ({@code nb x mm}, row-major). */
        final double[] vt;
        final double[] y;
        final double[] z;

        Work(int m, int rows) {
            v = new double[m * BLOCK];
            vt = new double[m * BLOCK];
            y = new double[Math.max(rows, BLOCK) * BLOCK];
            z = new double[rows * BLOCK];
        }

        /** Fills {@code V} and {@code Vᵀ} with reflections {@code j0..j1-1}, from row {@code j0}. */
        void reflectors(double[] w, int m, int j0, int j1) {
            int nb = j1 - j0;
            int mm = m - j0;
            for (int p = 0; p < nb; p++) {
                int src = (j0 + p) * m + j0;
                int row = p * mm;
                java.util.Arrays.fill(vt, row, row + p, 0.0);
                vt[row + p] = 1;
                System.arraycopy(w, src + p + 1, vt, row + p + 1, mm - p - 1);
            }
            for (int p = 0; p < nb; p++) {
                for (int i = 0; i < mm; i++) {
                    v[i * nb + p] = vt[p * mm + i];
                }
            }
        }
    }
}
