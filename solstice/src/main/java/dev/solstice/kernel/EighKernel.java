package dev.solstice.kernel;

import java.util.Arrays;

/**
 * Eigenvalues and eigenvectors of a symmetric matrix, row-major (as JAX's {@code eigh}): read from the lower
 * triangle only; the eigenvalues come out ascending and the eigenvectors as the matching columns of an
 * orthogonal matrix. Each eigenvector's sign is fixed so that its component of largest magnitude (the first
 * on a tie) is positive (LAPACK fixes none; any sign is a valid answer, and this one is deterministic). NaNs
 * or infinities in the input give NaNs everywhere.
 *
 * <p>The classic two stages (EISPACK's {@code tred2} and {@code tql2}): Householder reduction to tridiagonal
 * form, blocked as LAPACK's {@code sytrd} (see {@code reduce}), with the transformations accumulated (blocked
 * as LAPACK's {@code orgtr}, see {@code accumulate}), then the implicit QL iteration with Wilkinson-like shifts on
 * the tridiagonal matrix, rotating the accumulated basis. The rotations act on rows of the transposed basis, so
 * that their inner loops run over contiguous memory, several rotations per pass and, with the Vector API, as
 * scaled rotations ({@link PanelLoops#rotateScaledRows}).
 * Both entry points share the reduction and the iteration, so their eigenvalues are bitwise equal.
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
        double[] q = lowerCopy(a, aOff, n);
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
        double[] qt = accumulate(q, n, d, e);
        // the basis as one array per row: the rotations' loops then index distinct arrays at one position, which
        // the JIT vectorises (offsets into one array could overlap, and it would not)
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(qt, i * n, (i + 1) * n);
        }
        double[] scales = new double[n];
        Arrays.fill(scales, 1.0);
        diagonalize(rows, scales, n, d, e);
        store(rows, scales, n, d, v, vOff, w, wOff);
    }

    /**
     * The eigenvalues only, ascending, of the {@code n x n} matrix at {@code aOff} of {@code a} into {@code w}
     * at {@code wOff}: the same reduction and QL iteration as {@link #decompose} without accumulating or rotating
     * the basis, so the values are bitwise those of {@link #decompose} at a fraction of its work.
     */
    public static void eigenvalues(double[] a, int aOff, int n, double[] w, int wOff) {
        double[] q = lowerCopy(a, aOff, n);
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
        diagonalize(null, null, n, d, e);
        Arrays.sort(d);
        System.arraycopy(d, 0, w, wOff, n);
    }

    /**
     * {@code a}'s lower triangle (with the diagonal; zeros above it, which {@link #reduce} never reads), or null
     * when it holds a NaN or an infinity.
     */
    private static double[] lowerCopy(double[] a, int aOff, int n) {
        double[] q = new double[n * n];
        double probe = 0;
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j <= i; j++) {
                double x = a[aOff + ri + j];
                q[ri + j] = x;
                probe += x * 0.0;                              // NaN once any x is a NaN or an infinity
            }
        }
        return probe == 0 ? q : null;
    }

    /** Reflectors per panel of the blocked reduction. */
    static final int PANEL = 32;

    /**
     * Householder reduction of the symmetric {@code q} (its lower triangle) to tridiagonal form, as {@code tred2}
     * computes it, from the last row up: afterwards {@code e} holds the off-diagonal, {@code q}'s diagonal the
     * diagonal, row {@code i} left of the diagonal reflector {@code i} (zeros above the diagonal) and {@code d[i]}
     * its scale, for {@link #accumulate}. Only the lower triangle is kept up to date.
     *
     * <p>Blocked as LAPACK's {@code sytrd}/{@code latrd}: a panel of {@link #PANEL} reflectors is computed with
     * the leading block left stale, the panel's rank-2 updates {@code A -= v wᵀ + w vᵀ} kept as the vectors
     * {@code v} (the reflectors) and {@code w}; each step brings its row up to date from them, and corrects the
     * product {@code A u} of the stale block by {@code V (Wᵀ u) + W (Vᵀ u)}. After the panel the leading block
     * takes all its updates at once, {@code A -= [V W] [W V]ᵀ} through the register-tiled matrix multiply
     * ({@link TrailingUpdate}); so half the work runs at matrix-multiply speed and the other half, the product
     * {@code A u} of each step, reads the triangle once ({@link PanelLoops}).
     */
    private static void reduce(double[] q, int n, double[] d, double[] e) {
        PanelLoops loops = PanelLoops.get();
        double[] u = new double[n];
        double[] p = new double[n];
        // rows v_0, w_0, v_1, w_1, ... then w_0, v_0, w_1, v_1, ...: [V W] and its partner [W V] as row ranges, so
        // that every sum over the panel's pairs is one pass; rows padded by a cache line (rows a power of two
        // apart would share the cache's sets)
        int ldz = n + 8;
        int partners = 2 * PANEL * ldz;
        double[] z = new double[4 * PANEL * ldz];
        double[] coef = new double[2 * PANEL];
        int i = n - 1;
        while (i > 0) {
            int steps = Math.min(PANEL, i);
            for (int t = 0; t < steps; t++, i--) {
                int ri = i * n;
                if (t > 0) {
                    // row i -= sum_s (v_s[i] w_s + w_s[i] v_s), over its columns up to the diagonal
                    for (int k = 0; k < 2 * t; k++) {
                        coef[k] = z[k * ldz + i];
                    }
                    loops.subtractCombination(z, partners, 2 * t, ldz, coef, q, ri, i + 1);
                }
                double h = householder(q, ri, i, u, e);
                int vt = 2 * t * ldz;
                if (h == 0) {                                  // nothing to annihilate: no transformation
                    Arrays.fill(z, vt, vt + ldz + i, 0.0);
                    Arrays.fill(z, partners + vt, partners + vt + ldz + i, 0.0);
                    d[i] = 0;
                    continue;
                }
                loops.lowerSymmetricProduct(q, n, i, u, p);
                if (t > 0) {
                    // the stale block's product corrected: p -= V (Wᵀ u) + W (Vᵀ u)
                    loops.rowProducts(z, 0, 2 * t, ldz, u, i, coef);
                    loops.subtractCombination(z, partners, 2 * t, ldz, coef, p, 0, i);
                }
                double up = 0;
                for (int j = 0; j < i; j++) {
                    p[j] /= h;
                    up += p[j] * u[j];
                }
                double half = up / (h + h);
                for (int j = 0; j < i; j++) {
                    p[j] -= half * u[j];
                }
                System.arraycopy(u, 0, z, vt, i);
                System.arraycopy(p, 0, z, vt + ldz, i);
                System.arraycopy(p, 0, z, partners + vt, i);
                System.arraycopy(u, 0, z, partners + vt + ldz, i);
                System.arraycopy(u, 0, q, ri, i);
                d[i] = h;
            }
            // the rest is the leading block up to row i: A(j, k) = z[k ldz + j] ([V W]), B(k, c) =
            // z[partners + k ldz + c] ([W V]); a short last panel (steps < PANEL) leaves row 0 only
            if (i > 0) {
                TrailingUpdate.subtractLowerProduct(z, i + 1, 2 * PANEL, 0, 1, ldz, partners, ldz, q, 0, n);
            } else {
                for (int k = 0; k < 2 * steps; k++) {
                    q[0] -= z[k * ldz] * z[partners + k * ldz];
                }
            }
        }
    }

    /**
     * The reflector of row {@code i} (its part left of the diagonal, at {@code q[ri]}), as {@code tred2}
     * forms it: {@code u} (the row divided by its 1-norm, less the new off-diagonal in its last place), the
     * off-diagonal into {@code e[i]}; returns {@code h = |u|² / 2}, or 0 (row zeroed, {@code e[i]} its last
     * element) when the row is already zero left of the sub-diagonal's place.
     */
    private static double householder(double[] q, int ri, int i, double[] u, double[] e) {
        double scale = 0;
        for (int k = 0; k < i; k++) {
            scale += Math.abs(q[ri + k]);
        }
        if (scale == 0) {
            e[i] = q[ri + i - 1];
            Arrays.fill(q, ri, ri + i, 0.0);
            return 0;
        }
        double h = 0;
        for (int k = 0; k < i; k++) {
            u[k] = q[ri + k] / scale;
            h += u[k] * u[k];
        }
        double f = u[i - 1];
        double g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        u[i - 1] = f - g;
        return h;
    }

    /**
     * Reflectors per block of the blocked back-transformation ({@link #accumulate}); half as many up to order
     * {@link #SMALL_ORDER}, where the block's own work (its triangular factor, the packing) weighs more.
     */
    static final int BACK_BLOCK = 32;

    /** The largest order that takes blocks of {@code BACK_BLOCK / 2} reflectors. */
    static final int SMALL_ORDER = 128;

    /**
     * After {@link #reduce}: {@code d} gets the diagonal, {@code e[0]} zero, and the result (an array of at least
     * {@code n²}, row-major with rows of {@code n}) the transpose {@code P_1 P_2 ... P_{n-1}} of the accumulated
     * transformation, {@code P_r = I - u_r u_rᵀ / h_r} the reflector of row {@code r} of {@code q} (scale
     * {@code h_r = d[r]}); {@code q} is left as it was.
     *
     * <p>Blocked as LAPACK's {@code orgtr}: starting from the identity, each block of {@link #BACK_BLOCK} (or half)
     * consecutive reflectors is applied at once in the compact WY form {@code P_{k+1} ... P_{k+b} = I - V T Vᵀ}
     * ({@code V}'s columns the reflectors, {@code T} upper triangular, as {@code larft} forms it), so the work,
     * {@code Qᵀ -= ((Qᵀ V) T) Vᵀ} on the leading block the reflectors reach, runs through the register-tiled
     * matrix multiply ({@link TrailingUpdate}).
     */
    private static double[] accumulate(double[] q, int n, double[] d, double[] e) {
        int b = n <= SMALL_ORDER ? BACK_BLOCK / 2 : BACK_BLOCK;
        double[] tau = new double[n];
        for (int j = 0; j < n; j++) {
            tau[j] = d[j] == 0 ? 0 : 1 / d[j];
            d[j] = q[j * n + j];
        }
        e[0] = 0;
        // one array for the product's operands and target: Qᵀ (n x n), then V (n x b), Vᵀ (b x n, rows padded
        // by a cache line) and the product Qᵀ V (n x b)
        int ldt = n + 8;
        int vo = n * n;
        int vto = vo + n * b;
        int xo = vto + b * ldt;
        double[] w = new double[xo + n * b];
        for (int j = 0; j < n; j++) {
            w[j * n + j] = 1;
        }
        PanelLoops loops = PanelLoops.get();
        double[] t = new double[b * b];
        double[] dots = new double[b];
        for (int k = 0; k < n - 1; k += b) {
            int nb = Math.min(b, n - 1 - k);                   // reflectors k + 1 .. k + nb
            int m = k + nb;                                    // the rows they reach
            Arrays.fill(w, vo, xo + m * b, 0.0);
            for (int c = 0; c < nb; c++) {
                int r = k + 1 + c;
                System.arraycopy(q, r * n, w, vto + c * ldt, r);
                for (int p = 0; p < r; p++) {
                    w[vo + p * b + c] = q[r * n + p];
                }
            }
            // T: column c is -tau_c T (V_{:c}ᵀ v_c) above its diagonal tau_c
            for (int c = 0; c < nb; c++) {
                double tc = tau[k + 1 + c];
                t[c * b + c] = tc;
                for (int j = 0; j < c; j++) {
                    dots[j] = -tc * loops.dot(w, vto + j * ldt, w, vto + c * ldt, k + 1 + j);
                }
                for (int p = 0; p < c; p++) {
                    double s = 0;
                    for (int j = p; j < c; j++) {
                        s += t[p * b + j] * dots[j];
                    }
                    t[p * b + c] = s;
                }
            }
            // X = -Qᵀ V (Qᵀ is still the identity from row and column k on: there X is -V, and above it the product
            // stops at k), then X = -X T = Qᵀ V T (in place, right to left), then Qᵀ -= X Vᵀ
            TrailingUpdate.subtractProduct(w, k, k, nb, 0, n, 1, vo, b, xo, b);
            for (int j = k * b; j < m * b; j++) {
                w[xo + j] = -w[vo + j];
            }
            for (int i = 0; i < m; i++) {
                int xi = xo + i * b;
                for (int c = nb - 1; c >= 0; c--) {
                    double s = 0;
                    for (int p = 0; p <= c; p++) {
                        s += w[xi + p] * t[p * b + c];
                    }
                    w[xi + c] = -s;
                }
            }
            TrailingUpdate.subtractProduct(w, m, nb, m, xo, b, 1, vto, ldt, 0, n);
        }
        return w;
    }

    /**
     * Implicit QL on the tridiagonal {@code d, e}; the basis vectors ({@code scales[i]} times {@code rows[i]},
     * see {@link PanelLoops#rotateScaledRows}) are rotated alike unless {@code rows} is null.
     */
    private static void diagonalize(double[][] rows, double[] scales, int n, double[] d, double[] e) {
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0;
        double[] cosines = new double[n];
        double[] sines = new double[n];
        PanelLoops loops = PanelLoops.get();
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
                double r = Math.copySign(hypot(p, 1), p);
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
                    r = hypot(p, e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    cosines[i] = c;
                    sines[i] = s;
                }
                if (rows != null) {
                    loops.rotateScaledRows(rows, scales, n, l, m, cosines, sines);
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    /**
     * {@code sqrt(x² + y²)} as the square root of the sum of squares when that neither overflows nor loses
     * precision to underflow (within an ulp or so of {@link Math#hypot}, which is several times slower and sits
     * on the QL sweep's critical path), else by {@link Math#hypot}.
     */
    private static double hypot(double x, double y) {
        double s = x * x + y * y;
        return s > 0x1p-960 && s < 0x1p960 ? Math.sqrt(s) : Math.hypot(x, y);
    }

    /**
     * Eigenvalues ascending, eigenvectors ({@code scales[i]} times {@code rows[i]}) as the matching columns with
     * their signs fixed. The
     * transposition goes eight columns at a time, so that each line of {@code v} is written whole while eight rows
     * are read in order (one column at a time would touch a line per element, rows a power of two apart).
     */
    private static void store(double[][] rows, double[] scales, int n, double[] d, double[] v, int vOff, double[] w, int wOff) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(d[x], d[y]));
        double[][] sorted = new double[n][];
        double[] sign = new double[n];
        for (int c = 0; c < n; c++) {
            double[] row = rows[order[c]];
            sorted[c] = row;
            w[wOff + c] = d[order[c]];
            int big = 0;
            for (int k = 1; k < n; k++) {
                if (Math.abs(row[k]) > Math.abs(row[big])) {
                    big = k;
                }
            }
            double scale = scales[order[c]];
            sign[c] = scale * row[big] < 0 ? -scale : scale;
        }
        for (int c0 = 0; c0 < n; c0 += 8) {
            int cols = Math.min(8, n - c0);
            for (int k = 0; k < n; k++) {
                int o = vOff + k * n + c0;
                for (int c = 0; c < cols; c++) {
                    v[o + c] = sign[c0 + c] * sorted[c0 + c][k];
                }
            }
        }
    }
}
