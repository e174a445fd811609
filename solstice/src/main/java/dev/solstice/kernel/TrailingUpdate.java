package dev.solstice.kernel;

/**
 * The trailing-matrix update of the blocked factorizations ({@link LuKernel}, {@link CholeskyKernel}):
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
     * {@code x[xo + i*ldx + j] -= sum_p A(i, p) B(p, j)} for {@code i < m, j < n} (only {@code j >= i} when
     * {@code upperOnly}), where {@code A(i, p)} is {@code a[ao + i*ars + p*acs]} and {@code B(p, j)} is
     * {@code a[bo + p*brs + j]} ({@code A}, {@code B} and the target all in the one array {@code a}, disjoint).
     */
    static void subtractProduct(double[] a, int m, int k, int n, int ao, int ars, int acs, int bo, int brs,
            int xo, int ldx, boolean upperOnly) {
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        double[] c = new double[m * n];
        Gemm.f64(KERNEL, a, a, c, new Gemm.Layout(1, m, k, n, ao, 0, ars, acs, bo, 0, brs, 1, Gemm.Path.AUTO));
        for (int i = 0; i < m; i++) {
            int row = xo + i * ldx;
            int ci = i * n;
            for (int j = upperOnly ? i : 0; j < n; j++) {
                a[row + j] -= c[ci + j];
            }
        }
    }
}
