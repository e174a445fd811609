package dev.solstice.kernel;

import dev.solstice.core.DenseArray;
import java.util.Arrays;

/**
 * The fixed order of the accumulation policy for sums (see {@link Kernels}): {@value Kernels#SUM_LANES}
 * interleaved partial sums in double over the full blocks, combined pairwise, then the remaining elements
 * one by one. Every kernel implementation follows it, so sums agree bitwise whatever the vector width.
 */
public final class Sums {
    private Sums() {}

    /**
     * Reduces {@code a[from .. from+n)}: the sum in the policy's order, or the max/min as {@code Math.max}/{@code Math.min}.
     *
     * @param partial scratch of {@value Kernels#SUM_LANES} doubles (overwritten); may be null when {@code n < 16}
     */
    public static double reduce(double[] a, int from, int n, Kernels.Reduction kind, double[] partial) {
        if (kind != Kernels.Reduction.SUM) {
            return extreme(a, from, n, kind == Kernels.Reduction.MAX);
        }
        int full = n - n % Kernels.SUM_LANES;
        double s = 0.0;
        if (full > 0) {
            Arrays.fill(partial, 0.0);
            for (int b = from; b < from + full; b += Kernels.SUM_LANES) {
                for (int j = 0; j < Kernels.SUM_LANES; j++) {
                    partial[j] += a[b + j];
                }
            }
            s = combine(partial);
        }
        for (int i = from + full; i < from + n; i++) {
            s += a[i];
        }
        return s;
    }

    /**
     * Reduces {@code a[from .. from+n)} in double (float32 elements widened exactly), as {@link #reduce(double[], int, int, Kernels.Reduction, double[])}.
     *
     * @param partial scratch of {@value Kernels#SUM_LANES} doubles (overwritten); may be null when {@code n < 16}
     */
    public static double reduce(float[] a, int from, int n, Kernels.Reduction kind, double[] partial) {
        if (kind != Kernels.Reduction.SUM) {
            boolean max = kind == Kernels.Reduction.MAX;
            float acc = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            for (int i = from; i < from + n; i++) {
                acc = max ? Math.max(acc, a[i]) : Math.min(acc, a[i]);
            }
            return acc;
        }
        int full = n - n % Kernels.SUM_LANES;
        double s = 0.0;
        if (full > 0) {
            Arrays.fill(partial, 0.0);
            for (int b = from; b < from + full; b += Kernels.SUM_LANES) {
                for (int j = 0; j < Kernels.SUM_LANES; j++) {
                    partial[j] += a[b + j];
                }
            }
            s = combine(partial);
        }
        for (int i = from + full; i < from + n; i++) {
            s += a[i];
        }
        return s;
    }

    /** The sum of {@code x[source[base + j]]} for {@code j < n}, in the policy's order. */
    static double indexed(DenseArray x, int[] source, int base, int n, double[] partial) {
        Arrays.fill(partial, 0.0);
        int full = n - n % Kernels.SUM_LANES;
        for (int b = base; b < base + full; b += Kernels.SUM_LANES) {
            for (int j = 0; j < Kernels.SUM_LANES; j++) {
                partial[j] += x.getDouble(source[b + j]);
            }
        }
        double s = combine(partial);
        for (int i = base + full; i < base + n; i++) {
            s += x.getDouble(source[i]);
        }
        return s;
    }

    /**
     * Combines the {@value Kernels#SUM_LANES} partial sums pairwise: {@code p[j] += p[j + w]} for
     * {@code w} = 8, 4, 2, 1; returns {@code p[0]}.
     *
     * @param p the partial sums (overwritten)
     * @return their sum in the policy's order
     */
    public static double combine(double[] p) {
        for (int w = Kernels.SUM_LANES / 2; w >= 1; w /= 2) {
            for (int j = 0; j < w; j++) {
                p[j] += p[j + w];
            }
        }
        return p[0];
    }

    private static double extreme(double[] a, int from, int n, boolean max) {
        double acc = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (int i = from; i < from + n; i++) {
            acc = max ? Math.max(acc, a[i]) : Math.min(acc, a[i]);
        }
        return acc;
    }

    /**
     * The index map of a reduction of the middle axis of [outer, groupSize, inner]: for each result element
     * {@code o * inner + c} in order, the flat indices {@code (o * groupSize + j) * inner + c}, {@code j} ascending.
     */
    static int[] stridedMap(int outer, int groupSize, int inner) {
        int[] s = new int[outer * groupSize * inner];
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < inner; c++) {
                for (int j = 0; j < groupSize; j++) {
                    s[k++] = (o * groupSize + j) * inner + c;
                }
            }
        }
        return s;
    }
}
