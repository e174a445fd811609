package dev.solstice.core;

import dev.solstice.Array;
import dev.solstice.DType;
import java.util.Arrays;

/**
 * A concrete array: dtype, shape and a row-major Java array holding the elements ({@code float[]},
 * {@code double[]}, {@code int[]} or {@code boolean[]}). Never mutated after construction; kernels build new
 * ones.
 */
public final class DenseArray extends Array {
    private final Aval aval;
    private final Object data;

    private DenseArray(Aval aval, Object data) {
        this.aval = aval;
        this.data = data;
    }

    /** Wraps {@code data} (not copied: the caller hands it over) as an array of the given aval. */
    public static DenseArray wrap(Aval aval, Object data) {
        int n = switch (aval.dtype()) {
            case FLOAT32 -> ((float[]) data).length;
            case FLOAT64 -> ((double[]) data).length;
            case INT32 -> ((int[]) data).length;
            case BOOL -> ((boolean[]) data).length;
        };
        if (n != aval.size()) {
            throw new IllegalArgumentException("array of " + n + " elements cannot have shape "
                    + Arrays.toString(aval.shape()) + " (" + aval.size() + " elements)");
        }
        return new DenseArray(aval, data);
    }

    /** A float64 array over {@code data} (handed over, not copied); no shape means a scalar. */
    public static DenseArray ofDoubles(double[] data, int... shape) {
        return wrap(new Aval(DType.FLOAT64, shape), data);
    }

    /** A float32 array over {@code data} (handed over). */
    public static DenseArray ofFloats(float[] data, int... shape) {
        return wrap(new Aval(DType.FLOAT32, shape), data);
    }

    /** An int32 array over {@code data} (handed over). */
    public static DenseArray ofInts(int[] data, int... shape) {
        return wrap(new Aval(DType.INT32, shape), data);
    }

    /** A bool array over {@code data} (handed over). */
    public static DenseArray ofBools(boolean[] data, int... shape) {
        return wrap(new Aval(DType.BOOL, shape), data);
    }

    /** A new zero-filled storage array for {@code n} elements of {@code dtype}. */
    public static Object allocate(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT32 -> new int[n];
            case BOOL -> new boolean[n];
        };
    }

    /** An array of the aval's shape with every element equal to {@code value} (converted to the dtype). */
    public static DenseArray full(Aval aval, double value) {
        int n = aval.size();
        Object d = allocate(aval.dtype(), n);
        switch (aval.dtype()) {
            case FLOAT32 -> Arrays.fill((float[]) d, (float) value);
            case FLOAT64 -> Arrays.fill((double[]) d, value);
            case INT32 -> Arrays.fill((int[]) d, (int) value);
            case BOOL -> Arrays.fill((boolean[]) d, value != 0);
        }
        return new DenseArray(aval, d);
    }

    @Override
    public Aval aval() {
        return aval;
    }

    @Override
    public DenseArray concrete() {
        return this;
    }

    /** The storage itself; callers must not modify it. */
    public Object data() {
        return data;
    }

    /** The storage of a float64 array; callers must not modify it. */
    public double[] doubles() {
        return (double[]) data;
    }

    /** The storage of a float32 array; callers must not modify it. */
    public float[] floats() {
        return (float[]) data;
    }

    /** The storage of an int32 array; callers must not modify it. */
    public int[] ints() {
        return (int[]) data;
    }

    /** The storage of a bool array; callers must not modify it. */
    public boolean[] bools() {
        return (boolean[]) data;
    }

    /** Element {@code i} (row-major) as a double. */
    public double getDouble(int i) {
        return switch (aval.dtype()) {
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            case BOOL -> ((boolean[]) data)[i] ? 1 : 0;
        };
    }

    /** The same elements under another shape of the same size (the storage is shared; it is immutable). */
    public DenseArray withShape(int... shape) {
        return wrap(new Aval(aval.dtype(), shape), data);
    }

    @Override
    public double item() {
        if (aval.size() != 1) {
            throw new IllegalArgumentException("item() needs an array of size 1, got " + aval.str());
        }
        return getDouble(0);
    }

    @Override
    public double[] toDoubleArray() {
        double[] out = new double[aval.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    @Override
    public float[] toFloatArray() {
        float[] out = new float[aval.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    @Override
    public int[] toIntArray() {
        int[] out = new int[aval.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) getDouble(i);
        }
        return out;
    }

    @Override
    public boolean[] toBooleanArray() {
        if (aval.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("toBooleanArray() needs a bool array, got " + aval.str());
        }
        return ((boolean[]) data).clone();
    }

    @Override
    public String toString() {
        return "Array(" + aval.str() + ", " + ArrayFormat.values(this) + ")";
    }
}
