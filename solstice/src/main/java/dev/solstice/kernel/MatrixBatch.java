package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;

/**
 * Moves batches of matrices (the last two axes of an array; the leading axes are the batch) between
 * {@link DenseArray}s and row-major {@code double[]} working copies, which the decomposition kernels
 * ({@link CholeskyKernel}, {@link LuKernel}, {@link TriangularSolveKernel}) read and write. float32 is widened
 * on the way in and rounded on the way out, so the kernels are written once, in double.
 */
public final class MatrixBatch {
    private MatrixBatch() {}

    /** The elements of an array as a fresh row-major double copy. */
    public static double[] doubles(DenseArray a) {
        return a.contiguous().toDoubleArray();
    }

    /**
     * The elements of an array as row-major doubles to be read only: a float64 array's own contiguous storage
     * (no copy; callers must not modify it), else a fresh copy as {@link #doubles} makes.
     */
    public static double[] readDoubles(DenseArray a) {
        return a.aval().dtype() == DType.FLOAT64 ? a.doubles() : doubles(a);
    }

    /**
     * Whether every matrix of a contiguous float64 or float32 array equals its transpose bit for bit, with no
     * element beyond half the dtype's largest finite value: then {@code (a + aᵀ) / 2} is {@code a} exactly
     * ({@code x + x} neither rounds nor overflows, and halving it is exact), so a symmetrisation can be skipped.
     * False for a view, another dtype or a non-square shape (the caller symmetrises as usual).
     */
    public static boolean symmetricWithoutOverflow(DenseArray a) {
        Aval v = a.aval();
        int r = v.rank();
        if (!a.isContiguous() || r < 2 || v.dim(r - 1) != v.dim(r - 2)) {
            return false;
        }
        int n = v.dim(r - 1);
        int count = count(v);
        if (v.dtype() == DType.FLOAT64) {
            double[] x = a.doubles();
            for (int b = 0, base = 0; b < count; b++, base += n * n) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        double lower = x[base + i * n + j];
                        if (Double.doubleToRawLongBits(lower) != Double.doubleToRawLongBits(x[base + j * n + i])
                                || !(Math.abs(lower) <= Double.MAX_VALUE / 2)) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }
        if (v.dtype() == DType.FLOAT32) {
            float[] x = a.floats();
            for (int b = 0, base = 0; b < count; b++, base += n * n) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        float lower = x[base + i * n + j];
                        if (Float.floatToRawIntBits(lower) != Float.floatToRawIntBits(x[base + j * n + i])
                                || !(Math.abs(lower) <= Float.MAX_VALUE / 2)) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }
        return false;
    }

    /** The number of matrices in an array of rank at least 2: the product of its leading axes. */
    public static int count(Aval a) {
        int n = 1;
        for (int d = 0; d < a.rank() - 2; d++) {
            n *= a.dim(d);
        }
        return n;
    }

    /** An array of the aval holding {@code values} (row-major), rounded to float32 when the aval is. */
    public static DenseArray of(Aval aval, double[] values) {
        if (aval.dtype() == DType.FLOAT64) {
            return DenseArray.wrap(aval, values);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return DenseArray.wrap(aval, f);
    }

    /** An int32 array of the aval holding {@code values}. */
    public static DenseArray ofInts(Aval aval, int[] values) {
        return DenseArray.wrap(aval, values);
    }

    /** The shape {@code batch} followed by {@code trailing} (a decomposition's output shapes). */
    public static int[] shape(int[] batch, int... trailing) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + trailing.length);
        System.arraycopy(trailing, 0, s, batch.length, trailing.length);
        return s;
    }
}
