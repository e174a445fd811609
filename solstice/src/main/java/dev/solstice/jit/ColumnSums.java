package dev.solstice.jit;

/**
 * The end of a fused column sum: the kernel added run {@code r} of each full block of 16 runs into row
 * {@code r mod 16} of an array of partial sums (16 rows of {@code n} columns) and the remaining runs into its
 * first row, after the rows were combined; this is the eager column sums' order ({@code kernel.StridedReductions}),
 * so each column's sum equals the eager one bit for bit.
 */
final class ColumnSums {
    private ColumnSums() {}

    /** Combines the 16 rows of partial sums pairwise ({@code p[j] += p[j + w]}, w = 8, 4, 2, 1), per column. */
    static void combine(double[] p, int n) {
        for (int w = dev.solstice.kernel.Kernels.SUM_LANES / 2; w >= 1; w /= 2) {
            for (int j = 0; j < w; j++) {
                int dst = j * n;
                int src = (j + w) * n;
                for (int c = 0; c < n; c++) {
                    p[dst + c] += p[src + c];
                }
            }
        }
    }

    /**
     * Writes the sums (the first row of {@code p}, combined first when {@code combine}: every run was in a full
     * block) into {@code result}, a float32 or float64 array of {@code n}, rounded once.
     */
    static void finish(double[] p, int n, boolean combine, Object result) {
        if (combine) {
            combine(p, n);
        }
        if (result instanceof float[] f) {
            for (int c = 0; c < n; c++) {
                f[c] = (float) p[c];
            }
        } else {
            System.arraycopy(p, 0, result, 0, n);
        }
    }
}
