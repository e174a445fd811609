package dev.solstice.kernel;

import dev.solstice.DType;

/**
 * The plain Java loops that move elements rather than compute them: select and element type conversion, one
 * typed loop per dtype (pair), over a range of elements so that large arrays can be split across threads.
 */
final class MoveLoops {
    private MoveLoops() {}

    /** {@code o[oo + i] = p[po + i] ? a[ao + i] : b[bo + i]} for {@code i < n}: one typed loop per dtype. */
    static void selectAt(boolean[] p, int po, Object a, int ao, Object b, int bo, Object o, int oo, int n) {
        // one typed loop per dtype: a per-element arraycopy cost ~a quarter of a training step (profiled)
        switch (a) {
            case float[] x -> {
                float[] y = (float[]) b;
                float[] r = (float[]) o;
                for (int i = 0; i < n; i++) {
                    r[oo + i] = p[po + i] ? x[ao + i] : y[bo + i];
                }
            }
            case double[] x -> {
                double[] y = (double[]) b;
                double[] r = (double[]) o;
                for (int i = 0; i < n; i++) {
                    r[oo + i] = p[po + i] ? x[ao + i] : y[bo + i];
                }
            }
            case int[] x -> {
                int[] y = (int[]) b;
                int[] r = (int[]) o;
                for (int i = 0; i < n; i++) {
                    r[oo + i] = p[po + i] ? x[ao + i] : y[bo + i];
                }
            }
            case long[] x -> {
                long[] y = (long[]) b;
                long[] r = (long[]) o;
                for (int i = 0; i < n; i++) {
                    r[oo + i] = p[po + i] ? x[ao + i] : y[bo + i];
                }
            }
            default -> {
                boolean[] x = (boolean[]) a;
                boolean[] y = (boolean[]) b;
                boolean[] r = (boolean[]) o;
                for (int i = 0; i < n; i++) {
                    r[oo + i] = p[po + i] ? x[ao + i] : y[bo + i];
                }
            }
        }
    }

    /**
     * Converts elements {@code [from, to)} of {@code a} (dtype {@code in}) into {@code o} (dtype {@code out}):
     * Java's casts (float to int truncates toward zero, saturates, NaN gives 0), nonzero (NaN included) is
     * true, bools are 0 or 1.
     */
    static void convert(DType in, DType out, Object a, Object o, int from, int to) {
        if (in == out) {
            System.arraycopy(a, from, o, from, to - from);
            return;
        }
        switch (in) {
            case FLOAT32 -> fromFloats((float[]) a, out, o, from, to);
            case FLOAT64 -> fromDoubles((double[]) a, out, o, from, to);
            case INT32 -> fromInts((int[]) a, out, o, from, to);
            case BOOL -> fromBools((boolean[]) a, out, o, from, to);
        }
    }

    private static void fromFloats(float[] a, DType out, Object o, int from, int to) {
        switch (out) {
            case FLOAT64 -> { double[] r = (double[]) o; for (int i = from; i < to; i++) { r[i] = a[i]; } }
            case INT32 -> { int[] r = (int[]) o; for (int i = from; i < to; i++) { r[i] = (int) a[i]; } }
            default -> { boolean[] r = (boolean[]) o; for (int i = from; i < to; i++) { r[i] = a[i] != 0; } }
        }
    }

    private static void fromDoubles(double[] a, DType out, Object o, int from, int to) {
        switch (out) {
            case FLOAT32 -> { float[] r = (float[]) o; for (int i = from; i < to; i++) { r[i] = (float) a[i]; } }
            case INT32 -> { int[] r = (int[]) o; for (int i = from; i < to; i++) { r[i] = (int) a[i]; } }
            default -> { boolean[] r = (boolean[]) o; for (int i = from; i < to; i++) { r[i] = a[i] != 0; } }
        }
    }

    private static void fromInts(int[] a, DType out, Object o, int from, int to) {
        switch (out) {
            case FLOAT32 -> { float[] r = (float[]) o; for (int i = from; i < to; i++) { r[i] = a[i]; } }
            case FLOAT64 -> { double[] r = (double[]) o; for (int i = from; i < to; i++) { r[i] = a[i]; } }
            default -> { boolean[] r = (boolean[]) o; for (int i = from; i < to; i++) { r[i] = a[i] != 0; } }
        }
    }

    private static void fromBools(boolean[] a, DType out, Object o, int from, int to) {
        switch (out) {
            case FLOAT32 -> { float[] r = (float[]) o; for (int i = from; i < to; i++) { r[i] = a[i] ? 1 : 0; } }
            case FLOAT64 -> { double[] r = (double[]) o; for (int i = from; i < to; i++) { r[i] = a[i] ? 1 : 0; } }
            default -> { int[] r = (int[]) o; for (int i = from; i < to; i++) { r[i] = a[i] ? 1 : 0; } }
        }
    }
}
