package dev.solstice.kernel;

import java.util.Arrays;

/**
 * The singular value decomposition {@code A = U diag(s) Vh} of a row-major {@code m x n} matrix, by one-sided
 * (Hestenes) Jacobi: plane rotations make the columns of the tall orientation ({@code A} or {@code Aᵀ})
 * mutually orthogonal, and their norms are then the singular values; accurate to working precision, simple
 * and slow for large matrices (correctness first; LAPACK's {@code gesdd} is the fast path JAX takes).
 *
 * <p>Conventions: {@code s} descending; {@code U} is {@code m x k} and {@code Vh} {@code k x n} with
 * {@code k = min(m, n)} (reduced), or {@code m x m} and {@code n x n} (full), the extra columns an
 * orthonormal completion; left singular vectors of zero singular values are completed the same way. Signs,
 * which LAPACK leaves to its algorithm: each column of {@code U} has its component of largest magnitude (the
 * first on a tie) positive and, for the first {@code k}, the matching row of {@code Vh} carries the same sign
 * flip so that {@code U diag(s) Vh} is unchanged; each completion row of a full {@code Vh} has its own
 * largest component positive. NaNs or infinities in the input give NaNs everywhere.
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
        double[][] col = new double[q][p];
        boolean finite = true;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = a[aOff + i * n + j];
                finite &= Double.isFinite(x);
                if (tall) {
                    col[j][i] = x;
                } else {
                    col[i][j] = x;
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
        if (!computeUv) {
            singularValues(col, p, q, s, sOff);
            return;
        }
        double[][] right = identity(q);
        orthogonalizeColumns(col, right);
        double[] norms = new double[q];
        for (int j = 0; j < q; j++) {
            norms[j] = Math.sqrt(dot(col[j], col[j]));
        }
        Integer[] order = new Integer[q];
        for (int j = 0; j < q; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));  // stable: descending, ties by index
        for (int j = 0; j < q; j++) {
            s[sOff + j] = norms[order[j]];
        }
        if (!computeUv) {
            return;
        }
        // The tall side's basis: normalised columns, zero ones left for the completion.
        double[][] longSide = new double[tall ? uCols : vhRows][];
        for (int j = 0; j < q; j++) {
            double norm = norms[order[j]];
            if (norm > 0) {
                double[] c = col[order[j]];
                for (int i = 0; i < p; i++) {
                    c[i] /= norm;
                }
                longSide[j] = c;
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
     * The singular values alone (descending into {@code s} at {@code sOff}) of the {@code p x q} matrix ({@code p >=
     * q}) whose columns are {@code col}: Householder bidiagonalisation, then the eigenvalues of the Golub-Kahan
     * tridiagonal (zero diagonal, off-diagonal {@code d0, e0, d1, e1, ...}), which are {@code +-sigma}. Accurate to
     * a few ulps of the largest singular value, as LAPACK's values are; several times faster than Jacobi sweeps.
     */
    static void singularValues(double[][] col, int p, int q, double[] s, int sOff) {
        double[][] rows = new double[p][q];
        for (int j = 0; j < q; j++) {
            for (int i = 0; i < p; i++) {
                rows[i][j] = col[j][i];
            }
        }
        double[] d = new double[q];
        double[] e = new double[Math.max(q - 1, 0)];
        double[] w = new double[q];
        for (int j = 0; j < q; j++) {
            // the left reflection: zeros below the diagonal of column j
            double norm = 0;
            for (int i = j; i < p; i++) {
                norm = Math.hypot(norm, rows[i][j]);
            }
            d[j] = reflect(rows, j, p, j, norm, w, true);
            if (j < q - 1) {
                // the right reflection: zeros right of the superdiagonal of row j
                double rowNorm = 0;
                for (int c = j + 1; c < q; c++) {
                    rowNorm = Math.hypot(rowNorm, rows[j][c]);
                }
                e[j] = reflect(rows, j, p, j + 1, rowNorm, w, false);
            }
        }
        double[] t = new double[2 * q];
        double[] off = new double[Math.max(2 * q - 1, 0)];
        for (int j = 0; j < q; j++) {
            off[2 * j] = d[j];
            if (j < q - 1) {
                off[2 * j + 1] = e[j];
            }
        }
        EighKernel.tridiagonalEigenvalues(t, off);
        for (int j = 0; j < q; j++) {
            s[sOff + j] = Math.abs(t[2 * q - 1 - j]);
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
            java.util.Arrays.fill(w, first + 1, q, 0);
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
            for (int i = j + 1; i < p; i++) {
                double[] r = rows[i];
                double dot = 0;
                for (int c = first; c < q; c++) {
                    dot += v[c] * r[c];
                }
                dot *= beta;
                for (int c = first; c < q; c++) {
                    r[c] -= dot * v[c];
                }
            }
            v[first] = saved;
        }
        return alpha;
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
