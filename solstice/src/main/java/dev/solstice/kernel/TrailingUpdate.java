package dev.solstice.kernel;

/**
 * The trailing-matrix update of the blocked factorizations ({@link LuKernel}, {@link CholeskyKernel},
 * {@link QrKernel}, {@link EighKernel}'s reduction): {@code X -= A B} on a block of a row-major matrix, or on
 * its lower or upper triangle, by {@link Gemm}'s packed register tiles (the Vector API kernel when present,
 * chosen as {@link Gemm} chooses) accumulating straight into {@code X}: A is packed negated, so each tile
 * continues every element's fma chain from its value in {@code X}, with no product to hold and subtract. The
 * bits do not depend on the kernel or the thread count. On a triangle, tiles wholly outside it are skipped and
 * tiles across its diagonal go through a scratch tile, of which only the triangle's elements are stored.
 */
final class TrailingUpdate {
    private TrailingUpdate() {}

    private static final GemmKernel KERNEL = select();

    private static GemmKernel select() {
        GemmKernel v = "java".equals(System.getProperty(KernelSelection.PROPERTY)) ? null : Gemm.vector();
        return v != null ? v : Gemm.java();
    }

    /** The elements of the target block updated: all, {@code j <= i} or {@code j >= i}. */
    enum Part { ALL, LOWER, UPPER }

    /**
     * {@code x[xo + i*ldx + j] -= sum_p A(i, p) B(p, j)} for {@code i < m, j < n}, where {@code A(i, p)} is
     * {@code a[ao + i*ars + p*acs]} and {@code B(p, j)} is {@code a[bo + p*brs + j]} ({@code A}, {@code B} and
     * the target all in the one array {@code a}, disjoint).
     */
    static void subtractProduct(double[] a, int m, int k, int n, int ao, int ars, int acs, int bo, int brs,
            int xo, int ldx) {
        subtract(a, a, m, k, n, ao, ars, acs, bo, brs, a, xo, ldx, Part.ALL);
    }

    /**
     * {@code x[xo + i*ldx + j] -= sum_p A(i, p) B(p, j)} for {@code i < m, j < n}, where {@code A(i, p)} is
     * {@code a[ao + i*ars + p*acs]} and {@code B(p, j)} is {@code b[bo + p*brs + j]}, the three arrays
     * distinct or their parts disjoint.
     */
    static void subtractProduct(double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, double[] x,
            int xo, int ldx, int m, int k, int n) {
        subtract(a, b, m, k, n, ao, ars, acs, bo, brs, x, xo, ldx, Part.ALL);
    }

    /**
     * {@code x[xo + i*ldx + j] -= sum_p A(i, p) B(p, j)} for {@code j <= i < m} (the lower triangle, diagonal
     * included), where {@code A(i, p)} is {@code z[ao + i*ars + p*acs]} and {@code B(p, j)} is
     * {@code z[bo + p*brs + j]}.
     */
    static void subtractLowerProduct(double[] z, int m, int k, int ao, int ars, int acs, int bo, int brs,
            double[] x, int xo, int ldx) {
        subtract(z, z, m, k, m, ao, ars, acs, bo, brs, x, xo, ldx, Part.LOWER);
    }

    /**
     * {@code x[xo + i*ldx + j] -= sum_p A(i, p) B(p, j)} for {@code i <= j < m} (the upper triangle, diagonal
     * included), {@code A} and {@code B} as in {@link #subtractProduct}, in {@code x}.
     */
    static void subtractUpperProduct(double[] x, int m, int k, int ao, int ars, int acs, int bo, int brs, int xo,
            int ldx) {
        subtract(x, x, m, k, m, ao, ars, acs, bo, brs, x, xo, ldx, Part.UPPER);
    }

    private static void subtract(double[] a, double[] b, int m, int k, int n, int ao, int ars, int acs, int bo,
            int brs, double[] x, int xo, int ldx, Part part) {
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        int mr = KERNEL.mr();
        int nr = KERNEL.nrF64();
        int nBlocks = (n + Gemm.NC - 1) / Gemm.NC;
        int mBlocks = (m + Gemm.MC - 1) / Gemm.MC;
        Parallel.forEach(mBlocks * nBlocks, 2L * m * n * k, task -> {
            int i0 = task / nBlocks * Gemm.MC;
            int j0 = task % nBlocks * Gemm.NC;
            int mc = Math.min(Gemm.MC, m - i0);
            int nc = Math.min(Gemm.NC, n - j0);
            if (outside(part, i0, mc, j0, nc)) {
                return;
            }
            int depth = Math.min(Gemm.KC, k);
            GemmScratch s = GemmScratch.acquire();
            try {
                int packedRows = (mc + mr - 1) / mr * mr;
                double[] ap = (double[]) GemmPrecision.F64.buffer(s, GemmScratch.Role.PACKED_A, packedRows * depth);
                double[] bp = (double[]) GemmPrecision.F64.buffer(s, GemmScratch.Role.PACKED_B,
                        (nc + nr - 1) / nr * nr * depth);
                double[] tile = (double[]) GemmPrecision.F64.buffer(s, GemmScratch.Role.TILE, mr * nr);
                for (int p0 = 0; p0 < k; p0 += Gemm.KC) {
                    int kc = Math.min(Gemm.KC, k - p0);
                    GemmPacking.packA(a, ao + i0 * ars + p0 * acs, ars, acs, mc, kc, mr, ap);
                    for (int e = 0, len = packedRows * kc; e < len; e++) {
                        ap[e] = -ap[e];
                    }
                    GemmPacking.packB(b, bo + p0 * brs + j0, brs, 1, kc, nc, nr, bp);
                    for (int jr = 0; jr < nc; jr += nr) {
                        for (int ir = 0; ir < mc; ir += mr) {
                            int gi = i0 + ir;
                            int gj = j0 + jr;
                            int rows = Math.min(mr, mc - ir);
                            int cols = Math.min(nr, nc - jr);
                            if (outside(part, gi, rows, gj, cols)) {
                                continue;
                            }
                            int co = xo + gi * ldx + gj;
                            if (rows == mr && cols == nr && inside(part, gi, rows, gj, cols)) {
                                KERNEL.f64(kc, ap, ir * kc, bp, jr * kc, x, co, ldx);
                                continue;
                            }
                            for (int r = 0; r < rows; r++) {
                                System.arraycopy(x, co + r * ldx, tile, r * nr, cols);
                            }
                            KERNEL.f64(kc, ap, ir * kc, bp, jr * kc, tile, 0, nr);
                            for (int r = 0; r < rows; r++) {
                                int from = part == Part.UPPER ? Math.max(0, gi + r - gj) : 0;
                                int to = part == Part.LOWER ? Math.min(cols, gi + r - gj + 1) : cols;
                                if (to > from) {
                                    System.arraycopy(tile, r * nr + from, x, co + r * ldx + from, to - from);
                                }
                            }
                        }
                    }
                }
            } finally {
                s.release();
            }
        });
    }

    /** Whether the block of rows {@code [i0, i0 + rows)} and columns {@code [j0, j0 + cols)} misses the part. */
    private static boolean outside(Part part, int i0, int rows, int j0, int cols) {
        return switch (part) {
            case ALL -> false;
            case LOWER -> j0 > i0 + rows - 1;
            case UPPER -> j0 + cols - 1 < i0;
        };
    }

    /** Whether the block lies wholly in the part. */
    private static boolean inside(Part part, int i0, int rows, int j0, int cols) {
        return switch (part) {
            case ALL -> true;
            case LOWER -> j0 + cols - 1 <= i0;
            case UPPER -> j0 >= i0 + rows - 1;
        };
    }
}
