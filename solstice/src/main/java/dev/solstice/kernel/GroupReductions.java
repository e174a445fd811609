package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.kernel.Kernels.Reduction;

/**
 * The plain Java reductions of whole groups, over a range of groups {@code [g0, g1)} so that many groups can
 * be split across threads (a group is never split: its sum keeps the policy's order).
 */
final class GroupReductions {
    private GroupReductions() {}

    /** Groups {@code [g0, g1)} of {@link Kernels#reduce}: group {@code g} combines {@code x[source[g*groupSize + j]]}. */
    static void indexed(DenseArray x, int[] source, int groupSize, Reduction kind, DType t, Object r, int g0, int g1) {
        double[] partial = new double[Kernels.SUM_LANES];
        for (int g = g0; g < g1; g++) {
            int base = g * groupSize;
            if (t.isFloating()) {
                double acc;
                if (kind == Reduction.SUM) {
                    acc = Sums.indexed(x, source, base, groupSize, partial);
                } else {
                    acc = kind == Reduction.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                    for (int j = 0; j < groupSize; j++) {
                        double v = x.getDouble(source[base + j]);
                        acc = kind == Reduction.MAX ? Math.max(acc, v) : Math.min(acc, v);
                    }
                }
                JavaKernels.store(r, t, g, acc);
            } else {
                boolean wide = t == DType.INT64;
                long[] longs = wide ? x.longs() : null;
                long acc = switch (kind) {
                    case SUM -> 0;
                    case MAX -> t == DType.BOOL ? 0 : wide ? Long.MIN_VALUE : Integer.MIN_VALUE;
                    case MIN -> t == DType.BOOL ? 1 : wide ? Long.MAX_VALUE : Integer.MAX_VALUE;
                };
                for (int j = 0; j < groupSize; j++) {
                    long v = wide ? longs[source[base + j]] : (long) x.getDouble(source[base + j]);
                    acc = switch (kind) {
                        case SUM -> acc + v;
                        case MAX -> Math.max(acc, v);
                        case MIN -> Math.min(acc, v);
                    };
                }
                if (wide) {
                    ((long[]) r)[g] = acc;
                } else {
                    JavaKernels.store(r, t, g, (int) acc);
                }
            }
        }
    }

    /** Groups {@code [g0, g1)} of {@link Kernels#reduceTrailing} for float32 and float64 ({@code t}). */
    static void contiguous(DenseArray x, int groupSize, Reduction kind, DType t, Object r, int g0, int g1) {
        double[] partial = groupSize < Kernels.SUM_LANES ? null : new double[Kernels.SUM_LANES];
        for (int g = g0; g < g1; g++) {
            int from = g * groupSize;
            if (t == DType.FLOAT64) {
                ((double[]) r)[g] = Sums.reduce(x.doubles(), from, groupSize, kind, partial);
            } else {
                ((float[]) r)[g] = (float) Sums.reduce(x.floats(), from, groupSize, kind, partial);
            }
        }
    }

    /** Groups {@code [g0, g1)} of {@link Kernels#argReduce}. */
    static void arg(DenseArray x, int[] source, int groupSize, boolean max, int[] r, int g0, int g1) {
        if (x.dtype() == DType.INT64) {
            argLong(x.longs(), source, groupSize, max, r, g0, g1);
            return;
        }
        for (int g = g0; g < g1; g++) {
            int base = g * groupSize;
            int best = 0;
            double bestV = x.getDouble(source[base]);
            for (int j = 1; j < groupSize && !Double.isNaN(bestV); j++) {
                double v = x.getDouble(source[base + j]);
                if (Double.isNaN(v) || (max ? v > bestV : v < bestV)) {
                    best = j;
                    bestV = v;
                }
            }
            r[g] = best;
        }
    }

    /** {@link #arg} on int64 elements, compared exactly (not through double). */
    private static void argLong(long[] a, int[] source, int groupSize, boolean max, int[] r, int g0, int g1) {
        for (int g = g0; g < g1; g++) {
            int base = g * groupSize;
            int best = 0;
            long bestV = a[source[base]];
            for (int j = 1; j < groupSize; j++) {
                long v = a[source[base + j]];
                if (max ? v > bestV : v < bestV) {
                    best = j;
                    bestV = v;
                }
            }
            r[g] = best;
        }
    }
}
