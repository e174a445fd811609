package dev.solstice.kernel;

import java.util.Arrays;

/**
 * The singular value decomposition {@code A = U diag(s) Vh} of a row-major {@code m x n} matrix, working on the
 * tall orientation ({@code A} or {@code Aᵀ}): with vectors, Householder bidiagonalisation and the implicit-shift
 * QR iteration on the bidiagonal ({@link BidiagonalSvd}, LAPACK's {@code gesvd} route), accurate to a few ulps
 * of the largest singular value; should that iteration not converge, one-sided (Hestenes) Jacobi, whose plane
 * rotations make the columns mutually orthogonal so that their norms are the singular values. Values alone: the
 * same steps without the vectors, so the same values bit for bit.
 *
 * <p>Conventions: {@code s} descending; {@code U} is {@code m x k} and {@code Vh} {@code k x n} with
 * {@code k = min(m, n)} (reduced), or {@code m x m} and {@code n x n} (full), the extra columns an
 * orthonormal completion; the tall side's singular vectors of exactly zero singular values are completed the
 * same way. Signs, which LAPACK leaves to its algorithm: each column of {@code U} has its component of largest
 * magnitude (the first on a tie) positive and, for the first {@code k}, the matching row of {@code Vh} carries
 * the same sign flip so that {@code U diag(s) Vh} is unchanged; each completion row of a full {@code Vh} has
 * its own largest component positive. NaNs or infinities in the input give NaNs everywhere.
 */
public final class SvdKernel {
    private SvdKernel() {}

    private static final double TOLERANCE = 4 * Math.ulp(1.0);
    private static final int MAX_SWEEPS = 80;

    /**
     * Decomposes the {@code m x n} matrix at {@code aOff} of {@code a} (left unchanged): singular values into
     * {@code s} at {@code sOff}; when {@code computeUv}, {@code U} into {@code u} at {@code uOff} and {@code Vh}
     * into {@code vh} at {@code vhOff}, their sizes as {@code full} says.
     */
    public static void decompose(double[] a, int aOff, int m, int n, boolean computeUv, boolean full, double[] s, int sOff,
            double[] u, int uOff, double[] vh, int vhOff) {
        int k = Math.min(m, n);
        int uCols = full ? m : k;
        int vhRows = full ? n : k;
        boolean tall = m >= n;
        int p = tall ? m : n;
        int q = k;
        double[][] rows = new double[p][q];                   // the tall orientation, row-major
        boolean finite = true;
        double largest = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = a[aOff + i * n + j];
                finite &= Double.isFinite(x);
                largest = Math.max(largest, Math.abs(x));
                if (tall) {
                    rows[i][j] = x;
                } else {
                    rows[j][i] = x;
                }
            }
        }
        if (!finite) {
            Arrays.fill(s, sOff, sOff + k, Double.NaN);
            if (computeUv) {
                Arrays.fill(u, uOff, uOff + m * uCols, Double.NaN);
                Arrays.fill(vh, vhOff, vhOff + vhRows * n, Double.NaN);
            }
            return;
        }
        // Far from 1, the reflections' products of two entries would overflow or underflow: bring the largest
        // entry near 1 by a power of two (exact), and the singular values back at the end.
        int exponent = largest == 0 || Math.abs(Math.getExponent(largest)) < 400 ? 0 : Math.getExponent(largest);
        if (exponent != 0) {
            for (double[] row : rows) {
                for (int j = 0; j < q; j++) {
                    row[j] = Math.scalb(row[j], -exponent);
                }
            }
        }
        if (!computeUv) {
            // the vectors' bidiagonalisation and QR iteration without the vectors: bitwise the same values
            double[] d = new double[q];
            double[] e = new double[Math.max(q - 1, 0)];
            BidiagonalSvd.reduce(rows, p, q, d, e);
            if (BidiagonalSvd.diagonalize(d, e, null, null)) {
                for (int j = 0; j < q; j++) {
                    d[j] = Math.abs(d[j]);
                }
                Arrays.sort(d);
                for (int j = 0; j < q; j++) {
                    s[sOff + j] = Math.scalb(d[q - 1 - j], exponent);
                }
            } else {
                decompose(a, aOff, m, n, true, false, s, sOff, new double[m * k], 0, new double[k * n], 0);
            }
            return;
        }
        double[] values = new double[q];
        double[][] longSide = new double[tall ? uCols : vhRows][];
        double[][] right = new double[q][];
        if (!BidiagonalSvd.decompose(rows, p, q, values, longSide, right)) {
            jacobi(a, aOff, m, n, exponent, values, longSide, right);
        }
        Integer[] order = new Integer[q];
        for (int j = 0; j < q; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));  // stable: descending, ties by index
        for (int j = 0; j < q; j++) {
            s[sOff + j] = Math.scalb(values[order[j]], exponent);
        }
        // The tall side's basis in that order; vectors of zero singular values are left for the completion.
        double[][] unsorted = Arrays.copyOf(longSide, q);
        Arrays.fill(longSide, null);
        for (int j = 0; j < q; j++) {
            if (values[order[j]] > 0) {
                longSide[j] = unsorted[order[j]];
            }
        }
        complete(longSide, p);
        double[][] shortSide = new double[q][];
        for (int j = 0; j < q; j++) {
            shortSide[j] = right[order[j]];
        }
        double[][] uColumns = tall ? longSide : shortSide;
        double[][] vRows = tall ? shortSide : longSide;
        for (int j = 0; j < uColumns.length; j++) {
            double sign = largestIsNegative(uColumns[j]) ? -1 : 1;
            for (int i = 0; i < m; i++) {
                u[uOff + i * uCols + j] = sign * uColumns[j][i];
            }
            if (j < vRows.length) {
                double rowSign = j < k ? sign : largestIsNegative(vRows[j]) ? -1 : 1;
                for (int i = 0; i < n; i++) {
                    vh[vhOff + j * n + i] = rowSign * vRows[j][i];
                }
            }
        }
        for (int j = uColumns.length; j < vRows.length; j++) {
            double rowSign = largestIsNegative(vRows[j]) ? -1 : 1;
            for (int i = 0; i < n; i++) {
                vh[vhOff + j * n + i] = rowSign * vRows[j][i];
            }
        }
    }

    /**
     * Rotates pairs of columns until every pair is orthogonal to within {@link #TOLERANCE} of the product of
     * their norms, applying the same rotations to {@code right} (when not null), whose rows are the columns of
     * the accumulated orthogonal factor.
     */
    static void orthogonalizeColumns(double[][] col, double[][] right) {
        int q = col.length;
        double[] squares = new double[q];
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int j = 0; j < q; j++) {
                squares[j] = dot(col[j], col[j]);                 // fresh each sweep; updated per rotation below
            }
            for (int j = 0; j < q - 1; j++) {
                for (int l = j + 1; l < q; l++) {
                    double alpha = squares[j];
                    double beta = squares[l];
                    double gamma = dot(col[j], col[l]);
                    if (gamma == 0 || Math.abs(gamma) <= TOLERANCE * Math.sqrt(alpha) * Math.sqrt(beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
                    double c = 1 / Math.hypot(1, t);
                    double sn = c * t;
                    rotate(col[j], col[l], c, sn);
                    squares[j] = alpha - t * gamma;                   // the rotation's exact effect on the norms
                    squares[l] = beta + t * gamma;
                    if (right != null) {
                        rotate(right[j], right[l], c, sn);
                    }
                }
            }
            if (!rotated) {
                return;
            }
        }
    }

    /**
     * The fallback: one-sided Jacobi on the columns of the tall orientation of the {@code m x n} matrix at
     * {@code aOff} scaled by {@code 2^-exponent}, giving the same outputs as {@link BidiagonalSvd#decompose} (a zero column stays null in
     * {@code longSide}, for the completion).
     */
    static void jacobi(double[] a, int aOff, int m, int n, int exponent, double[] values, double[][] longSide, double[][] right) {
        boolean tall = m >= n;
        int q = Math.min(m, n);
        int p = Math.max(m, n);
        double[][] col = new double[q][p];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = Math.scalb(a[aOff + i * n + j], -exponent);
                if (tall) {
                    col[j][i] = x;
                } else {
                    col[i][j] = x;
                }
            }
        }
        double[][] rotations = identity(q);
        orthogonalizeColumns(col, rotations);
        for (int j = 0; j < q; j++) {
            double norm = Math.sqrt(dot(col[j], col[j]));
            values[j] = norm;
            longSide[j] = null;
            if (norm > 0) {
                for (int i = 0; i < p; i++) {
                    col[j][i] /= norm;
                }
                longSide[j] = col[j];
            }
            right[j] = rotations[j];
        }
    }

    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double a = x[i];
            double b = y[i];
            x[i] = c * a - s * b;
            y[i] = s * a + c * b;
        }
    }

    /**
     * Fills the null entries of {@code basis} (orthonormal vectors of length {@code p} elsewhere) with further
     * orthonormal vectors: each time the coordinate vector farthest from the span so far, orthogonalised
     * against it twice (modified Gram-Schmidt) and normalised, which is deterministic.
     */
    static void complete(double[][] basis, int p) {
        for (int slot = 0; slot < basis.length; slot++) {
            if (basis[slot] != null) {
                continue;
            }
            int best = 0;
            double bestResidual = -1;
            for (int c = 0; c < p; c++) {
                double r = 1;
                for (double[] v : basis) {
                    if (v != null) {
                        r -= v[c] * v[c];
                    }
                }
                if (r > bestResidual + 1e-12) {
                    bestResidual = r;
                    best = c;
                }
            }
            double[] e = new double[p];
            e[best] = 1;
            for (int pass = 0; pass < 2; pass++) {
                for (double[] v : basis) {
                    if (v != null) {
                        double d = dot(v, e);
                        for (int i = 0; i < p; i++) {
                            e[i] -= d * v[i];
                        }
                    }
                }
            }
            double norm = Math.sqrt(dot(e, e));
            for (int i = 0; i < p; i++) {
                e[i] /= norm;
            }
            basis[slot] = e;
        }
    }

    private static boolean largestIsNegative(double[] v) {
        int big = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[big])) {
                big = i;
            }
        }
        return v[big] < 0;
    }

    private static double[][] identity(int n) {
        double[][] e = new double[n][n];
        for (int i = 0; i < n; i++) {
            e[i][i] = 1;
        }
        return e;
    }

    /**
     * {@code x · y} in four interleaved partial sums (elements {@code i mod 4}), added pairwise at the end: four
     * independent chains of additions instead of one, about three times faster where the sweeps spend their time.
     */
    private static double dot(double[] x, double[] y) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int len = x.length;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += x[i] * y[i];
            s1 += x[i + 1] * y[i + 1];
            s2 += x[i + 2] * y[i + 2];
            s3 += x[i + 3] * y[i + 3];
        }
        for (; i < len; i++) {
            s0 += x[i] * y[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
