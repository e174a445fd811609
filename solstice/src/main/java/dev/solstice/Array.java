package dev.solstice;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;

/**
 * An immutable n-dimensional array of one {@link DType} (float64, float32, float16, bfloat16, int64, int32,
 * uint32, int8, uint8 or bool), any rank including 0, row-major.
 *
 * <p>Inside a transformation ({@link Jax#grad}, {@link Jax#jvp}, ...) a function receives tracers, which are
 * arrays too: every operation on them is recorded or differentiated by the transformation. Concrete arrays
 * come from the factories here and in {@link Jnp}. Users do not subclass this type.
 *
 * <p>Binary operations broadcast by NumPy's rules and promote dtypes by JAX's lattice; a Java number is
 * weakly typed and takes the array's dtype ({@code x.add(2.0)} of a float32 {@code x} is float32).
 *
 * {@snippet lang=java :
 * Array x = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
 * x                               // float64[2,3]
 * x.mul(2.0).sum()                // 42.0
 * Array.of(1.0f, 2.0f).add(0.5)   // [1.5, 2.5]: the number takes the array's dtype, float32
 * }
 */
public abstract class Array {

    /** For the library's own array and tracer classes only. */
    protected Array() {}

    /**
     * The dtype and shape.
     *
     * {@snippet lang=java :
     * Array.of(1.0, 2.0).aval().toString()    // float64[2]
     * }
     */
    public abstract Aval aval();

    /**
     * The element type.
     *
     * {@snippet lang=java :
     * Array.of(1, 2).dtype() == DType.INT32     // true
     * }
     */
    public DType dtype() {
        return aval().dtype();
    }

    /**
     * A copy of the shape.
     *
     * {@snippet lang=java :
     * Jnp.zeros(2, 3).shape()                  // [2, 3]
     * }
     */
    public int[] shape() {
        return aval().shape();
    }

    /**
     * The number of axes.
     *
     * {@snippet lang=java :
     * Jnp.zeros(2, 3).ndim()                   // 2
     * }
     */
    public int ndim() {
        return aval().rank();
    }

    /**
     * The number of elements.
     *
     * {@snippet lang=java :
     * Jnp.zeros(2, 3).size()                   // 6
     * }
     */
    public int size() {
        return aval().size();
    }

    /**
     * The single element of a size-1 array as a double. Under forward-mode and reverse-mode differentiation
     * the primal value is concrete, so this works there (for Java control flow), as JAX's {@code float(x)}.
     *
     * {@snippet lang=java :
     * Array.of(1.0, 2.0).sum().item()          // 3.0
     * Array.of(1.0, 2.0).item()                // throws IllegalArgumentException
     * }
     */
    public abstract double item();

    /**
     * The concrete values behind this array; throws for a value that is only known abstractly (staged).
     *
     * {@snippet lang=java :
     * Array.of(1.0, 2.0).concrete()            // [1.0, 2.0]
     * }
     */
    public abstract DenseArray concrete();

    /**
     * A row-major copy of the elements as doubles (bool gives 0 or 1).
     *
     * {@snippet lang=java :
     * Array.of(true, false).toDoubleArray()    // [1.0, 0.0]
     * }
     */
    public double[] toDoubleArray() {
        return concrete().toDoubleArray();
    }

    /**
     * A row-major copy of the elements as floats.
     *
     * {@snippet lang=java :
     * Array.of(1.5, 2.5).toFloatArray()        // [1.5, 2.5]
     * }
     */
    public float[] toFloatArray() {
        return concrete().toFloatArray();
    }

    /**
     * A row-major copy of the elements as ints (floats are truncated toward zero, as a cast).
     *
     * {@snippet lang=java :
     * Array.of(1.9, -1.9).toIntArray()         // [1, -1]
     * }
     */
    public int[] toIntArray() {
        return concrete().toIntArray();
    }

    /**
     * A row-major copy of the elements of a bool array.
     *
     * {@snippet lang=java :
     * Jnp.greater(Array.of(1.0, 3.0), 2.0).toBooleanArray()   // [false, true]
     * }
     */
    public boolean[] toBooleanArray() {
        return concrete().toBooleanArray();
    }

    /**
     * A row-major copy of the elements as longs: int64 exactly, uint32 as its unsigned value, floats truncated
     * toward zero (as a cast).
     *
     * {@snippet lang=java :
     * Array.of(new long[] {1L << 40, -3}, 2).toLongArray()[0]      // 1099511627776
     * Array.of(-1).astype(DType.UINT32).toLongArray()[0]           // 4294967295
     * }
     */
    public long[] toLongArray() {
        return concrete().toLongArray();
    }

    // ---- factories ----------------------------------------------------------------------------------

    /**
     * A float64 scalar (shape {@code []}).
     *
     * {@snippet lang=java :
     * Array.scalar(2.5)                        // Array(float64[], 2.5)
     * }
     */
    public static Array scalar(double v) {
        return DenseArray.ofDoubles(new double[] {v});
    }

    /**
     * A float32 scalar.
     *
     * {@snippet lang=java :
     * Array.scalar(2.5f)                       // float32[]
     * }
     */
    public static Array scalar(float v) {
        return DenseArray.ofFloats(new float[] {v});
    }

    /**
     * An int32 scalar.
     *
     * {@snippet lang=java :
     * Array.scalar(3)                          // int32[]
     * }
     */
    public static Array scalar(int v) {
        return DenseArray.ofInts(new int[] {v});
    }

    /**
     * A bool scalar.
     *
     * {@snippet lang=java :
     * Array.scalar(true)                       // bool[]
     * }
     */
    public static Array scalar(boolean v) {
        return DenseArray.ofBools(new boolean[] {v});
    }

    /**
     * A float64 vector.
     *
     * {@snippet lang=java :
     * Array.of(1.0, 2.0)                       // Array(float64[2], [1.0, 2.0])
     * }
     */
    public static Array of(double... values) {
        return DenseArray.ofDoubles(values.clone(), values.length);
    }

    /**
     * A float32 vector.
     *
     * {@snippet lang=java :
     * Array.of(1.0f, 2.0f)                     // float32[2]
     * }
     */
    public static Array of(float... values) {
        return DenseArray.ofFloats(values.clone(), values.length);
    }

    /**
     * An int32 vector.
     *
     * {@snippet lang=java :
     * Array.of(1, 2, 3)                        // int32[3]
     * }
     */
    public static Array of(int... values) {
        return DenseArray.ofInts(values.clone(), values.length);
    }

    /**
     * A bool vector.
     *
     * {@snippet lang=java :
     * Array.of(true, false)                    // bool[2]
     * }
     */
    public static Array of(boolean... values) {
        return DenseArray.ofBools(values.clone(), values.length);
    }

    /**
     * A float64 array of the given shape from row-major values (copied); the sizes must agree.
     *
     * {@snippet lang=java :
     * Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3)   // [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
     * Array.of(new double[] {1, 2, 3}, 2, 2)             // throws IllegalArgumentException
     * }
     */
    public static Array of(double[] values, int... shape) {
        return DenseArray.ofDoubles(values.clone(), shape);
    }

    /**
     * A float32 array of the given shape from row-major values (copied).
     *
     * {@snippet lang=java :
     * Array.of(new float[] {1, 2, 3, 4}, 2, 2)          // float32[2,2]
     * }
     */
    public static Array of(float[] values, int... shape) {
        return DenseArray.ofFloats(values.clone(), shape);
    }

    /**
     * An int32 array of the given shape from row-major values (copied).
     *
     * {@snippet lang=java :
     * Array.of(new int[] {1, 2, 3, 4}, 4, 1)            // int32[4,1]
     * }
     */
    public static Array of(int[] values, int... shape) {
        return DenseArray.ofInts(values.clone(), shape);
    }

    /**
     * A bool array of the given shape from row-major values (copied).
     *
     * {@snippet lang=java :
     * Array.of(new boolean[] {true, false}, 1, 2)       // bool[1,2]
     * }
     */
    public static Array of(boolean[] values, int... shape) {
        return DenseArray.ofBools(values.clone(), shape);
    }

    /**
     * An int64 array of the given shape from row-major values (copied).
     *
     * {@snippet lang=java :
     * Array.of(new long[] {1L << 40, 2}, 2)               // Array(int64[2], [1099511627776,             2])
     * }
     */
    public static Array of(long[] values, int... shape) {
        return DenseArray.wrap(new Aval(DType.INT64, shape), values.clone());
    }

    /**
     * An array of dtype {@code dtype} and the given shape from row-major values, each converted as
     * {@link Jnp#astype} converts (floats rounded once to nearest even; integers truncated toward zero and
     * saturated at the type's bounds).
     *
     * {@snippet lang=java :
     * Array.of(DType.FLOAT16, new double[] {0.1, 65536}, 2).toDoubleArray()[1]   // Infinity
     * Array.of(DType.UINT8, new double[] {300, -1}, 2).toIntArray()[0]          // 255
     * Array.of(DType.BFLOAT16, new double[] {1, 2, 3, 4}, 2, 2)                  // bfloat16[2,2]
     * }
     */
    public static Array of(DType dtype, double[] values, int... shape) {
        Aval aval = new Aval(dtype, shape);
        if (values.length != aval.size()) {
            throw new IllegalArgumentException("Array.of: " + values.length + " values cannot have shape "
                    + java.util.Arrays.toString(shape) + " (" + aval.size() + " elements) of " + dtype);
        }
        return DenseArray.fromDoubles(aval, values);
    }

    // ---- fluent forms of Jnp ------------------------------------------------------------------------
    // The one dependency of the core layer on a layer above (LayeringTest names it): these methods are Jnp's
    // functions and Index's indexing, as JAX's array methods are jnp functions attached to jax.Array.

    /**
     * {@link Jnp#add}.
     *
     * {@snippet lang=java :
     * Array.of(1.0, 2.0).add(Array.of(10.0, 20.0))     // [11.0, 22.0]
     * }
     */
    public Array add(Array y) { return Jnp.add(this, y); }
    /**
     * {@link Jnp#add} with a weakly typed number.
     *
     * {@snippet lang=java :
     * Array.of(1, 2).add(1.5)                  // [2.5, 3.5]: a float and an int array give a float
     * }
     */
    public Array add(double y) { return Jnp.add(this, y); }
    /**
     * {@link Jnp#add} with a weakly typed integer: an int32 array stays int32 (JAX's weak Python int); only a
     * Java double makes it floating.
     *
     * {@snippet lang=java :
     * Array.of(1, 2).add(1).dtype()     // int32
     * Array.of(1, 2).add(1.0).dtype()   // float64
     * }
     *
     * @param y the integer
     * @return this + y
     */
    public Array add(int y) { return Jnp.add(this, y); }
    /**
     * {@link Jnp#subtract}.
     *
     * {@snippet lang=java :
     * Array.of(5.0, 7.0).sub(Array.of(1.0, 2.0))       // [4.0, 5.0]
     * }
     */
    public Array sub(Array y) { return Jnp.subtract(this, y); }
    /**
     * {@link Jnp#subtract} with a weakly typed number.
     *
     * {@snippet lang=java :
     * Array.of(5.0, 7.0).sub(1.0)              // [4.0, 6.0]
     * }
     */
    public Array sub(double y) { return Jnp.subtract(this, y); }
    /**
     * {@link Jnp#subtract} with a weakly typed integer: an int32 array stays int32.
     *
     * {@snippet lang=java :
     * Array.of(1, 2).sub(1).dtype()     // int32
     * }
     *
     * @param y the integer
     * @return this - y
     */
    public Array sub(int y) { return Jnp.subtract(this, y); }
    /**
     * {@link Jnp#multiply}.
     *
     * {@snippet lang=java :
     * Array.of(new double[] {1, 2, 3, 4}, 2, 2).mul(Array.of(10.0, 100.0))   // [[10.0, 200.0], [30.0, 400.0]]: broadcast
     * }
     */
    public Array mul(Array y) { return Jnp.multiply(this, y); }
    /**
     * {@link Jnp#multiply} with a weakly typed number.
     *
     * {@snippet lang=java :
     * Array.of(1.0, 2.0).mul(3.0)              // [3.0, 6.0]
     * }
     */
    public Array mul(double y) { return Jnp.multiply(this, y); }
    /**
     * {@link Jnp#multiply} with a weakly typed integer: an int32 array stays int32.
     *
     * {@snippet lang=java :
     * Array.of(1, 2).mul(2).dtype()     // int32
     * }
     *
     * @param y the integer
     * @return this * y
     */
    public Array mul(int y) { return Jnp.multiply(this, y); }
    /**
     * {@link Jnp#divide}.
     *
     * {@snippet lang=java :
     * Array.of(1.0, 3.0).div(Array.of(2.0, 4.0))       // [0.5, 0.75]
     * }
     */
    public Array div(Array y) { return Jnp.divide(this, y); }
    /**
     * {@link Jnp#divide} with a weakly typed number.
     *
     * {@snippet lang=java :
     * Array.of(1, 3).div(2.0)                  // [0.5, 1.5]
     * }
     */
    public Array div(double y) { return Jnp.divide(this, y); }
    /**
     * {@link Jnp#negative}.
     *
     * {@snippet lang=java :
     * Array.of(1.0, -2.0).neg()                // [-1.0, 2.0]
     * }
     */
    public Array neg() { return Jnp.negative(this); }
    /**
     * {@link Jnp#power}.
     *
     * {@snippet lang=java :
     * Array.of(2.0, 3.0).pow(Array.of(3.0, 2.0))       // [8.0, 9.0]
     * }
     */
    public Array pow(Array y) { return Jnp.power(this, y); }
    /**
     * {@link Jnp#power} with a real exponent ({@code pow}).
     *
     * {@snippet lang=java :
     * Array.of(4.0, 9.0).pow(0.5)              // [2.0, 3.0]
     * }
     */
    public Array pow(double y) { return Jnp.power(this, y); }
    /**
     * {@link Jnp#power} with an integer exponent ({@code integer_pow}).
     *
     * {@snippet lang=java :
     * Array.of(2.0, -3.0).pow(3)               // [8.0, -27.0]
     * }
     */
    public Array pow(int n) { return Jnp.power(this, n); }
    /**
     * {@link Jnp#matmul}.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, 2, 3, 4}, 2, 2);
     * a.matmul(Array.of(1.0, 1.0))             // [3.0, 7.0]
     * }
     */
    public Array matmul(Array y) { return Jnp.matmul(this, y); }
    /**
     * {@link Jnp#sum} over all axes.
     *
     * {@snippet lang=java :
     * Array.of(new double[] {1, 2, 3, 4}, 2, 2).sum()   // 10.0
     * }
     */
    public Array sum() { return Jnp.sum(this); }
    /**
     * {@link Jnp#sum} over the given axes.
     *
     * {@snippet lang=java :
     * Array.of(new double[] {1, 2, 3, 4}, 2, 2).sum(0)  // [4.0, 6.0]
     * }
     */
    public Array sum(int... axes) { return Jnp.sum(this, axes); }
    /**
     * {@link Jnp#mean} over all axes.
     *
     * {@snippet lang=java :
     * Array.of(1.0, 2.0, 6.0).mean()           // 3.0
     * }
     */
    public Array mean() { return Jnp.mean(this); }
    /**
     * {@link Jnp#reshape}; one dimension may be -1.
     *
     * {@snippet lang=java :
     * Jnp.arange(6).reshape(3, -1)             // [[0, 1], [2, 3], [4, 5]]
     * }
     */
    public Array reshape(int... shape) { return Jnp.reshape(this, shape); }
    /**
     * {@link Jnp#transpose} reversing the axes.
     *
     * {@snippet lang=java :
     * Jnp.arange(6).reshape(2, 3).transpose()  // [[0, 3], [1, 4], [2, 5]]
     * }
     */
    public Array transpose() { return Jnp.transpose(this); }
    /**
     * {@link Jnp#transpose} with a permutation.
     *
     * {@snippet lang=java :
     * Jnp.zeros(2, 3, 4).transpose(1, 0, 2)    // float64[3,2,4]
     * }
     */
    public Array transpose(int... perm) { return Jnp.transpose(this, perm); }
    /**
     * {@link Jnp#astype}.
     *
     * {@snippet lang=java :
     * Array.of(1.7, -1.7).astype(DType.INT32)  // [1, -1]
     * }
     */
    public Array astype(DType dtype) { return Jnp.astype(this, dtype); }
    /**
     * Basic indexing with integers (negative counts from the end); see {@link Index}.
     *
     * {@snippet lang=java :
     * Array m = Jnp.arange(6).reshape(2, 3);
     * m.get(1)                                 // [3, 4, 5]
     * m.get(-1, -1)                            // 5
     * }
     */
    public Array get(int... indices) { return Index.apply(this, Index.ofInts(indices)); }
    /**
     * Basic indexing and slicing; see {@link Index}.
     *
     * {@snippet lang=java :
     * Jnp.arange(6).reshape(2, 3).get(Index.all(), Index.from(1))   // [[1, 2], [4, 5]]
     * }
     */
    public Array get(Index... indices) { return Index.apply(this, indices); }

    /**
     * The dtype and shape, then the values laid out as NumPy's {@code repr} lays them out: one row per line,
     * columns aligned, floats with at most 8 decimals (scientific notation for wide ranges), and above 1000
     * elements only the first and last three items of every axis. A traced value shows its aval only.
     *
     * <pre>{@code
     * Jnp.reshape(Jnp.arange(6), 2, 3)
     * // Array(int32[2,3], [[0, 1, 2],
     * //                    [3, 4, 5]])
     * Jnp.arange(2000)
     * // Array(int32[2000], [   0,    1,    2, ..., 1997, 1998, 1999])
     * }</pre>
     *
     * <p>Trees and models print with {@link Eqx#treePformat}, arrays summarised as {@code f32[4,3]}.
     */
    @Override
    public abstract String toString();
}
