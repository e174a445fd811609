package dev.solstice.kernel;

import java.util.Arrays;

/**
 * Eigenvalues and eigenvectors of a symmetric matrix, row-major (as JAX's {@code eigh}): read from the lower
 * triangle only; the eigenvalues come out ascending and the eigenvectors as the matching columns of an
 * orthogonal matrix. Each eigenvector's sign is fixed so that its component of largest magnitude (the first
 * on a tie) is positive (LAPACK fixes none; any sign is a valid answer, and this one is deterministic). NaNs
 * in the input give NaNs everywhere.
 *
 * <p>The cyclic Jacobi method: sweeps of plane rotations, each zeroing one off-diagonal pair, until the
 * off-diagonal part is below {@code 1e-16} of the matrix's norm (quadratic convergence: a handful of sweeps).
 * Accurate to a few ulps of the norm; it costs about {@code 6 n³} flops per sweep, more than LAPACK's
 * tridiagonal reduction, so it is the simple rather than the fast choice.
 */
public final class EighKernel {
    private EighKernel() {}

    private static final int MAX_SWEEPS = 100;

    /**
     * Decomposes the {@code n x n} matrix at {@code aOff} of {@code a}: eigenvectors (columns) into
     * {@code v} at {@code vOff}, eigenvalues into {@code w} at {@code wOff}; {@code a} is left unchanged.
     */
    public static void decompose(double[] a, int aOff, int n, double[] v, int vOff, double[] w, int wOff) {
        double[] s = new double[n * n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double x = a[aOff + i * n + j];
                s[i * n + j] = x;
                s[j * n + i] = x;
                norm += (i == j ? 1 : 2) * x * x;
            }
        }
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) {
            q[i * n + i] = 1;
        }
        if (Double.isNaN(norm) || Double.isInfinite(norm)) {
            Arrays.fill(v, vOff, vOff + n * n, Double.NaN);
            Arrays.fill(w, wOff, wOff + n, Double.NaN);
            return;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(s, n) > 1e-32 * norm; sweep++) {
            for (int p = 0; p < n - 1; p++) {
                for (int r = p + 1; r < n; r++) {
                    rotate(s, q, n, p, r);
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(s[x * n + x], s[y * n + y]));
        for (int c = 0; c < n; c++) {
            int src = order[c];
            w[wOff + c] = s[src * n + src];
            int big = 0;
            for (int k = 1; k < n; k++) {
                if (Math.abs(q[k * n + src]) > Math.abs(q[big * n + src])) {
                    big = k;
                }
            }
            double sign = q[big * n + src] < 0 ? -1 : 1;
            for (int k = 0; k < n; k++) {
                v[vOff + k * n + c] = sign * q[k * n + src];
            }
        }
    }

    private static double offDiagonal(double[] s, int n) {
        double off = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                off += 2 * s[i * n + j] * s[i * n + j];
            }
        }
        return off;
    }

    /** The rotation in plane (p, r) that zeroes {@code s[p][r]}, applied to {@code s} (both sides) and {@code q}. */
    private static void rotate(double[] s, double[] q, int n, int p, int r) {
        double apr = s[p * n + r];
        if (apr == 0) {
            return;
        }
        double theta = (s[r * n + r] - s[p * n + p]) / (2 * apr);
        double t = Math.abs(theta) > 1e150 ? 0.5 / theta
                : Math.copySign(1, theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double sn = t * c;
        s[p * n + p] -= t * apr;
        s[r * n + r] += t * apr;
        s[p * n + r] = 0;
        s[r * n + p] = 0;
        for (int k = 0; k < n; k++) {
            if (k != p && k != r) {
                double skp = s[k * n + p];
                double skr = s[k * n + r];
                double np = c * skp - sn * skr;
                double nr = sn * skp + c * skr;
                s[k * n + p] = np;
                s[p * n + k] = np;
                s[k * n + r] = nr;
                s[r * n + k] = nr;
            }
            double qkp = q[k * n + p];
            double qkr = q[k * n + r];
            q[k * n + p] = c * qkp - sn * qkr;
            q[k * n + r] = sn * qkp + c * qkr;
        }
    }
}
