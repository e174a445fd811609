package dev.solstice.kernel;

import java.util.Arrays;

/**
 * The two stages of the Golub-Kahan-Reinsch SVD of a tall {@code p x q} matrix ({@code p >= q}), the fast path of
 * {@link SvdKernel}: Householder bidiagonalisation {@code A = Q B Pᵀ} ({@code B} upper bidiagonal), then the
 * implicit-shift QR iteration on {@code B} (Golub-Van Loan's Golub-Kahan step with a Wilkinson shift from the
 * trailing 2 x 2 block of {@code BᵀB}), its plane rotations applied to the columns of {@code Q} and {@code P}.
 *
 * <p>The matrix is held as rows ({@code rows[i]} of length {@code q}); the orthogonal factors as arrays of
 * columns, so that every reflection and rotation runs over contiguous memory.
 */
final class BidiagonalSvd {
    private BidiagonalSvd() {}

    private static final double EPS = Math.ulp(1.0);
    /** QR steps allowed per singular value before giving up (a few suffice in practice). */
    private static final int STEPS_PER_VALUE = 30;
    /** Bounds of a sum of squares that has lost nothing to underflow or overflow (else the norm is summed by hypot). */
    private static final double TINY_SQUARE = 0x1p-900;
    private static final double HUGE_SQUARE = 0x1p900;

    /**
     * The SVD of the {@code p x q} matrix {@code rows} (overwritten): the singular values, unsorted and non-negative,
     * into {@code s}; the matching left singular vectors (length {@code p}) into {@code left[j]} and right ones
     * (length {@code q}) into {@code right[j]}. Returns false (outputs unspecified) if the QR iteration did not
     * converge.
     */
    static boolean decompose(double[][] rows, int p, int q, double[] s, double[][] left, double[][] right) {
        double[] d = new double[q];
        double[] e = new double[Math.max(q - 1, 0)];
        reduce(rows, p, q, d, e);
        leftFactor(rows, p, q, d, left);
        rightFactor(rows, q, e, right);
        if (!diagonalize(d, e, left, right)) {
            return false;
        }
        for (int j = 0; j < q; j++) {
            if (d[j] < 0) {
                d[j] = -d[j];
                double[] v = right[j];
                for (int i = 0; i < q; i++) {
                    v[i] = -v[i];
                }
            }
            d[j] = Math.abs(d[j]);                            // no -0.0
        }
        System.arraycopy(d, 0, s, 0, q);
        return true;
    }

    /**
     * Householder bidiagonalisation in place: diagonal into {@code d}, superdiagonal into {@code e}; each
     * reflection's vector stays where it made zeros (below the diagonal for the left ones, right of the
     * superdiagonal for the right ones, with the original leading entry kept on the diagonal or superdiagonal),
     * for {@link #leftFactor} and {@link #rightFactor}.
     */
    static void reduce(double[][] rows, int p, int q, double[] d, double[] e) {
        double[] w = new double[q];
        for (int j = 0; j < q; j++) {
            double squares = 0;                                // the left reflection: zeros below (j, j)
            for (int i = j; i < p; i++) {
                squares += rows[i][j] * rows[i][j];
            }
            double norm = Math.sqrt(squares);
            if (!(squares > TINY_SQUARE && squares < HUGE_SQUARE)) {
                norm = 0;                                      // squares under- or overflowed: sum by hypot
                for (int i = j; i < p; i++) {
                    norm = Math.hypot(norm, rows[i][j]);
                }
            }
            d[j] = reflect(rows, j, p, j, norm, w, true);
            if (j < q - 1) {
                double[] row = rows[j];                        // the right reflection: zeros right of (j, j + 1)
                double rowSquares = dot(row, row, j + 1, q);
                double rowNorm = Math.sqrt(rowSquares);
                if (!(rowSquares > TINY_SQUARE && rowSquares < HUGE_SQUARE)) {
                    rowNorm = 0;
                    for (int c = j + 1; c < q; c++) {
                        rowNorm = Math.hypot(rowNorm, row[c]);
                    }
                }
                e[j] = reflect(rows, j, p, j + 1, rowNorm, w, false);
            }
        }
    }

    /**
     * Applies the Householder reflection that maps the vector at {@code (j, first..)} of {@code rows} (a column
     * segment rows {@code j..p-1} of column {@code first} when {@code left}, else the row segment of row {@code j}
     * from column {@code first}) onto its first axis, to the rest of the matrix; returns the new first entry
     * ({@code -sign(x0) norm}). {@code w} is scratch of the row length.
     */
    private static double reflect(double[][] rows, int j, int p, int first, double norm, double[] w, boolean left) {
        int q = rows[0].length;
        if (norm == 0) {
            return 0;
        }
        double x0 = rows[j][first];
        double alpha = x0 > 0 ? -norm : norm;
        double v0 = x0 - alpha;
        double beta = -1 / (alpha * v0); // 2 / (v^T v) with v^T v = 2 norm (norm - |x0|) = -2 alpha v0
        if (left) {
            // w = v^T A[j.., first+1..], then A -= beta v w
            Arrays.fill(w, first + 1, q, 0);
            for (int i = j; i < p; i++) {
                double vi = i == j ? v0 : rows[i][first];
                double[] r = rows[i];
                for (int c = first + 1; c < q; c++) {
                    w[c] += vi * r[c];
                }
            }
            for (int i = j; i < p; i++) {
                double vi = (i == j ? v0 : rows[i][first]) * beta;
                double[] r = rows[i];
                for (int c = first + 1; c < q; c++) {
                    r[c] -= vi * w[c];
                }
            }
        } else {
            double[] v = rows[j];
            double saved = v[first];
            v[first] = v0;
            PanelLoops loops = PanelLoops.get();               // its (vector) inner product: the loop's bound
            for (int i = j + 1; i < p; i++) {
                double[] r = rows[i];
                double dot = beta * loops.dot(v, first, r, first, q - first);
                for (int c = first; c < q; c++) {
                    r[c] -= dot * v[c];
                }
            }
            v[first] = saved;
        }
        return alpha;
    }

    /** {@code Q = H_0 H_1 ... H_(q-1)}'s first {@code q} columns into {@code cols}, accumulated backwards. */
    private static void leftFactor(double[][] rows, int p, int q, double[] d, double[][] cols) {
        for (int c = 0; c < q; c++) {
            cols[c] = new double[p];
            cols[c][c] = 1;
        }
        double[] v = new double[p];
        for (int j = q - 1; j >= 0; j--) {
            double alpha = d[j];
            if (alpha == 0) {
                continue;                                      // no reflection was applied
            }
            double v0 = rows[j][j] - alpha;
            v[j] = v0;
            for (int i = j + 1; i < p; i++) {
                v[i] = rows[i][j];
            }
            applyReflection(v, j, p, -1 / (alpha * v0), cols, j, q);
        }
    }

    /** {@code P = G_0 G_1 ... G_(q-2)} as columns into {@code cols}, accumulated backwards. */
    private static void rightFactor(double[][] rows, int q, double[] e, double[][] cols) {
        for (int c = 0; c < q; c++) {
            cols[c] = new double[q];
            cols[c][c] = 1;
        }
        double[] v = new double[q];
        for (int j = q - 2; j >= 0; j--) {
            double alpha = e[j];
            if (alpha == 0) {
                continue;
            }
            double v0 = rows[j][j + 1] - alpha;
            v[j + 1] = v0;
            System.arraycopy(rows[j], j + 2, v, j + 2, q - j - 2);
            applyReflection(v, j + 1, q, -1 / (alpha * v0), cols, j + 1, q);
        }
    }

    /** {@code col -= beta v (vᵀ col)} over entries {@code from..len-1}, for the columns {@code first..count-1}. */
    private static void applyReflection(double[] v, int from, int len, double beta, double[][] cols, int first, int count) {
        PanelLoops loops = PanelLoops.get();                   // its (vector) inner product: the loop's bound
        for (int c = first; c < count; c++) {
            double[] x = cols[c];
            double dot = beta * loops.dot(v, from, x, from, len - from);
            for (int i = from; i < len; i++) {
                x[i] -= dot * v[i];
            }
        }
    }

    /**
     * Drives the superdiagonal {@code e} of the bidiagonal {@code (d, e)} to zero, rotating the columns of
     * {@code left} and {@code right} along: an entry counts as zero once below {@code EPS} times its two diagonal
     * neighbours; a diagonal entry below {@code EPS ||B||} is set to zero and its row or column rotated out
     * first, as the implicit step needs an unreduced {@code BᵀB}. Null factors are not rotated (values only).
     * Returns false past the step budget.
     */
    static boolean diagonalize(double[] d, double[] e, double[][] left, double[][] right) {
        int q = d.length;
        double scale = 0;
        for (int i = 0; i < q; i++) {
            scale = Math.max(scale, Math.abs(d[i]));
            if (i < q - 1) {
                scale = Math.max(scale, Math.abs(e[i]));
            }
        }
        if (scale == 0) {
            return true;
        }
        for (int i = 0; i < q; i++) {                          // unit scale: the squares in the shift cannot overflow
            d[i] /= scale;
            if (i < q - 1) {
                e[i] /= scale;
            }
        }
        double zeroDiagonal = EPS;
        int budget = STEPS_PER_VALUE * q;
        int hi = q - 1;
        while (hi > 0) {
            if (negligible(d, e, hi - 1)) {
                e[hi - 1] = 0;
                hi--;
                continue;
            }
            int lo = hi - 1;
            while (lo > 0 && !negligible(d, e, lo - 1)) {
                lo--;
            }
            if (lo > 0) {
                e[lo - 1] = 0;
            }
            int zero = -1;
            for (int i = lo; i <= hi && zero < 0; i++) {
                if (Math.abs(d[i]) <= zeroDiagonal) {
                    zero = i;
                }
            }
            if (zero >= 0) {
                d[zero] = 0;
                if (zero < hi) {
                    chaseRow(d, e, zero, hi, left);
                } else {
                    chaseColumn(d, e, lo, hi, right);
                }
                continue;
            }
            if (--budget < 0) {
                return false;
            }
            step(d, e, lo, hi, left, right);
        }
        for (int i = 0; i < q; i++) {
            d[i] *= scale;
        }
        return true;
    }

    private static boolean negligible(double[] d, double[] e, int i) {
        return Math.abs(e[i]) <= EPS * (Math.abs(d[i]) + Math.abs(d[i + 1]));
    }

    /**
     * One implicit Golub-Kahan step on the unreduced block {@code lo..hi}: a right rotation that starts the
     * implicit QR step of {@code BᵀB - mu I}, then alternating left and right rotations chasing the bulge down.
     */
    private static void step(double[] d, double[] e, int lo, int hi, double[][] left, double[][] right) {
        double dm = d[hi - 1];
        double em = e[hi - 1];
        double el = hi - 1 > lo ? e[hi - 2] : 0;
        double a = dm * dm + el * el;
        double b = dm * em;
        double c = d[hi] * d[hi] + em * em;
        double delta = (a - c) / 2;                            // Wilkinson: the eigenvalue of [a b; b c] nearer c
        double mu = b == 0 ? c : c - b * b / (delta + (delta >= 0 ? 1 : -1) * Math.hypot(delta, b));
        double y = d[lo] * d[lo] - mu;
        double z = d[lo] * e[lo];
        for (int k = lo; k < hi; k++) {
            // right rotation of columns k, k + 1: [y z] -> [r 0]
            double r = norm(y, z);
            double cs = r == 0 ? 1 : y / r;
            double sn = r == 0 ? 0 : z / r;
            if (k > lo) {
                e[k - 1] = r;
            }
            double dk = d[k];
            double ek = e[k];
            double dk1 = d[k + 1];
            double bkk = cs * dk + sn * ek;
            double bkk1 = -sn * dk + cs * ek;
            double bk1k = sn * dk1;
            double bk1k1 = cs * dk1;
            rotate(right, k, k + 1, cs, sn);
            // left rotation of rows k, k + 1: zeros (k + 1, k)
            r = norm(bkk, bk1k);
            cs = r == 0 ? 1 : bkk / r;
            sn = r == 0 ? 0 : bk1k / r;
            d[k] = r;
            e[k] = cs * bkk1 + sn * bk1k1;
            d[k + 1] = -sn * bkk1 + cs * bk1k1;
            rotate(left, k, k + 1, cs, sn);
            if (k < hi - 1) {
                y = e[k];
                z = sn * e[k + 1];                             // the bulge at (k, k + 2)
                e[k + 1] *= cs;
            }
        }
    }

    /** With {@code d[i] = 0}, zeros {@code e[i]} by left rotations of rows {@code (j, i)}, {@code j = i+1..hi}. */
    private static void chaseRow(double[] d, double[] e, int i, int hi, double[][] left) {
        double f = e[i];
        e[i] = 0;
        for (int j = i + 1; j <= hi && f != 0; j++) {
            double r = norm(d[j], f);
            double cs = d[j] / r;
            double sn = f / r;
            d[j] = r;
            rotate(left, j, i, cs, sn);
            if (j < hi) {
                f = -sn * e[j];
                e[j] *= cs;
            }
        }
    }

    /** With {@code d[hi] = 0}, zeros {@code e[hi-1]} by right rotations of columns {@code (j, hi)}, {@code j = hi-1..lo}. */
    private static void chaseColumn(double[] d, double[] e, int lo, int hi, double[][] right) {
        double f = e[hi - 1];
        e[hi - 1] = 0;
        for (int j = hi - 1; j >= lo && f != 0; j--) {
            double r = norm(d[j], f);
            double cs = d[j] / r;
            double sn = f / r;
            d[j] = r;
            rotate(right, j, hi, cs, sn);
            if (j > lo) {
                f = -sn * e[j - 1];
                e[j - 1] *= cs;
            }
        }
    }

    /** {@code sqrt(y² + z²)}, by {@link Math#hypot} only where the squares could underflow (entries are at most about 1 here). */
    private static double norm(double y, double z) {
        double r = Math.sqrt(y * y + z * z);
        return r < 1e-150 ? Math.hypot(y, z) : r;
    }

    /** {@code (x, y) <- (c x + s y, -s x + c y)} for the columns {@code x = factor[j]}, {@code y = factor[l]}. */
    private static void rotate(double[][] factor, int j, int l, double c, double s) {
        if (factor == null) {
            return;
        }
        double[] x = factor[j];
        double[] y = factor[l];
        for (int i = 0; i < x.length; i++) {
            double a = x[i];
            double b = y[i];
            x[i] = c * a + s * b;
            y[i] = c * b - s * a;
        }
    }

    /**
     * {@code x · y} over {@code from..to-1} in four interleaved partial sums: four independent chains of additions
     * instead of one, which the reflections' inner products are bound by.
     */
    private static double dot(double[] x, double[] y, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += x[i] * y[i];
            s1 += x[i + 1] * y[i + 1];
            s2 += x[i + 2] * y[i + 2];
            s3 += x[i + 3] * y[i + 3];
        }
        for (; i < to; i++) {
            s0 += x[i] * y[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
