package dev.solstice.kernel;

/**
 * The trailing-matrix update of the blocked factorizations ({@link LuKernel}, {@link CholeskyKernel},
 * {@link EighKernel}'s reduction):
 * {@code C -= A B} on a block of a row-major matrix, with the product computed by {@link Gemm}'s packed
 * register-tiled kernels (the Vector API one when present, chosen as {@link Gemm} chooses), which run several
 * times faster than multiply-add loops over rows. Like every {@link Gemm} product its bits do not depend on
 * the kernel, the path or the thread count.
 */
final class TrailingUpdate {
    private TrailingUpdate() {}

    private static final GemmKernel KERNEL = select();

    private static GemmKernel select() {
        GemmKernel v = "java".equals(System.getProperty(KernelSelection.PROPERTY)) ? null : Gemm.vector();
        return v != null ? v : Gemm.java();
    }

    /**
     * {@code x[xo + i*ldx + j] -= sum_p A(i, p) B(p, j)} for {@code i < m, j < n}, where {@code A(i, p)} is {@code a[ao + i*ars + p*acs]} and {@code B(p, j)} is
     * {@code a[bo + p*brs + j]} ({@code A}, {@code B} and the target all in the one array {@code a}, disjoint).
     */
    static void subtractProduct(double[] a, int m, int k, int n, int ao, int ars, int acs, int bo, int brs,
            int xo, int ldx) {
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        double[] c = new double[m * n];
        Gemm.f64(KERNEL, a, a, c, new Gemm.Layout(1, m, k, n, ao, 0, ars, acs, bo, 0, brs, 1, Gemm.Path.AUTO));
        for (int i = 0; i < m; i++) {
            int row = xo + i * ldx;
            int ci = i * n;
            for (int j = 0; j < n; j++) {
                a[row + j] -= c[ci + j];
            }
        }
    }

    /** Rows per product in {@link #subtractLowerProduct}: the triangle then costs little more than half a square. */
    private static final int LOWER_ROWS = 48;

    /**
     * {@code x[xo + i*ldx + j] -= sum_p A(i, p) B(p, j)} for {@code j <= i < m} (the lower triangle, diagonal
     * included), where {@code A(i, p)} is {@code z[ao + i*ars + p*acs]} and {@code B(p, j)} is
     * {@code z[bo + p*brs + j]}; the product is taken in bands of rows, each only as wide as its last row.
     */
    static void subtractLowerProduct(double[] z, int m, int k, int ao, int ars, int acs, int bo, int brs,
            double[] x, int xo, int ldx) {
        if (m == 0 || k == 0) {
            return;
        }
        double[] c = new double[Math.min(LOWER_ROWS, m) * m];
        for (int r0 = 0; r0 < m; r0 += LOWER_ROWS) {
            int r1 = Math.min(r0 + LOWER_ROWS, m);
            java.util.Arrays.fill(c, 0, (r1 - r0) * r1, 0.0);  // the packed path adds to what is there
            Gemm.f64(KERNEL, z, z, c, new Gemm.Layout(1, r1 - r0, k, r1, ao + r0 * ars, 0, ars, acs, bo, 0, brs, 1,
                    Gemm.Path.AUTO));
            for (int i = r0; i < r1; i++) {
                int row = xo + i * ldx;
                int ci = (i - r0) * r1;
                for (int j = 0; j <= i; j++) {
                    x[row + j] -= c[ci + j];
                }
            }
        }
    }

    /**
     * {@code x[xo + i*ldx + j] -= sum_p A(i, p) B(p, j)} for {@code i <= j < m} (the upper triangle, diagonal
     * included), {@code A} and {@code B} as in {@link #subtractLowerProduct} but in {@code x}; the product is
     * taken in bands of rows, each only from its first row's diagonal on.
     */
    static void subtractUpperProduct(double[] x, int m, int k, int ao, int ars, int acs, int bo, int brs, int xo,
            int ldx) {
        if (m == 0 || k == 0) {
            return;
        }
        double[] c = new double[Math.min(LOWER_ROWS, m) * m];
        for (int r0 = 0; r0 < m; r0 += LOWER_ROWS) {
            int r1 = Math.min(r0 + LOWER_ROWS, m);
            int width = m - r0;
            java.util.Arrays.fill(c, 0, (r1 - r0) * width, 0.0);  // the packed path adds to what is there
            Gemm.f64(KERNEL, x, x, c, new Gemm.Layout(1, r1 - r0, k, width, ao + r0 * ars, 0, ars, acs, bo + r0, 0,
                    brs, 1, Gemm.Path.AUTO));
            for (int i = r0; i < r1; i++) {
                int row = xo + i * ldx;
                int ci = (i - r0) * width - r0;
                for (int j = i; j < m; j++) {
                    x[row + j] -= c[ci + j];
                }
            }
        }
    }
}
