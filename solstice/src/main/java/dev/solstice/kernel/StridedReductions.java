package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.kernel.Kernels.Reduction;
import java.util.Arrays;

/**
 * Reductions of the middle axis of an array seen as [outer, rows, inner] (a run of consecutive axes, e.g. the
 * leading ones of a bias gradient): the rows are walked in order, a block of up to {@value #COLUMNS} adjacent
 * columns at a time, so the loads are contiguous and no index map is needed. Sums keep the accumulation
 * policy per column exactly: row {@code j} of each full block of {@value Kernels#SUM_LANES} rows goes to
 * partial sum {@code j} (a row of {@link Kernels#SUM_LANES} x block partial sums), the partial sums are
 * combined pairwise, then the remaining rows are added in order, so each result equals {@link Sums}' sum of
 * its column bit for bit.
 *
 * <p>The work is cut into units, one per (outer index, column block): a unit computes its outputs alone, so
 * units can run on any threads.
 */
final class StridedReductions {
    /** Columns per unit: the partial sums of a block (16 x 128 doubles, 16 KiB) stay in the L1 cache. */
    static final int COLUMNS = 128;

    private StridedReductions() {}

    /** The number of column blocks of one outer index. */
    static int blocks(int inner) {
        return (inner + COLUMNS - 1) / COLUMNS;
    }

    /**
     * Reduces {@code w} adjacent columns of {@code a} (dtype {@code t}: float32, float64 or int32) whose first
     * row starts at {@code a[in]}, rows {@code stride} apart, into {@code r[at .. at+w)}.
     *
     * @param partial scratch of {@code 16 * w} doubles for float sums (overwritten)
     */
    static void columns(JavaKernels k, Object a, DType t, int in, int rows, int stride, int w, Reduction kind,
            Object r, int at, double[] partial) {
        switch (t) {
            case FLOAT64 -> {
                if (kind == Reduction.SUM) {
                    sum(k, a, in, rows, stride, w, partial);
                    System.arraycopy(partial, 0, r, at, w);
                } else {
                    extreme((double[]) a, in, rows, stride, w, kind == Reduction.MAX, (double[]) r, at);
                }
            }
            case FLOAT32 -> {
                if (kind == Reduction.SUM) {
                    sum(k, a, in, rows, stride, w, partial);
                    float[] o = (float[]) r;
                    for (int c = 0; c < w; c++) {
                        o[at + c] = (float) partial[c];
                    }
                } else {
                    extreme((float[]) a, in, rows, stride, w, kind == Reduction.MAX, (float[]) r, at);
                }
            }
            case INT32 -> ints((int[]) a, in, rows, stride, w, kind, (int[]) r, at);
            case BOOL -> throw new IllegalArgumentException("strided reduction of bool: convert it first");
        }
    }

    /**
     * The policy's sums of {@code w} columns starting at {@code a[in]} (float32 widened, or float64), rows
     * {@code stride} apart, into {@code p[0 .. w)}: row {@code j} of each full block of 16 into row {@code j} of
     * the partial sums {@code p} (by {@code k}'s {@link JavaKernels#addRow}), the rows of {@code p} combined
     * pairwise, then the remaining rows added in order.
     */
    private static void sum(JavaKernels k, Object a, int in, int rows, int stride, int w, double[] p) {
        int full = rows - rows % Kernels.SUM_LANES;
        Arrays.fill(p, 0, full > 0 ? Kernels.SUM_LANES * w : w, 0.0);
        for (int row = 0; row < rows; row++) {
            if (row == full) {
                combine(p, w, full);
            }
            k.addRow(a, in + row * stride, p, row < full ? row % Kernels.SUM_LANES * w : 0, w);
        }
        if (rows == full) {
            combine(p, w, full);
        }
    }

    /** {@code p[dst + c] += a[src + c]} for {@code c < w}, {@code a} float32 (widened) or float64. */
    static void addRow(Object a, int src, double[] p, int dst, int w) {
        if (a instanceof float[] f) {
            for (int c = 0; c < w; c++) {
                p[dst + c] += f[src + c];
            }
        } else {
            double[] d = (double[]) a;
            for (int c = 0; c < w; c++) {
                p[dst + c] += d[src + c];
            }
        }
    }

    /**
     * The policy's pairwise combination ({@code p[j] += p[j + h]}, h = 8, 4, 2, 1) of each column's partial
     * sums, the rows of {@code p}; nothing when there was no full block ({@code full} 0).
     */
    private static void combine(double[] p, int w, int full) {
        if (full == 0) {
            return;
        }
        for (int h = Kernels.SUM_LANES / 2; h >= 1; h /= 2) {
            for (int j = 0; j < h; j++) {
                int dst = j * w;
                int src = (j + h) * w;
                for (int c = 0; c < w; c++) {
                    p[dst + c] += p[src + c];
                }
            }
        }
    }

    private static void extreme(double[] a, int in, int rows, int stride, int w, boolean max, double[] r, int at) {
        Arrays.fill(r, at, at + w, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        for (int row = 0; row < rows; row++) {
            int src = in + row * stride;
            if (max) {
                for (int c = 0; c < w; c++) { r[at + c] = Math.max(r[at + c], a[src + c]); }
            } else {
                for (int c = 0; c < w; c++) { r[at + c] = Math.min(r[at + c], a[src + c]); }
            }
        }
    }

    private static void extreme(float[] a, int in, int rows, int stride, int w, boolean max, float[] r, int at) {
        Arrays.fill(r, at, at + w, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
        for (int row = 0; row < rows; row++) {
            int src = in + row * stride;
            if (max) {
                for (int c = 0; c < w; c++) { r[at + c] = Math.max(r[at + c], a[src + c]); }
            } else {
                for (int c = 0; c < w; c++) { r[at + c] = Math.min(r[at + c], a[src + c]); }
            }
        }
    }

    /** int32: sums wrap (any order is exact); max and min. */
    private static void ints(int[] a, int in, int rows, int stride, int w, Reduction kind, int[] r, int at) {
        Arrays.fill(r, at, at + w, switch (kind) {
            case SUM -> 0;
            case MAX -> Integer.MIN_VALUE;
            case MIN -> Integer.MAX_VALUE;
        });
        for (int row = 0; row < rows; row++) {
            int src = in + row * stride;
            switch (kind) {
                case SUM -> { for (int c = 0; c < w; c++) { r[at + c] += a[src + c]; } }
                case MAX -> { for (int c = 0; c < w; c++) { r[at + c] = Math.max(r[at + c], a[src + c]); } }
                case MIN -> { for (int c = 0; c < w; c++) { r[at + c] = Math.min(r[at + c], a[src + c]); } }
            }
        }
    }
}
