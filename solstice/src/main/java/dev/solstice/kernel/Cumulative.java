package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;

/**
 * The cumulative-reduction kernel: inclusive prefix (or, reversed, suffix) sums, products, maxima, minima and
 * log-sum-exps along one axis, as a strided loop that carries one accumulator per position of the axes after it.
 * Floats accumulate in double and each output is rounded once (float32 as the sums' policy of {@link Kernels});
 * int32 sums and products wrap; max and min follow {@code Math.max}/{@code Math.min} (NaN propagates).
 */
public final class Cumulative {
    private Cumulative() {}

    /** The reduction carried along the axis. */
    public enum Op {
        /** Running sum. */
        SUM,
        /** Running product. */
        PROD,
        /** Running maximum. */
        MAX,
        /** Running minimum. */
        MIN,
        /** Running {@code log(sum(exp))}, floats only. */
        LOGSUMEXP;

        double apply(double acc, double x) {
            return switch (this) {
                case SUM -> acc + x;
                case PROD -> acc * x;
                case MAX -> Math.max(acc, x);
                case MIN -> Math.min(acc, x);
                case LOGSUMEXP -> logAddExp(acc, x);
            };
        }

        int apply(int acc, int x) {
            return switch (this) {
                case SUM -> acc + x;
                case PROD -> acc * x;
                case MAX -> Math.max(acc, x);
                case MIN -> Math.min(acc, x);
                case LOGSUMEXP -> throw new IllegalArgumentException("cumlogsumexp: int32 is not supported");
            };
        }

        long apply(long acc, long x) {
            return switch (this) {
                case SUM -> acc + x;
                case PROD -> acc * x;
                case MAX -> Math.max(acc, x);
                case MIN -> Math.min(acc, x);
                case LOGSUMEXP -> throw new IllegalArgumentException("cumlogsumexp: int64 is not supported");
            };
        }
    }

    /** {@code log(exp(a) + exp(b))} without overflow; infinities of one sign and NaN handled as NumPy's logaddexp. */
    static double logAddExp(double a, double b) {
        double m = Math.max(a, b);
        if (Double.isInfinite(m) || Double.isNaN(m)) {
            return m; // both -inf, one +inf, or a NaN
        }
        return m + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /** The cumulative {@code op} of {@code x} along {@code axis}, backwards if {@code reverse}; result aval {@code out}. */
    public static DenseArray scan(DenseArray x, int axis, boolean reverse, Op op, Aval out) {
        Aval a = x.aval();
        int n = a.dim(axis);
        int inner = 1;
        for (int d = axis + 1; d < a.rank(); d++) {
            inner *= a.dim(d);
        }
        int size = a.size();
        int outers = n * inner == 0 ? 0 : size / (n * inner);
        DType t = a.dtype();
        Object src = x.data();
        Object dst = DenseArray.allocate(t, size);
        for (int o = 0; o < outers; o++) {
            int base = o * n * inner;
            switch (t) {
                case FLOAT32 -> scanFloat32((float[]) src, (float[]) dst, base, n, inner, reverse, op);
                case FLOAT64 -> scanFloat64((double[]) src, (double[]) dst, base, n, inner, reverse, op);
                case INT32 -> scanInt32((int[]) src, (int[]) dst, base, n, inner, reverse, op);
                case INT64 -> scanInt64((long[]) src, (long[]) dst, base, n, inner, reverse, op);
                default -> throw new IllegalArgumentException("cumulative " + op + ": " + t + " is not supported");
            }
        }
        return DenseArray.wrap(out, dst);
    }

    /** float64: each row combined with the one before it. */
    private static void scanFloat64(double[] s, double[] d, int base, int n, int inner, boolean reverse, Op op) {
        for (int step = 0; step < n; step++) {
            int row = base + (reverse ? n - 1 - step : step) * inner;
            int prev = row + (reverse ? inner : -inner);
            for (int i = 0; i < inner; i++) {
                d[row + i] = step == 0 ? s[row + i] : op.apply(d[prev + i], s[row + i]);
            }
        }
    }

    /** int32: each row combined with the one before it (wrapping). */
    private static void scanInt32(int[] s, int[] d, int base, int n, int inner, boolean reverse, Op op) {
        for (int step = 0; step < n; step++) {
            int row = base + (reverse ? n - 1 - step : step) * inner;
            int prev = row + (reverse ? inner : -inner);
            for (int i = 0; i < inner; i++) {
                d[row + i] = step == 0 ? s[row + i] : op.apply(d[prev + i], s[row + i]);
            }
        }
    }

    /** int64: each row combined with the one before it (wrapping). */
    private static void scanInt64(long[] s, long[] d, int base, int n, int inner, boolean reverse, Op op) {
        for (int step = 0; step < n; step++) {
            int row = base + (reverse ? n - 1 - step : step) * inner;
            int prev = row + (reverse ? inner : -inner);
            for (int i = 0; i < inner; i++) {
                d[row + i] = step == 0 ? s[row + i] : op.apply(d[prev + i], s[row + i]);
            }
        }
    }

    /** float32: one double accumulator per inner position, each output rounded once. */
    private static void scanFloat32(float[] s, float[] d, int base, int n, int inner, boolean reverse, Op op) {
        double[] acc = new double[inner];
        for (int step = 0; step < n; step++) {
            int row = base + (reverse ? n - 1 - step : step) * inner;
            for (int i = 0; i < inner; i++) {
                acc[i] = step == 0 ? s[row + i] : op.apply(acc[i], s[row + i]);
                d[row + i] = (float) acc[i];
            }
        }
    }
}
