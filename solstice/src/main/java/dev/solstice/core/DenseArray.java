package dev.solstice.core;

import dev.solstice.Array;
import dev.solstice.DType;
import java.util.Arrays;

/**
 * A concrete array: dtype, shape and the elements in a Java array ({@code float[]}, {@code double[]},
 * {@code int[]} or {@code boolean[]}; {@code long[]} for int64, and for the narrow types ({@link NarrowTypes})
 * {@code short[]} bits for float16/bfloat16, {@code byte[]} for int8/uint8, {@code int[]} for uint32). Never mutated after construction; kernels build new ones.
 *
 * <p><b>Layout.</b> Most arrays are contiguous: their storage holds exactly their elements, row-major. A
 * <em>view</em> ({@link #view}) reads another array's storage in place: element {@code (i0, i1, ...)} is at
 * {@code offset() + i0*strides()[0] + i1*strides()[1] + ...}; a stride of 0 repeats an element (broadcasting), a
 * negative one walks an axis backwards. Transposition, broadcasting, slicing, reversal and most reshapes build
 * views in O(1), and kernels that can read strided operands do so directly. Values are unaffected: a view
 * is an array like any other, and no storage is ever written after construction.
 *
 * <p>{@link #data()} and its typed forms always give contiguous row-major storage: for a view they copy its
 * elements once (a strided loop) and keep the copy, so later calls are free. A view keeps its whole storage
 * alive (as NumPy's views do), except that a view reading fewer than one in {@value #SMALL_VIEW_RATIO} of its
 * storage's elements is copied when made, so that a small slice of a large array does not pin the large one.
 * A view whose contiguous copy was made holds both the storage and the copy.
 */
public final class DenseArray extends Array {
    /** A view reading fewer than 1/this of its storage's elements is copied when made (see the class comment). */
    public static final int SMALL_VIEW_RATIO = 8;

    private final Aval aval;
    private final Object storage;
    private final int offset;
    /** Element strides per axis; null for a contiguous array. */
    private final int[] strides;
    /** A view's elements, row-major, once something asked for them; a benign race (any copy is equal). */
    private volatile Object contiguous;

    private DenseArray(Aval aval, Object storage, int offset, int[] strides) {
        this.aval = aval;
        this.storage = storage;
        this.offset = offset;
        this.strides = strides;
    }

    /** Wraps {@code data} (not copied: the caller hands it over) as an array of the given aval. */
    public static DenseArray wrap(Aval aval, Object data) {
        int n = length(aval.dtype(), data);
        if (n != aval.size()) {
            throw new IllegalArgumentException("array of " + n + " elements cannot have shape "
                    + Arrays.toString(aval.shape()) + " (" + aval.size() + " elements)");
        }
        return new DenseArray(aval, data, 0, null);
    }

    private static int length(DType dtype, Object data) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) data).length;
            case FLOAT64 -> ((double[]) data).length;
            case INT32, UINT32 -> ((int[]) data).length;
            case BOOL -> ((boolean[]) data).length;
            case INT64 -> ((long[]) data).length;
            case FLOAT16, BFLOAT16 -> ((short[]) data).length;
            case INT8, UINT8 -> ((byte[]) data).length;
        };
    }

    /**
     * The array of aval {@code aval} whose element {@code (i0, i1, ...)} is
     * {@code storage[offset + i0*strides[0] + i1*strides[1] + ...]}; the storage is shared, not copied, and
     * must never be written. A layout that is row-major over the whole storage gives a plain contiguous array
     * (so two transpositions that undo each other give back the original layout); a view of fewer than one
     * in {@value #SMALL_VIEW_RATIO} of the storage's elements is copied now (see the class comment). The
     * caller guarantees that every element's position lies inside the storage.
     */
    public static DenseArray view(Aval aval, Object storage, int offset, int[] strides) {
        int length = length(aval.dtype(), storage);
        int size = aval.size();
        if (offset == 0 && length == size && Strided.isRowMajor(aval.shape(), strides)) {
            return new DenseArray(aval, storage, 0, null);
        }
        if (size == 0 || (long) size * SMALL_VIEW_RATIO < length) {
            Object copy = allocate(aval.dtype(), size);
            Strided.copy(storage, offset, aval.shape(), strides, copy, 0);
            return new DenseArray(aval, copy, 0, null);
        }
        return new DenseArray(aval, storage, offset, strides.clone());
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

    /**
     * An array of the aval from row-major doubles, each converted to the dtype as {@code convert_element_type}
     * converts (floats rounded once to nearest even, integers truncated and saturated, nonzero is true).
     */
    public static DenseArray fromDoubles(Aval aval, double[] values) {
        DType t = aval.dtype();
        int n = values.length;
        Object d = allocate(t, n);
        for (int i = 0; i < n; i++) {
            switch (t) {
                case FLOAT64 -> ((double[]) d)[i] = values[i];
                case FLOAT32 -> ((float[]) d)[i] = (float) values[i];
                case FLOAT16 -> ((short[]) d)[i] = NarrowTypes.doubleToHalf(values[i]);
                case BFLOAT16 -> ((short[]) d)[i] = NarrowTypes.doubleToBf16(values[i]);
                case INT64 -> ((long[]) d)[i] = (long) values[i];
                case INT32, UINT32 -> ((int[]) d)[i] = (int) NarrowTypes.saturate(values[i], t);
                case INT8, UINT8 -> ((byte[]) d)[i] = (byte) NarrowTypes.saturate(values[i], t);
                case BOOL -> ((boolean[]) d)[i] = values[i] != 0;
            }
        }
        return wrap(aval, d);
    }

    /** A new zero-filled storage array for {@code n} elements of {@code dtype}. */
    public static Object allocate(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT32, UINT32 -> new int[n];
            case BOOL -> new boolean[n];
            case INT64 -> new long[n];
            case FLOAT16, BFLOAT16 -> new short[n];
            case INT8, UINT8 -> new byte[n];
        };
    }

    /** An array of the aval's shape with every element equal to {@code value} (converted to the dtype). */
    public static DenseArray full(Aval aval, double value) {
        int n = aval.size();
        DType t = aval.dtype();
        if (t.isStoredNarrow()) {
            return new DenseArray(aval, NarrowTypes.filled(t, n, value), 0, null);
        }
        Object d = allocate(t, n);
        switch (t) {
            case FLOAT32 -> Arrays.fill((float[]) d, (float) value);
            case FLOAT64 -> Arrays.fill((double[]) d, value);
            case INT32 -> Arrays.fill((int[]) d, (int) value);
            case BOOL -> Arrays.fill((boolean[]) d, value != 0);
            case INT64 -> Arrays.fill((long[]) d, (long) value);
            default -> throw new IllegalStateException("unreachable: " + t);
        }
        return new DenseArray(aval, d, 0, null);
    }

    @Override
    public Aval aval() {
        return aval;
    }

    @Override
    public DenseArray concrete() {
        return this;
    }

    /** Whether the storage holds exactly this array's elements, row-major (false for a view). */
    public boolean isContiguous() {
        return strides == null;
    }

    /**
     * The storage the elements are read from, shared with other arrays: for a view, see {@link #offset()} and
     * {@link #strides()}. Callers must not modify it.
     */
    public Object storage() {
        return storage;
    }

    /** The position of element {@code (0, 0, ...)} in {@link #storage()}; 0 for a contiguous array. */
    public int offset() {
        return offset;
    }

    /** The element strides per axis in {@link #storage()} (row-major ones for a contiguous array); a copy. */
    public int[] strides() {
        return strides == null ? Shapes.strides(aval.shape()) : strides.clone();
    }

    /** This array's elements as a contiguous array: itself when contiguous, else the copy {@link #data()} makes. */
    public DenseArray contiguous() {
        return strides == null ? this : new DenseArray(aval, data(), 0, null);
    }

    /**
     * The elements in contiguous row-major storage; callers must not modify it. For a view this is a copy,
     * made on the first call and kept.
     */
    public Object data() {
        if (strides == null) {
            return storage;
        }
        Object c = contiguous;
        if (c == null) {
            c = allocate(aval.dtype(), aval.size());
            Strided.copy(storage, offset, aval.shape(), strides, c, 0);
            contiguous = c;
        }
        return c;
    }

    /** The elements of a float64 array, contiguous row-major (see {@link #data()}); callers must not modify it. */
    public double[] doubles() {
        return (double[]) data();
    }

    /** The elements of a float32 array, contiguous row-major (see {@link #data()}); callers must not modify it. */
    public float[] floats() {
        return (float[]) data();
    }

    /** The elements of an int32 array, contiguous row-major (see {@link #data()}); callers must not modify it. */
    public int[] ints() {
        return (int[]) data();
    }

    /** The elements of a bool array, contiguous row-major (see {@link #data()}); callers must not modify it. */
    public boolean[] bools() {
        return (boolean[]) data();
    }

    /** The elements of an int64 array, contiguous row-major (see {@link #data()}); callers must not modify it. */
    public long[] longs() {
        return (long[]) data();
    }

    /** Element {@code i} (row-major) as a double. */
    public double getDouble(int i) {
        Object d = data();
        return switch (aval.dtype()) {
            case FLOAT32 -> ((float[]) d)[i];
            case FLOAT64 -> ((double[]) d)[i];
            case INT32 -> ((int[]) d)[i];
            case BOOL -> ((boolean[]) d)[i] ? 1 : 0;
            case INT64 -> ((long[]) d)[i];
            default -> NarrowTypes.get(aval.dtype(), d, i);
        };
    }

    /**
     * The same elements under another shape of the same size, row-major order unchanged: the storage is
     * shared when the layout allows it (always for a contiguous array), else the elements are copied.
     */
    public DenseArray withShape(int... shape) {
        Aval to = new Aval(aval.dtype(), shape);
        if (strides == null) {
            return wrap(to, storage);
        }
        int[] s = Strided.reshape(aval.shape(), strides, shape);
        return s != null ? view(to, storage, offset, s) : wrap(to, data());
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
        Object d = data();
        if (d instanceof double[] a) {
            return a.clone();
        }
        double[] out = new double[aval.size()];
        if (d instanceof float[] a) {
            for (int i = 0; i < out.length; i++) {
                out[i] = a[i];
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = getDouble(i);
            }
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
        if (aval.dtype() == DType.INT32) {
            return ints().clone();
        }
        int[] out = new int[aval.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) getDouble(i);
        }
        return out;
    }

    @Override
    public long[] toLongArray() {
        long[] out = new long[aval.size()];
        if (aval.dtype() == DType.INT64) {
            System.arraycopy(longs(), 0, out, 0, out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) getDouble(i);
        }
        return out;
    }

    @Override
    public boolean[] toBooleanArray() {
        if (aval.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("toBooleanArray() needs a bool array, got " + aval.str());
        }
        return ((boolean[]) data()).clone();
    }

    @Override
    public String toString() {
        String prefix = "Array(" + aval.str() + ", ";
        return prefix + ArrayFormat.values(this, prefix.length(), 1) + ")";
    }
}
