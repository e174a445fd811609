package dev.solstice.kernel;

import java.util.Arrays;

/**
 * Eigenvalues and eigenvectors of a symmetric matrix, row-major (as JAX's {@code eigh}): read from the lower
 * triangle only; the eigenvalues come out ascending and the eigenvectors as the matching columns of an
 * orthogonal matrix. Each eigenvector's sign is fixed so that its component of largest magnitude (the first
 * on a tie) is positive (LAPACK fixes none; any sign is a valid answer, and this one is deterministic). NaNs
 * or infinities in the input give NaNs everywhere.
 *
 * <p>The classic two stages (EISPACK's {@code tred2} and {@code tql2}, as LAPACK's {@code syev} does in
 * blocked form): Householder reduction to tridiagonal form with the transformations accumulated, then the
 * implicit QL iteration with Wilkinson-like shifts on the tridiagonal matrix, rotating the accumulated basis.
 * The rotations act on rows of the transposed basis, so that their inner loops run over contiguous memory.
 */
public final class EighKernel {
    private EighKernel() {}

    private static final double EPS = Math.ulp(1.0);
    private static final int MAX_ITERATIONS_PER_EIGENVALUE = 60;

    /**
     * Decomposes the {@code n x n} matrix at {@code aOff} of {@code a}: eigenvectors (columns) into
     * {@code v} at {@code vOff}, eigenvalues into {@code w} at {@code wOff}; {@code a} is left unchanged.
     */
    public static void decompose(double[] a, int aOff, int n, double[] v, int vOff, double[] w, int wOff) {
        double[] q = symmetricCopy(a, aOff, n);
        if (q == null) {
            Arrays.fill(v, vOff, vOff + n * n, Double.NaN);
            Arrays.fill(w, wOff, wOff + n, Double.NaN);
            return;
        }
        if (n == 0) {
            return;
        }
        double[] d = new double[n];
        double[] e = new double[n];
        reduce(q, n, d, e);
        accumulate(q, n, d, e);
        diagonalize(q, n, d, e);
        store(q, n, d, v, vOff, w, wOff);
    }

    /**
     * The eigenvalues only, ascending, of the {@code n x n} matrix at {@code aOff} of {@code a} into {@code w}
     * at {@code wOff}: the same reduction and QL iteration as {@link #decompose} without accumulating or rotating
     * the basis, so the values are bitwise those of {@link #decompose} at a fraction of its work.
     */
    public static void eigenvalues(double[] a, int aOff, int n, double[] w, int wOff) {
        double[] q = symmetricCopy(a, aOff, n);
        if (q == null) {
            Arrays.fill(w, wOff, wOff + n, Double.NaN);
            return;
        }
        if (n == 0) {
            return;
        }
        double[] d = new double[n];
        double[] e = new double[n];
        reduce(q, n, d, e);
        for (int j = 0; j < n; j++) {
            d[j] = q[j * n + j];
        }
        e[0] = 0;
        diagonalize(null, n, d, e);
        Arrays.sort(d);
        System.arraycopy(d, 0, w, wOff, n);
    }

    /** The symmetric matrix of {@code a}'s lower triangle, or null when it holds a NaN or an infinity. */
    private static double[] symmetricCopy(double[] a, int aOff, int n) {
        double[] q = new double[n * n];
        boolean finite = true;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double x = a[aOff + i * n + j];
                q[i * n + j] = x;
                q[j * n + i] = x;
                finite &= Double.isFinite(x);
            }
        }
        return finite ? q : null;
    }

    /**
     * Householder reduction of the symmetric {@code q} to tridiagonal form: afterwards {@code e} holds the
     * off-diagonal, {@code q}'s diagonal the diagonal, its strict lower part the reflectors and {@code d} their
     * scales, for {@link #accumulate}. This is {@code tred2} with every matrix index swapped, so that its cubic
     * inner loops, which walk columns of the transformation, walk rows of {@code q}.
     */
    private static void reduce(double[] q, int n, double[] d, double[] e) {
        for (int j = 0; j < n; j++) {
            d[j] = q[j * n + n - 1];
        }
        for (int i = n - 1; i > 0; i--) {
            double scale = 0;
            double h = 0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = q[j * n + i - 1];
                    q[j * n + i] = 0;
                    q[i * n + j] = 0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.sqrt(h);
                if (f > 0) {
                    g = -g;
                }
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                Arrays.fill(e, 0, i, 0.0);
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    q[i * n + j] = f;
                    g = e[j] + q[j * n + j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += q[j * n + k] * d[k];
                        e[k] += q[j * n + k] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) {
                    e[j] -= hh * d[j];
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) {
                        q[j * n + k] -= f * e[k] + g * d[k];
                    }
                    d[j] = q[j * n + i - 1];
                    q[j * n + i] = 0;
                }
            }
            d[i] = h;
        }
    }

    /**
     * After {@link #reduce}: {@code d} gets the diagonal and {@code q} the transpose of the accumulated
     * transformation.
     */
    private static void accumulate(double[] q, int n, double[] d, double[] e) {
        for (int i = 0; i < n - 1; i++) {
            q[i * n + n - 1] = q[i * n + i];
            q[i * n + i] = 1;
            double h = d[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) {
                    d[k] = q[(i + 1) * n + k] / h;
                }
                for (int j = 0; j <= i; j++) {
                    double g = 0;
                    for (int k = 0; k <= i; k++) {
                        g += q[(i + 1) * n + k] * q[j * n + k];
                    }
                    for (int k = 0; k <= i; k++) {
                        q[j * n + k] -= g * d[k];
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                q[(i + 1) * n + k] = 0;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = q[j * n + n - 1];
            q[j * n + n - 1] = 0;
        }
        q[(n - 1) * n + n - 1] = 1;
        e[0] = 0;
    }

    /**
     * Implicit QL on the tridiagonal {@code d, e}; {@code qt}'s rows (the basis vectors) are rotated alike unless
     * {@code qt} is null.
     */
    private static void diagonalize(double[] qt, int n, double[] d, double[] e) {
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0;
        double f = 0;
        double tst1 = 0;
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) {
                m++;
            }
            for (int iter = 0; m > l && iter < MAX_ITERATIONS_PER_EIGENVALUE && Math.abs(e[l]) > EPS * tst1; iter++) {
                double g = d[l];
                double p = (d[l + 1] - g) / (2 * e[l]);
                double r = Math.copySign(Math.hypot(p, 1), p);
                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                double dl1 = d[l + 1];
                double h = g - d[l];
                for (int i = l + 2; i < n; i++) {
                    d[i] -= h;
                }
                f += h;
                p = d[m];
                double c = 1;
                double c2 = c;
                double c3 = c;
                double el1 = e[l + 1];
                double s = 0;
                double s2 = 0;
                for (int i = m - 1; i >= l; i--) {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = Math.hypot(p, e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    if (qt == null) {
                        continue;
                    }
                    int ri = i * n;
                    int rn = (i + 1) * n;
                    for (int k = 0; k < n; k++) {
                        double t = qt[rn + k];
                        qt[rn + k] = s * qt[ri + k] + c * t;
                        qt[ri + k] = c * qt[ri + k] - s * t;
                    }
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    /** Eigenvalues ascending, eigenvectors as the matching columns with their signs fixed. */
    private static void store(double[] qt, int n, double[] d, double[] v, int vOff, double[] w, int wOff) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(d[x], d[y]));
        for (int c = 0; c < n; c++) {
            int src = order[c] * n;
            w[wOff + c] = d[order[c]];
            int big = 0;
            for (int k = 1; k < n; k++) {
                if (Math.abs(qt[src + k]) > Math.abs(qt[src + big])) {
                    big = k;
                }
            }
            double sign = qt[src + big] < 0 ? -1 : 1;
            for (int k = 0; k < n; k++) {
                v[vOff + k * n + c] = sign * qt[src + k];
            }
        }
    }
}
