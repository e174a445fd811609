package dev.solstice;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Shapes;
import java.util.Arrays;
import java.util.List;

/**
 * NumPy's interface, as {@code jax.numpy}: binary operations broadcast by NumPy's rules and promote dtypes
 * (float32 with float64 gives float64); a Java {@code double} argument is weakly typed and takes the array's
 * floating dtype (an integer array with a double gives float64). Everything here is written with the
 * primitives of {@link Lax}, so every function is differentiable to any order in every mode.
 *
 * {@snippet lang=java :
 * Array x = Array.of(1.0, 2.0, 3.0);
 * Array y = Jnp.add(Jnp.multiply(x, 2.0), Array.of(1f));
 * y.dtype()                                   // float64
 * Jnp.sum(Jnp.square(x))                      // 14.0
 * }
 */
public final class Jnp {
    private Jnp() {}

    // ---- dtype and shape plumbing ---------------------------------------------------------------------

    /**
     * The value as a scalar array weakly typed against {@code like}: its dtype if floating, else the default float
     * ({@link Solstice#defaultFloat()}; JAX's weak float against an integer array takes its default float too).
     */
    static Array weak(double value, Array like) {
        DType t = like.dtype().isFloating() ? like.dtype() : Solstice.defaultFloat();
        return DenseArray.full(new Aval(t), value);
    }

    /**
     * The integer as a scalar array weakly typed against {@code like}: its dtype (int32 for bool), so that an
     * int32 array stays int32 and a float array keeps its float dtype (JAX's weak integer scalars).
     */
    static Array weakInt(int value, Array like) {
        DType t = like.dtype() == DType.BOOL ? DType.INT32 : like.dtype();
        return DenseArray.full(new Aval(t), value);
    }

    /**
     * Converts to a dtype ({@code x} itself if it has it already), as {@code convert_element_type}: floats round
     * once to nearest even; floats become integers by truncation toward zero, saturated at the type's bounds
     * (NaN gives 0); integers become other integers by keeping their low bits; anything nonzero is true.
     *
     * {@snippet lang=java :
     * Jnp.astype(Array.of(1.5, -2.5), DType.INT32)   // Array(int32[2], [ 1, -2])
     * Jnp.astype(Array.of(300, -1), DType.UINT8)     // Array(uint8[2], [ 44, 255])
     * Jnp.astype(Array.of(300.0, -1.0), DType.UINT8) // Array(uint8[2], [255,   0])
     * Jnp.astype(Array.of(0.1), DType.BFLOAT16)      // Array(bfloat16[1], [0.1])
     * }
     */
    public static Array astype(Array x, DType dtype) {
        return Lax.convert(x, dtype);
    }

    /**
     * NumPy's broadcast shape of several shapes, or an error naming the operation and the shapes.
     *
     * {@snippet lang=java :
     * Arrays.toString(Jnp.broadcastShapes("add", new int[] {2, 1}, new int[] {3}))   // [2, 3]
     * Jnp.broadcastShapes("add", new int[] {2}, new int[] {3})   // throws IllegalArgumentException
     * }
     */
    public static int[] broadcastShapes(String op, int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int a = rank - s.length + i;
                if (s[i] != 1) {
                    if (out[a] != 1 && out[a] != s[i]) {
                        StringBuilder b = new StringBuilder();
                        for (int[] t : shapes) {
                            b.append(b.isEmpty() ? "" : " and ").append(Arrays.toString(t));
                        }
                        throw new IllegalArgumentException(op + ": shapes " + b + " cannot be broadcast together"
                                + " (axis " + a + " has lengths " + out[a] + " and " + s[i] + ")");
                    }
                    out[a] = s[i];
                }
            }
        }
        return out;
    }

    /**
     * Broadcasts to a shape by NumPy's rules.
     *
     * {@snippet lang=java :
     * Jnp.broadcastTo(Array.of(1.0, 2.0, 3.0), 2, 3)   // float64[2,3]
     * }
     */
    public static Array broadcastTo(Array x, int... shape) {
        int[] xs = x.shape();
        if (Arrays.equals(xs, shape)) {
            return x;
        }
        int[] target = broadcastShapes("broadcastTo", xs, shape);
        if (!Arrays.equals(target, shape)) {
            throw new IllegalArgumentException("broadcastTo: cannot broadcast " + x.aval().str() + " to " + Arrays.toString(shape));
        }
        int[] dims = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            dims[i] = shape.length - xs.length + i;
        }
        return Lax.broadcastInDim(x, shape, dims);
    }

    /** The operands promoted to one dtype and broadcast to one shape. */
    private static Array[] align(String op, Array... xs) {
        if (sameAvals(xs)) {
            return xs; // nothing to promote or broadcast
        }
        DType t = xs[0].dtype();
        int[][] shapes = new int[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            t = DType.promote(t, xs[i].dtype());
            shapes[i] = xs[i].shape();
        }
        int[] shape = broadcastShapes(op, shapes);
        Array[] out = new Array[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = broadcastTo(Lax.convert(xs[i], t), shape);
        }
        return out;
    }

    private static boolean sameAvals(Array[] xs) {
        Aval first = xs[0].aval();
        for (int i = 1; i < xs.length; i++) {
            if (!xs[i].aval().equals(first)) {
                return false;
            }
        }
        return true;
    }

    private static Array[] alignFloat(String op, Array... xs) {
        Array[] a = align(op, xs);
        if (!a[0].dtype().isFloating()) {
            for (int i = 0; i < a.length; i++) {
                a[i] = Lax.convert(a[i], Solstice.defaultFloat());
            }
        }
        return a;
    }

    /**
     * Promotes an integer or bool array to the default float ({@link Solstice#defaultFloat()}, float64 unless
     * switched, as JAX's x64 flag decides) for functions that only exist on floats.
     */
    private static Array floating(Array x) {
        return x.dtype().isFloating() ? x : Lax.convert(x, Solstice.defaultFloat());
    }

    // ---- arithmetic ---------------------------------------------------------------------------------------

    /**
     * {@code x + y}, broadcasting.
     *
     * {@snippet lang=java :
     * Jnp.add(Array.of(1.0, 2.0), Array.of(10.0, 20.0))   // Array(float64[2], [11.0, 22.0])
     * }
     */
    public static Array add(Array x, Array y) { Array[] a = align("add", x, y); return Lax.add(a[0], a[1]); }
    /**
     * {@code x + y}, weakly typed {@code y}.
     *
     * {@snippet lang=java :
     * Jnp.add(Array.of(1f, 2f), 0.5)   // Array(float32[2], [1.5, 2.5])
     * }
     */
    public static Array add(Array x, double y) { return add(x, weak(y, x)); }
    /**
     * {@code x - y}, broadcasting.
     *
     * {@snippet lang=java :
     * Jnp.subtract(Array.of(5.0, 7.0), Array.of(1.0, 2.0))   // Array(float64[2], [4.0, 5.0])
     * }
     */
    public static Array subtract(Array x, Array y) { Array[] a = align("subtract", x, y); return Lax.sub(a[0], a[1]); }
    /**
     * {@code x - y}, weakly typed {@code y}.
     *
     * {@snippet lang=java :
     * Jnp.subtract(Array.of(5.0, 7.0), 1.0)   // Array(float64[2], [4.0, 6.0])
     * }
     */
    public static Array subtract(Array x, double y) { return subtract(x, weak(y, x)); }
    /**
     * {@code x - y}, weakly typed {@code x}.
     *
     * {@snippet lang=java :
     * Jnp.subtract(1.0, Array.of(0.25, 2.0))   // Array(float64[2], [ 0.75, -1.0 ])
     * }
     */
    public static Array subtract(double x, Array y) { return subtract(weak(x, y), y); }
    /**
     * {@code x * y}, broadcasting.
     *
     * {@snippet lang=java :
     * Array col = Array.of(new double[] {1, 2}, 2, 1);
     * Jnp.multiply(col, Array.of(1.0, 10.0, 100.0))   // float64[2,3]
     * }
     */
    public static Array multiply(Array x, Array y) { Array[] a = align("multiply", x, y); return Lax.mul(a[0], a[1]); }
    /**
     * {@code x * y}, weakly typed {@code y}.
     *
     * {@snippet lang=java :
     * Jnp.multiply(Array.of(1.5, -2.0), 2.0)   // Array(float64[2], [ 3.0, -4.0])
     * }
     */
    public static Array multiply(Array x, double y) { return multiply(x, weak(y, x)); }

    // weak integer scalars (issue 14): a Java int keeps an int32 array int32, as a Python int does in JAX

    /**
     * {@code x + y} with a weakly typed integer: int32 stays int32, a float array keeps its dtype.
     *
     * {@snippet lang=java :
     * Jnp.add(Array.of(1, 2), 1).dtype()        // int32
     * Jnp.add(Array.of(1, 2), 1.0).dtype()      // float64
     * }
     *
     * @param x an array
     * @param y the integer
     * @return x + y
     */
    public static Array add(Array x, int y) { return add(x, weakInt(y, x)); }

    /**
     * {@code x - y} with a weakly typed integer: int32 stays int32, a float array keeps its dtype.
     *
     * {@snippet lang=java :
     * Jnp.subtract(Array.of(1, 2), 1).dtype()   // int32
     * }
     *
     * @param x an array
     * @param y the integer
     * @return x - y
     */
    public static Array subtract(Array x, int y) { return subtract(x, weakInt(y, x)); }

    /**
     * {@code x - y} with a weakly typed integer {@code x}: int32 stays int32, a float array keeps its dtype.
     *
     * {@snippet lang=java :
     * Jnp.subtract(3, Array.of(1, 2)).dtype()   // int32
     * }
     *
     * @param x the integer
     * @param y an array
     * @return x - y
     */
    public static Array subtract(int x, Array y) { return subtract(weakInt(x, y), y); }

    /**
     * {@code x * y} with a weakly typed integer: int32 stays int32, a float array keeps its dtype.
     *
     * {@snippet lang=java :
     * Jnp.multiply(Array.of(1, 2), 3).dtype()   // int32
     * }
     *
     * @param x an array
     * @param y the integer
     * @return x * y
     */
    public static Array multiply(Array x, int y) { return multiply(x, weakInt(y, x)); }

    /**
     * True division {@code x / y}, broadcasting; integers are promoted to float64 first, as NumPy.
     *
     * {@snippet lang=java :
     * Jnp.divide(Array.of(1, 3), Array.of(2, 2))   // Array(float64[2], [0.5, 1.5])
     * }
     */
    public static Array divide(Array x, Array y) {
        Array[] a = alignFloat("divide", x, y);
        return Lax.div(a[0], a[1]);
    }

    /**
     * {@code x / y}, weakly typed {@code y}.
     *
     * {@snippet lang=java :
     * Jnp.divide(Array.of(1.0, 3.0), 4.0)   // Array(float64[2], [0.25, 0.75])
     * }
     */
    public static Array divide(Array x, double y) { return divide(x, weak(y, x)); }
    /**
     * {@code x / y}, weakly typed {@code x}.
     *
     * {@snippet lang=java :
     * Jnp.divide(1.0, Array.of(2.0, 4.0))   // Array(float64[2], [0.5 , 0.25])
     * }
     */
    public static Array divide(double x, Array y) { return divide(weak(x, y), y); }
    /**
     * {@code -x}.
     *
     * {@snippet lang=java :
     * Jnp.negative(Array.of(1.0, -2.0))   // Array(float64[2], [-1.0,  2.0])
     * }
     */
    public static Array negative(Array x) { return Lax.neg(x); }
    /**
     * {@code x * x}.
     *
     * {@snippet lang=java :
     * Jnp.square(Array.of(-3.0, 0.5))   // Array(float64[2], [9.0 , 0.25])
     * }
     */
    public static Array square(Array x) { return Lax.integerPow(x, 2); }
    /**
     * {@code 1 / x}.
     *
     * {@snippet lang=java :
     * Jnp.reciprocal(Array.of(2.0, -4.0))   // Array(float64[2], [ 0.5 , -0.25])
     * }
     */
    public static Array reciprocal(Array x) { return divide(1.0, x); }

    /**
     * Real power {@code x^y}, broadcasting; computed in floating point. With an integer exponent array, the
     * derivative in {@code x} is 0 where {@code y == 0}, also at {@code x = 0}, as JAX's pow JVP gives for
     * integer exponents (jax#14397); a floating exponent 0.0 at {@code x = 0} keeps JAX's NaN.
     *
     * {@snippet lang=java :
     * Jnp.power(Array.of(2.0, 9.0), Array.of(3.0, 0.5))   // Array(float64[2], [8.0, 3.0])
     * Jnp.power(Array.of(0.0), Array.of(0))   // Array(float64[1], [1.0])
     * }
     */
    public static Array power(Array x, Array y) {
        Array[] a = alignFloat("power", x, y);
        if (y.dtype().isFloating()) {
            return Lax.pow(a[0], a[1]);
        }
        // x^0 = 1 for every x; the inner where keeps 0 * (0 * 0^-1) = NaN out of the reverse-mode derivative
        Array zero = equal(a[1], 0.0);
        return where(zero, 1.0, Lax.pow(where(zero, 1.0, a[0]), a[1]));
    }

    /**
     * Real power with a weakly typed exponent (JAX's {@code pow}).
     *
     * {@snippet lang=java :
     * Jnp.power(Array.of(4.0, 9.0), 0.5)   // Array(float64[2], [2.0, 3.0])
     * }
     */
    public static Array power(Array x, double y) { return power(floating(x), weak(y, floating(x))); }

    /**
     * Integer power {@code x^n} (JAX's {@code integer_pow}, exact derivative at 0).
     *
     * {@snippet lang=java :
     * Jnp.power(Array.of(-2.0, 3.0), 3)   // Array(float64[2], [-8.0, 27.0])
     * }
     */
    public static Array power(Array x, int n) { return Lax.integerPow(x, n); }

    /**
     * Elementwise maximum with the balanced tie rule (0.5 of the derivative to each at a tie).
     *
     * {@snippet lang=java :
     * Jnp.maximum(Array.of(1.0, 5.0), Array.of(3.0, 2.0))   // Array(float64[2], [3.0, 5.0])
     * }
     */
    public static Array maximum(Array x, Array y) { Array[] a = align("maximum", x, y); return Lax.max(a[0], a[1]); }
    /**
     * Elementwise maximum with a weakly typed number.
     *
     * {@snippet lang=java :
     * Jnp.maximum(Array.of(-1.0, 2.0), 0.0)   // Array(float64[2], [0.0, 2.0])
     * }
     */
    public static Array maximum(Array x, double y) { return maximum(x, weak(y, x)); }
    /**
     * Elementwise minimum with the balanced tie rule.
     *
     * {@snippet lang=java :
     * Jnp.minimum(Array.of(1.0, 5.0), Array.of(3.0, 2.0))   // Array(float64[2], [1.0, 2.0])
     * }
     */
    public static Array minimum(Array x, Array y) { Array[] a = align("minimum", x, y); return Lax.min(a[0], a[1]); }
    /**
     * Elementwise minimum with a weakly typed number.
     *
     * {@snippet lang=java :
     * Jnp.minimum(Array.of(-1.0, 2.0), 0.0)   // Array(float64[2], [-1.0,  0.0])
     * }
     */
    public static Array minimum(Array x, double y) { return minimum(x, weak(y, x)); }

    /**
     * {@code minimum(hi, maximum(lo, x))}, as {@code jnp.clip}: half the derivative at either bound.
     *
     * {@snippet lang=java :
     * Jnp.clip(Array.of(-2.0, 0.5, 3.0), Array.scalar(0.0), Array.scalar(1.0))   // Array(float64[3], [0.0, 0.5, 1.0])
     * }
     */
    public static Array clip(Array x, Array lo, Array hi) { return minimum(hi, maximum(lo, x)); }
    /**
     * {@link #clip} with weakly typed bounds.
     *
     * {@snippet lang=java :
     * Jnp.clip(Array.of(-2.0, 0.5, 3.0), 0.0, 1.0)   // Array(float64[3], [0.0, 0.5, 1.0])
     * }
     */
    public static Array clip(Array x, double lo, double hi) { return clip(x, weak(lo, x), weak(hi, x)); }

    // ---- elementwise math -----------------------------------------------------------------------------------

    /**
     * e^x.
     *
     * {@snippet lang=java :
     * Jnp.exp(Array.of(0.0, 1.0))   // Array(float64[2], [1.0       , 2.71828183])
     * }
     */
    public static Array exp(Array x) { return Lax.exp(floating(x)); }
    /**
     * Natural logarithm.
     *
     * {@snippet lang=java :
     * Jnp.log(Array.of(1.0, Math.E))   // Array(float64[2], [0.0, 1.0])
     * }
     */
    public static Array log(Array x) { return Lax.log(floating(x)); }
    /**
     * log(1 + x).
     *
     * {@snippet lang=java :
     * Jnp.log1p(Array.of(0.0, 1e-10))   // Array(float64[2], [0.0e+00, 1.0e-10])
     * }
     */
    public static Array log1p(Array x) { return Lax.log1p(floating(x)); }
    /**
     * e^x - 1.
     *
     * {@snippet lang=java :
     * Jnp.expm1(Array.of(0.0, 1e-10))   // Array(float64[2], [0.0e+00, 1.0e-10])
     * }
     */
    public static Array expm1(Array x) { return Lax.expm1(floating(x)); }
    /**
     * Sine.
     *
     * {@snippet lang=java :
     * Jnp.sin(Array.of(0.0, Math.PI / 2))   // Array(float64[2], [0.0, 1.0])
     * }
     */
    public static Array sin(Array x) { return Lax.sin(floating(x)); }
    /**
     * Cosine.
     *
     * {@snippet lang=java :
     * Jnp.cos(Array.of(0.0, Math.PI))   // Array(float64[2], [ 1.0, -1.0])
     * }
     */
    public static Array cos(Array x) { return Lax.cos(floating(x)); }
    /**
     * Tangent.
     *
     * {@snippet lang=java :
     * Jnp.tan(Array.of(0.0, Math.PI / 4))   // Array(float64[2], [0.0, 1.0])
     * }
     */
    public static Array tan(Array x) { return Lax.tan(floating(x)); }
    /**
     * Hyperbolic tangent.
     *
     * {@snippet lang=java :
     * Jnp.tanh(Array.of(0.0, 100.0))   // Array(float64[2], [0.0, 1.0])
     * }
     */
    public static Array tanh(Array x) { return Lax.tanh(floating(x)); }
    /**
     * Square root.
     *
     * {@snippet lang=java :
     * Jnp.sqrt(Array.of(4.0, 2.0))   // Array(float64[2], [2.0       , 1.41421356])
     * Jnp.sqrt(Array.of(4))   // Array(float64[1], [2.0])
     * }
     */
    public static Array sqrt(Array x) { return Lax.sqrt(floating(x)); }
    /**
     * 1 / sqrt(x).
     *
     * {@snippet lang=java :
     * Jnp.rsqrt(Array.of(4.0, 0.25))   // Array(float64[2], [0.5, 2.0])
     * }
     */
    public static Array rsqrt(Array x) { return Lax.rsqrt(floating(x)); }
    /**
     * Absolute value.
     *
     * {@snippet lang=java :
     * Jnp.abs(Array.of(-1.5, 2.0))   // Array(float64[2], [1.5, 2.0])
     * }
     */
    public static Array abs(Array x) { return Lax.abs(x); }
    /**
     * Sign: -1, 0 or 1.
     *
     * {@snippet lang=java :
     * Jnp.sign(Array.of(-3.0, 0.0, 2.0))   // Array(float64[3], [-1.0,  0.0,  1.0])
     * }
     */
    public static Array sign(Array x) { return Lax.sign(x); }
    /**
     * Floor.
     *
     * {@snippet lang=java :
     * Jnp.floor(Array.of(-1.5, 1.5))   // Array(float64[2], [-2.0,  1.0])
     * }
     */
    public static Array floor(Array x) { return x.dtype().isFloating() ? Lax.floor(x) : x; }
    /**
     * Ceiling.
     *
     * {@snippet lang=java :
     * Jnp.ceil(Array.of(-1.5, 1.5))   // Array(float64[2], [-1.0,  2.0])
     * }
     */
    public static Array ceil(Array x) { return x.dtype().isFloating() ? Lax.ceil(x) : x; }
    /**
     * Rounds half to even.
     *
     * {@snippet lang=java :
     * Jnp.round(Array.of(0.5, 1.5, 2.5, -0.5))   // Array(float64[4], [ 0.0,  2.0,  2.0, -0.0])
     * }
     */
    public static Array round(Array x) { return x.dtype().isFloating() ? Lax.round(x, Lax.RoundingMethod.TO_NEAREST_EVEN) : x; }
    /**
     * The error function.
     *
     * {@snippet lang=java :
     * Jnp.erf(Array.of(0.0, 1.0))   // Array(float64[2], [0.0       , 0.84270079])
     * }
     */
    public static Array erf(Array x) { return Lax.erf(floating(x)); }

    /**
     * True where finite (not NaN or infinite).
     *
     * {@snippet lang=java :
     * Jnp.isfinite(Array.of(1.0, Double.NaN, Double.POSITIVE_INFINITY))   // Array(bool[3], [ true, false, false])
     * }
     */
    public static Array isfinite(Array x) {
        if (!x.dtype().isFloating()) {
            return Lax.fullLike(Lax.convert(x, DType.BOOL), 1);
        }
        return Lax.lt(Lax.abs(x), Lax.fullLike(x, Double.POSITIVE_INFINITY));
    }

    /**
     * True where NaN.
     *
     * {@snippet lang=java :
     * Jnp.isnan(Array.of(1.0, Double.NaN))   // Array(bool[2], [false,  true])
     * }
     */
    public static Array isnan(Array x) {
        return x.dtype().isFloating() ? Lax.ne(x, x) : Lax.fullLike(Lax.convert(x, DType.BOOL), 0);
    }

    // ---- comparisons and logic ---------------------------------------------------------------------------

    /**
     * {@code x == y}.
     *
     * {@snippet lang=java :
     * Jnp.equal(Array.of(1.0, 2.0), Array.of(1.0, 3.0))   // Array(bool[2], [ true, false])
     * }
     */
    public static Array equal(Array x, Array y) { Array[] a = align("equal", x, y); return Lax.eq(a[0], a[1]); }
    /**
     * {@code x != y}.
     *
     * {@snippet lang=java :
     * Jnp.notEqual(Array.of(1.0, 2.0), Array.of(1.0, 3.0))   // Array(bool[2], [false,  true])
     * }
     */
    public static Array notEqual(Array x, Array y) { Array[] a = align("notEqual", x, y); return Lax.ne(a[0], a[1]); }
    /**
     * {@code x < y}.
     *
     * {@snippet lang=java :
     * Jnp.less(Array.of(1.0, 2.0), Array.of(2.0, 2.0))   // Array(bool[2], [ true, false])
     * }
     */
    public static Array less(Array x, Array y) { Array[] a = align("less", x, y); return Lax.lt(a[0], a[1]); }
    /**
     * {@code x <= y}.
     *
     * {@snippet lang=java :
     * Jnp.lessEqual(Array.of(1.0, 2.0), Array.of(2.0, 2.0))   // Array(bool[2], [true, true])
     * }
     */
    public static Array lessEqual(Array x, Array y) { Array[] a = align("lessEqual", x, y); return Lax.le(a[0], a[1]); }
    /**
     * {@code x > y}.
     *
     * {@snippet lang=java :
     * Jnp.greater(Array.of(1.0, 3.0), Array.of(2.0, 2.0))   // Array(bool[2], [false,  true])
     * }
     */
    public static Array greater(Array x, Array y) { Array[] a = align("greater", x, y); return Lax.gt(a[0], a[1]); }
    /**
     * {@code x >= y}.
     *
     * {@snippet lang=java :
     * Jnp.greaterEqual(Array.of(1.0, 2.0), Array.of(2.0, 2.0))   // Array(bool[2], [false,  true])
     * }
     */
    public static Array greaterEqual(Array x, Array y) { Array[] a = align("greaterEqual", x, y); return Lax.ge(a[0], a[1]); }
    /**
     * {@code x > y} with a weakly typed number.
     *
     * {@snippet lang=java :
     * Jnp.greater(Array.of(1.0, 3.0), 2.0)   // Array(bool[2], [false,  true])
     * }
     */
    public static Array greater(Array x, double y) { return greater(x, weak(y, x)); }
    /**
     * {@code x >= y} with a weakly typed number.
     *
     * {@snippet lang=java :
     * Jnp.greaterEqual(Array.of(1.0, 2.0), 2.0)   // Array(bool[2], [false,  true])
     * }
     */
    public static Array greaterEqual(Array x, double y) { return greaterEqual(x, weak(y, x)); }
    /**
     * {@code x < y} with a weakly typed number.
     *
     * {@snippet lang=java :
     * Jnp.less(Array.of(1.0, 3.0), 2.0)   // Array(bool[2], [ true, false])
     * }
     */
    public static Array less(Array x, double y) { return less(x, weak(y, x)); }
    /**
     * {@code x <= y} with a weakly typed number.
     *
     * {@snippet lang=java :
     * Jnp.lessEqual(Array.of(2.0, 3.0), 2.0)   // Array(bool[2], [ true, false])
     * }
     */
    public static Array lessEqual(Array x, double y) { return lessEqual(x, weak(y, x)); }
    /**
     * {@code x == y} with a weakly typed number.
     *
     * {@snippet lang=java :
     * Jnp.equal(Array.of(1.0, 2.0), 2.0)   // Array(bool[2], [false,  true])
     * }
     */
    public static Array equal(Array x, double y) { return equal(x, weak(y, x)); }

    /**
     * Logical and of bool arrays (broadcasting).
     *
     * {@snippet lang=java :
     * Jnp.logicalAnd(Array.of(true, true), Array.of(true, false))   // Array(bool[2], [ true, false])
     * }
     */
    public static Array logicalAnd(Array x, Array y) { Array[] a = align("logicalAnd", bool(x), bool(y)); return Lax.and(a[0], a[1]); }
    /**
     * Logical or of bool arrays (broadcasting).
     *
     * {@snippet lang=java :
     * Jnp.logicalOr(Array.of(false, false), Array.of(true, false))   // Array(bool[2], [ true, false])
     * }
     */
    public static Array logicalOr(Array x, Array y) { Array[] a = align("logicalOr", bool(x), bool(y)); return Lax.or(a[0], a[1]); }
    /**
     * Logical not.
     *
     * {@snippet lang=java :
     * Jnp.logicalNot(Array.of(true, false))   // Array(bool[2], [false,  true])
     * }
     */
    public static Array logicalNot(Array x) { return Lax.not(bool(x)); }

    private static Array bool(Array x) {
        return x.dtype() == DType.BOOL ? x : Lax.ne(x, Lax.zerosLike(x));
    }

    /**
     * {@code condition ? x : y} elementwise, broadcasting all three. Only the chosen branch's derivative
     * flows; the condition is never differentiated.
     *
     * {@snippet lang=java :
     * Array x = Array.of(-1.0, 2.0);
     * Jnp.where(Jnp.greater(x, 0.0), x, Jnp.negative(x))   // Array(float64[2], [1.0, 2.0])
     * }
     */
    public static Array where(Array condition, Array x, Array y) {
        Array c = bool(condition);
        Array[] xy = align("where", x, y);
        int[] shape = broadcastShapes("where", c.shape(), xy[0].shape());
        return Lax.select(broadcastTo(c, shape), broadcastTo(xy[0], shape), broadcastTo(xy[1], shape));
    }

    /**
     * {@link #where} with a weakly typed {@code y}.
     *
     * {@snippet lang=java :
     * Array x = Array.of(-1.0, 2.0);
     * Jnp.where(Jnp.greater(x, 0.0), x, 0.0)   // Array(float64[2], [0.0, 2.0])
     * }
     */
    public static Array where(Array condition, Array x, double y) { return where(condition, x, weak(y, x)); }
    /**
     * {@link #where} with a weakly typed {@code x}.
     *
     * {@snippet lang=java :
     * Array x = Array.of(-1.0, 2.0);
     * Jnp.where(Jnp.greater(x, 0.0), 0.0, x)   // Array(float64[2], [-1.0,  0.0])
     * }
     */
    public static Array where(Array condition, double x, Array y) { return where(condition, weak(x, y), y); }

    // ---- reductions --------------------------------------------------------------------------------------

    private static int[] allAxes(Array x) {
        int[] a = new int[x.ndim()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    private static int[] axesOrAll(Array x, int[] axes) {
        return axes.length == 0 ? allAxes(x) : Shapes.axes("reduction", axes, x.ndim());
    }

    private static Array keep(Array reduced, Array x, int[] axes, boolean keepdims) {
        if (!keepdims) {
            return reduced;
        }
        int[] shape = x.shape();
        for (int a : axes) {
            shape[a] = 1;
        }
        return Lax.reshape(reduced, shape);
    }

    /**
     * Sum of all elements (bools count as int32).
     *
     * {@snippet lang=java :
     * Jnp.sum(Array.of(1.0, 2.0, 3.0))   // 6.0
     * Jnp.sum(Array.of(true, false, true))   // 2
     * }
     */
    public static Array sum(Array x) { return sum(x, allAxes(x), false); }
    /**
     * Sum over the given axes (all if none).
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
     * Jnp.sum(m, 0)   // Array(float64[3], [5.0, 7.0, 9.0])
     * Jnp.sum(m, 1)   // Array(float64[2], [ 6.0, 15.0])
     * }
     */
    public static Array sum(Array x, int... axes) { return sum(x, axes, false); }

    /**
     * Sum over axes (all if empty), optionally keeping them as length-1 axes.
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
     * Jnp.sum(m, new int[] {1}, true)   // float64[2,1]
     * }
     */
    public static Array sum(Array x, int[] axes, boolean keepdims) {
        Array v = countable(x);
        int[] ax = axesOrAll(v, axes);
        return keep(Lax.reduceSum(v, ax), v, ax, keepdims);
    }

    /**
     * Mean of all elements.
     *
     * {@snippet lang=java :
     * Jnp.mean(Array.of(1, 2))   // 1.5
     * }
     */
    public static Array mean(Array x) { return mean(x, allAxes(x), false); }
    /**
     * Mean over the given axes (all if none).
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
     * Jnp.mean(m, 0)   // Array(float64[3], [2.5, 3.5, 4.5])
     * }
     */
    public static Array mean(Array x, int... axes) { return mean(x, axes, false); }

    /**
     * Mean over axes (all if empty), optionally keeping them. Integers give float64.
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
     * Jnp.mean(m, new int[] {0}, true)   // Array(float64[1,3], [[2.5, 3.5, 4.5]])
     * }
     */
    public static Array mean(Array x, int[] axes, boolean keepdims) {
        Array v = floating(x);
        if (isHalf(v.dtype())) { // computed in float32 and rounded once, as JAX does
            return Lax.convert(mean(Lax.convert(v, DType.FLOAT32), axes, keepdims), v.dtype());
        }
        int[] ax = axesOrAll(v, axes);
        int count = 1;
        for (int a : ax) {
            count *= v.aval().dim(a);
        }
        return divide(sum(v, ax, keepdims), (double) count);
    }

    /**
     * Maximum of all elements (ties share the derivative equally).
     *
     * {@snippet lang=java :
     * Jnp.max(Array.of(3.0, 7.0, -1.0))   // 7.0
     * }
     */
    public static Array max(Array x) { return max(x, allAxes(x), false); }
    /**
     * Maximum over the given axes.
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3);
     * Jnp.max(m, 1)   // Array(float64[2], [5.0, 6.0])
     * }
     */
    public static Array max(Array x, int... axes) { return max(x, axes, false); }
    /**
     * Maximum over axes, optionally keeping them.
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3);
     * Jnp.max(m, new int[] {1}, true)   // float64[2,1]
     * }
     */
    public static Array max(Array x, int[] axes, boolean keepdims) {
        int[] ax = axesOrAll(x, axes);
        return keep(Lax.reduceMax(x, ax), x, ax, keepdims);
    }

    /**
     * Minimum of all elements.
     *
     * {@snippet lang=java :
     * Jnp.min(Array.of(3.0, 7.0, -1.0))   // -1.0
     * }
     */
    public static Array min(Array x) { return min(x, allAxes(x), false); }
    /**
     * Minimum over the given axes.
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3);
     * Jnp.min(m, 0)   // Array(float64[3], [1.0, 2.0, 3.0])
     * }
     */
    public static Array min(Array x, int... axes) { return min(x, axes, false); }
    /**
     * Minimum over axes, optionally keeping them.
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3);
     * Jnp.min(m, new int[] {0}, true)   // Array(float64[1,3], [[1.0, 2.0, 3.0]])
     * }
     */
    public static Array min(Array x, int[] axes, boolean keepdims) {
        int[] ax = axesOrAll(x, axes);
        return keep(Lax.reduceMin(x, ax), x, ax, keepdims);
    }

    /**
     * Product of all elements.
     *
     * {@snippet lang=java :
     * Jnp.prod(Array.of(2.0, 3.0, 4.0))   // 24.0
     * }
     */
    public static Array prod(Array x) { return prod(x, allAxes(x), false); }
    /**
     * Product over the given axes.
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
     * Jnp.prod(m, 1)   // Array(float64[2], [  6.0, 120.0])
     * }
     */
    public static Array prod(Array x, int... axes) { return prod(x, axes, false); }

    /**
     * Product over axes, optionally keeping them: the reduced axes are moved last and multiplied pairwise,
     * so derivatives are exact even where elements are zero.
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
     * Jnp.prod(m, new int[] {0}, true)   // Array(float64[1,3], [[ 4.0, 10.0, 18.0]])
     * }
     */
    public static Array prod(Array x, int[] axes, boolean keepdims) {
        Array v = countable(x);
        int[] ax = axesOrAll(v, axes);
        int[] kept = Shapes.complement(ax, v.ndim());
        int[] perm = new int[v.ndim()];
        int k = 0;
        int n = 1;
        int[] keptShape = new int[kept.length];
        for (int a : kept) {
            keptShape[k] = v.aval().dim(a);
            perm[k++] = a;
        }
        for (int a : ax) {
            perm[k++] = a;
            n *= v.aval().dim(a);
        }
        int[] flatShape = Arrays.copyOf(keptShape, kept.length + 1);
        flatShape[kept.length] = n;
        Array r = Lax.reshape(Lax.transpose(v, perm), flatShape);
        int last = kept.length;
        while (n > 1) {
            int half = n / 2;
            Array a = Lax.sliceInDim(r, 0, half, last);
            Array b = Lax.sliceInDim(r, half, 2 * half, last);
            Array pairs = Lax.mul(a, b);
            r = n % 2 == 0 ? pairs : Lax.concatenate(last, pairs, Lax.sliceInDim(r, 2 * half, n, last));
            n = half + n % 2;
        }
        Array out = n == 1 ? Lax.reshape(r, keptShape) : Lax.full(new Aval(v.dtype(), keptShape), 1);
        return keep(out, v, ax, keepdims);
    }

    /**
     * Variance over all elements.
     *
     * {@snippet lang=java :
     * Jnp.var(Array.of(1.0, 2.0, 3.0, 4.0))   // 1.25
     * }
     */
    public static Array var(Array x) { return var(x, allAxes(x), 0, false); }

    /**
     * Variance {@code mean(|x - mean(x)|^2)} over axes with {@code ddof} delta degrees of freedom.
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 2, 3, 4, 6, 8}, 2, 3);
     * Jnp.var(m, new int[] {1}, 1, false)   // Array(float64[2], [1.0, 4.0])
     * }
     */
    public static Array var(Array x, int[] axes, int ddof, boolean keepdims) {
        Array v = floating(x);
        if (isHalf(v.dtype())) { // computed in float32 and rounded once, as JAX does
            return Lax.convert(var(Lax.convert(v, DType.FLOAT32), axes, ddof, keepdims), v.dtype());
        }
        int[] ax = axesOrAll(v, axes);
        int count = 1;
        for (int a : ax) {
            count *= v.aval().dim(a);
        }
        Array centred = subtract(v, mean(v, ax, true));
        return divide(sum(square(centred), ax, keepdims), (double) (count - ddof));
    }

    /**
     * Index of the first maximum of the flattened array (int32).
     *
     * {@snippet lang=java :
     * Jnp.argmax(Array.of(1.0, 7.0, 7.0, 2.0))   // 1
     * }
     */
    public static Array argmax(Array x) { return Lax.argmax(Lax.reshape(x, x.size()), 0); }
    /**
     * Index of the first maximum along an axis (int32).
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3);
     * Jnp.argmax(m, 1)   // Array(int32[2], [1, 2])
     * }
     */
    public static Array argmax(Array x, int axis) { return Lax.argmax(x, axis); }
    /**
     * Index of the first minimum of the flattened array (int32).
     *
     * {@snippet lang=java :
     * Jnp.argmin(Array.of(4.0, -1.0, 2.0))   // 1
     * }
     */
    public static Array argmin(Array x) { return Lax.argmin(Lax.reshape(x, x.size()), 0); }
    /**
     * Index of the first minimum along an axis (int32).
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3);
     * Jnp.argmin(m, 0)   // Array(int32[3], [0, 1, 0])
     * }
     */
    public static Array argmin(Array x, int axis) { return Lax.argmin(x, axis); }

    // ---- linear algebra ---------------------------------------------------------------------------------

    /**
     * NumPy's {@code matmul}: matrix product with batch broadcasting; 1-D operands are vectors.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, 2, 3, 4}, 2, 2);
     * Jnp.matmul(a, Array.of(1.0, 1.0))   // Array(float64[2], [3.0, 7.0])
     * Jnp.matmul(Jnp.ones(5, 2, 3), Jnp.ones(3, 4))   // float64[5,2,4]
     * }
     */
    public static Array matmul(Array x, Array y) {
        if (x.ndim() == 0 || y.ndim() == 0) {
            throw new IllegalArgumentException("matmul: operands must have at least one axis, got "
                    + x.aval().str() + " and " + y.aval().str() + "; use multiply for scalars");
        }
        Array[] p = promoteOnly(x, y);
        Array a = x.ndim() == 1 ? Lax.expandDims(p[0], 0) : p[0];
        Array b = y.ndim() == 1 ? Lax.expandDims(p[1], 1) : p[1];
        int[] as = a.shape();
        int[] bs = b.shape();
        if (as[as.length - 1] != bs[bs.length - 2]) {
            throw new IllegalArgumentException("matmul: shapes " + x.aval().str() + " and " + y.aval().str()
                    + " do not align: " + as[as.length - 1] + " != " + bs[bs.length - 2]);
        }
        int[] batch = broadcastShapes("matmul", Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        int nb = batch.length;
        a = broadcastTo(a, concat(batch, new int[] {as[as.length - 2], as[as.length - 1]}));
        b = broadcastTo(b, concat(batch, new int[] {bs[bs.length - 2], bs[bs.length - 1]}));
        int[] batchAxes = new int[nb];
        for (int i = 0; i < nb; i++) {
            batchAxes[i] = i;
        }
        Array r = Lax.dotGeneral(a, b, new int[] {nb + 1}, new int[] {nb}, batchAxes, batchAxes);
        if (y.ndim() == 1) {
            r = Lax.squeeze(r, r.ndim() - 1);
        }
        if (x.ndim() == 1) {
            r = Lax.squeeze(r, r.ndim() - (y.ndim() == 1 ? 1 : 2));
        }
        return r;
    }

    /**
     * NumPy's {@code dot}: inner product of vectors, matrix product, and contraction of the last axis of {@code x} with the second-to-last of {@code y}.
     *
     * {@snippet lang=java :
     * Jnp.dot(Array.of(1.0, 2.0, 3.0), Array.of(4.0, 5.0, 6.0))   // 32.0
     * }
     */
    public static Array dot(Array x, Array y) {
        if (x.ndim() == 0 || y.ndim() == 0) {
            return multiply(x, y);
        }
        Array[] p = promoteOnly(x, y);
        int yAxis = y.ndim() == 1 ? 0 : y.ndim() - 2;
        if (x.shape()[x.ndim() - 1] != y.shape()[yAxis]) {
            throw new IllegalArgumentException("dot: shapes " + x.aval().str() + " and " + y.aval().str() + " do not align");
        }
        return Lax.dotGeneral(p[0], p[1], new int[] {x.ndim() - 1}, new int[] {yAxis}, new int[0], new int[0]);
    }

    /**
     * Outer product of the flattened operands.
     *
     * {@snippet lang=java :
     * Jnp.outer(Array.of(1.0, 2.0), Array.of(1.0, 10.0, 100.0))   // float64[2,3]
     * }
     */
    public static Array outer(Array x, Array y) {
        Array[] p = promoteOnly(x, y);
        return Lax.dotGeneral(Lax.reshape(p[0], x.size()), Lax.reshape(p[1], y.size()), new int[0], new int[0], new int[0], new int[0]);
    }

    private static Array[] promoteOnly(Array x, Array y) {
        DType t = DType.promote(x.dtype(), y.dtype());
        if (t == DType.BOOL) {
            t = DType.INT32;
        }
        return new Array[] {Lax.convert(x, t), Lax.convert(y, t)};
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    // ---- shapes ------------------------------------------------------------------------------------------

    /**
     * A new shape of the same size; one dimension may be -1 and is inferred.
     *
     * {@snippet lang=java :
     * Jnp.reshape(Jnp.arange(6), 2, -1)   // int32[2,3]
     * Jnp.reshape(Jnp.arange(6), 4, -1)   // throws IllegalArgumentException
     * }
     */
    public static Array reshape(Array x, int... shape) {
        int[] s = shape.clone();
        int infer = -1;
        int known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension can be -1, got " + Arrays.toString(shape));
                }
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + x.aval().str() + " to " + Arrays.toString(shape));
            }
            s[infer] = x.size() / known;
        }
        return Lax.reshape(x, s);
    }

    /**
     * The flattened array.
     *
     * {@snippet lang=java :
     * Jnp.ravel(Array.of(new double[] {1, 2, 3, 4}, 2, 2))   // Array(float64[4], [1.0, 2.0, 3.0, 4.0])
     * }
     */
    public static Array ravel(Array x) { return Lax.reshape(x, x.size()); }

    /**
     * Reverses the axes.
     *
     * {@snippet lang=java :
     * Jnp.transpose(Jnp.zeros(2, 3, 4))   // float64[4,3,2]
     * }
     */
    public static Array transpose(Array x) {
        int[] perm = new int[x.ndim()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = perm.length - 1 - i;
        }
        return Lax.transpose(x, perm);
    }

    /**
     * Permutes the axes (negative axes count from the end).
     *
     * {@snippet lang=java :
     * Jnp.transpose(Jnp.zeros(2, 3, 4), 0, 2, 1)   // float64[2,4,3]
     * }
     */
    public static Array transpose(Array x, int... perm) {
        int[] p = new int[perm.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = perm[i] < 0 ? perm[i] + x.ndim() : perm[i];
        }
        return Lax.transpose(x, p);
    }

    /**
     * Inserts a length-1 axis at {@code axis} (negative counts from the end of the result).
     *
     * {@snippet lang=java :
     * Jnp.expandDims(Array.of(1.0, 2.0), -1)   // float64[2,1]
     * }
     */
    public static Array expandDims(Array x, int axis) { return Lax.expandDims(x, axis); }

    /**
     * Removes every length-1 axis.
     *
     * {@snippet lang=java :
     * Jnp.squeeze(Jnp.zeros(1, 3, 1))   // Array(float64[3], [0.0, 0.0, 0.0])
     * }
     */
    public static Array squeeze(Array x) {
        int[] s = x.shape();
        return Lax.squeeze(x, java.util.stream.IntStream.range(0, s.length).filter(i -> s[i] == 1).toArray());
    }

    /**
     * Removes the given length-1 axes.
     *
     * {@snippet lang=java :
     * Jnp.squeeze(Jnp.zeros(1, 3, 1), 0)   // float64[3,1]
     * }
     */
    public static Array squeeze(Array x, int... axes) { return Lax.squeeze(x, axes); }

    /**
     * Joins arrays along an existing axis, promoting dtypes.
     *
     * {@snippet lang=java :
     * Jnp.concatenate(List.of(Array.of(1.0, 2.0), Array.of(3f)), 0)   // Array(float64[3], [1.0, 2.0, 3.0])
     * }
     */
    public static Array concatenate(List<Array> xs, int axis) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("concatenate: needs at least one array");
        }
        DType t = xs.getFirst().dtype();
        for (Array x : xs) {
            t = DType.promote(t, x.dtype());
        }
        Array[] c = new Array[xs.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = Lax.convert(xs.get(i), t);
        }
        return Lax.concatenate(Shapes.axis("concatenate", axis, c[0].ndim()), c);
    }

    /**
     * Joins arrays of one shape along a new axis.
     *
     * {@snippet lang=java :
     * Jnp.stack(List.of(Array.of(1.0, 2.0), Array.of(3.0, 4.0)), 1)   // float64[2,2]
     * }
     */
    public static Array stack(List<Array> xs, int axis) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("stack: needs at least one array");
        }
        int a = Shapes.axis("stack", axis, xs.getFirst().ndim() + 1);
        for (Array x : xs) {
            if (!Arrays.equals(x.shape(), xs.getFirst().shape())) {
                throw new IllegalArgumentException("stack: arrays must have one shape, got "
                        + xs.getFirst().aval().str() + " and " + x.aval().str());
            }
        }
        return concatenate(xs.stream().map(x -> Lax.expandDims(x, a)).toList(), a);
    }

    // ---- creation ----------------------------------------------------------------------------------------
    // Without a dtype, floating creation uses Solstice.defaultFloat() (float64 unless switched), as JAX's
    // creation functions use its default float dtype.

    /**
     * Zeros of a dtype and shape.
     *
     * {@snippet lang=java :
     * Jnp.zeros(DType.INT32, 3)   // Array(int32[3], [0, 0, 0])
     * }
     */
    public static Array zeros(DType dtype, int... shape) { return DenseArray.full(new Aval(dtype, shape), 0); }
    /**
     * Ones of a dtype and shape.
     *
     * {@snippet lang=java :
     * Jnp.ones(DType.FLOAT32, 2)   // Array(float32[2], [1.0, 1.0])
     * }
     */
    public static Array ones(DType dtype, int... shape) { return DenseArray.full(new Aval(dtype, shape), 1); }
    /**
     * A constant of a dtype and shape.
     *
     * {@snippet lang=java :
     * Jnp.full(DType.FLOAT32, 7, 3)   // Array(float32[3], [7.0, 7.0, 7.0])
     * }
     */
    public static Array full(DType dtype, double value, int... shape) { return DenseArray.full(new Aval(dtype, shape), value); }

    /**
     * Zeros of the {@linkplain Solstice#defaultFloat() default float dtype}: {@code Jnp.zeros(2, 3)} is float64[2,3] by default.
     *
     * {@snippet lang=java :
     * Jnp.zeros(2, 3)   // float64[2,3]
     * }
     */
    public static Array zeros(int... shape) { return zeros(Solstice.defaultFloat(), shape); }
    /**
     * Ones of the {@linkplain Solstice#defaultFloat() default float dtype}: {@code Jnp.ones(4)} is float64[4] by default.
     *
     * {@snippet lang=java :
     * Jnp.ones(4)   // Array(float64[4], [1.0, 1.0, 1.0, 1.0])
     * }
     */
    public static Array ones(int... shape) { return ones(Solstice.defaultFloat(), shape); }
    /**
     * A constant of the {@linkplain Solstice#defaultFloat() default float dtype}, as {@code jnp.full(shape, value)}: {@code Jnp.full(new int[] {2, 2}, 7)}.
     *
     * {@snippet lang=java :
     * Jnp.full(new int[] {2}, 7)   // Array(float64[2], [7.0, 7.0])
     * }
     */
    public static Array full(int[] shape, double value) { return full(Solstice.defaultFloat(), value, shape); }

    /**
     * Zeros shaped like {@code x}.
     *
     * {@snippet lang=java :
     * Jnp.zerosLike(Array.of(1, 2, 3))   // Array(int32[3], [0, 0, 0])
     * }
     */
    public static Array zerosLike(Array x) { return Lax.zerosLike(x); }
    /**
     * Ones shaped like {@code x}.
     *
     * {@snippet lang=java :
     * Jnp.onesLike(Array.of(1f, 2f))   // Array(float32[2], [1.0, 1.0])
     * }
     */
    public static Array onesLike(Array x) { return Lax.fullLike(x, 1); }

    /**
     * {@code 0, 1, ..., n-1} as int32 (an integer {@code arange} stays integer, as in JAX).
     *
     * {@snippet lang=java :
     * Jnp.arange(4)   // Array(int32[4], [0, 1, 2, 3])
     * }
     */
    public static Array arange(int n) {
        return n == 0 ? zeros(DType.INT32, 0) : Lax.iota(DType.INT32, new int[] {n}, 0);
    }

    /**
     * {@code start, start+step, ...} below {@code stop}, in the {@linkplain Solstice#defaultFloat() default float dtype}.
     *
     * {@snippet lang=java :
     * Jnp.arange(0.0, 1.0, 0.25)   // Array(float64[4], [0.0 , 0.25, 0.5 , 0.75])
     * }
     */
    public static Array arange(double start, double stop, double step) {
        return arange(start, stop, step, Solstice.defaultFloat());
    }

    /**
     * {@code start, start+step, ...} below {@code stop}, computed in float64 and rounded once to {@code dtype}.
     *
     * {@snippet lang=java :
     * Jnp.arange(1.0, 2.0, 0.5, DType.FLOAT32)   // Array(float32[2], [1.0, 1.5])
     * }
     */
    public static Array arange(double start, double stop, double step, DType dtype) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must not be 0");
        }
        int n = (int) Math.max(0, Math.ceil((stop - start) / step));
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return Lax.convert(Array.of(v), dtype);
    }

    /**
     * {@code num} evenly spaced values from {@code start} to {@code stop} inclusive, in the {@linkplain Solstice#defaultFloat() default float dtype}.
     *
     * {@snippet lang=java :
     * Jnp.linspace(0.0, 1.0, 5)   // Array(float64[5], [0.0 , 0.25, 0.5 , 0.75, 1.0 ])
     * }
     */
    public static Array linspace(double start, double stop, int num) {
        return linspace(start, stop, num, Solstice.defaultFloat());
    }

    /**
     * {@code num} evenly spaced values from {@code start} to {@code stop} inclusive, computed in float64 and rounded once to {@code dtype}.
     *
     * {@snippet lang=java :
     * Jnp.linspace(-1.0, 1.0, 3, DType.FLOAT32)   // Array(float32[3], [-1.0,  0.0,  1.0])
     * }
     */
    public static Array linspace(double start, double stop, int num, DType dtype) {
        if (num < 0) {
            throw new IllegalArgumentException("linspace: num must be non-negative, got " + num);
        }
        double[] v = new double[num];
        for (int i = 0; i < num; i++) {
            v[i] = num == 1 ? start : start + (stop - start) * i / (num - 1);
        }
        return Lax.convert(Array.of(v), dtype);
    }

    /**
     * The identity matrix in the {@linkplain Solstice#defaultFloat() default float dtype}.
     *
     * {@snippet lang=java :
     * Jnp.eye(3)   // float64[3,3]
     * Jnp.sum(Jnp.eye(3))   // 3.0
     * }
     */
    public static Array eye(int n) { return eye(Solstice.defaultFloat(), n); }

    /**
     * The identity matrix of a dtype.
     *
     * {@snippet lang=java :
     * Jnp.eye(DType.INT32, 2)   // int32[2,2]
     * }
     */
    public static Array eye(DType dtype, int n) {
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        return Lax.convert(Array.of(v, n, n), dtype);
    }

    // ---- sorting, searching and cumulative reductions -----------------------------------------------------

    /**
     * {@code x} sorted along its last axis (stable; -0.0 equals 0.0, NaNs last, as JAX).
     *
     * {@snippet lang=java :
     * Jnp.sort(Array.of(3.0, Double.NaN, -1.0, 2.0))   // Array(float64[4], [-1.0,  2.0,  3.0,  nan])
     * }
     */
    public static Array sort(Array x) { return sort(x, -1); }

    /**
     * {@code x} sorted along {@code axis} (stable; -0.0 equals 0.0, NaNs last, as JAX).
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {3, 1, 2, 0}, 2, 2);
     * Jnp.sort(m, 0)   // float64[2,2]
     * Jnp.ravel(Jnp.sort(m, 0))   // Array(float64[4], [2.0, 0.0, 3.0, 1.0])
     * }
     */
    public static Array sort(Array x, int axis) { return Lax.sort(new Array[] {x}, axis, 1)[0]; }

    /**
     * The int32 positions that sort {@code x} along its last axis (stable: equal elements keep their order).
     *
     * {@snippet lang=java :
     * Jnp.argsort(Array.of(3.0, 1.0, 2.0, 1.0))   // Array(int32[4], [1, 3, 2, 0])
     * }
     */
    public static Array argsort(Array x) { return argsort(x, -1); }

    /**
     * The int32 positions that sort {@code x} along {@code axis} (stable: equal elements keep their order).
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {3, 1, 2, 0}, 2, 2);
     * Jnp.ravel(Jnp.argsort(m, 0))   // Array(int32[4], [1, 1, 0, 0])
     * }
     */
    public static Array argsort(Array x, int axis) {
        if (x.ndim() == 0) {
            throw new IllegalArgumentException("argsort: operand " + x.aval().str() + " is a scalar; need rank at least 1");
        }
        int a = axis < 0 ? axis + x.ndim() : axis;
        Array position = Lax.iota(DType.INT32, x.shape(), Math.max(0, Math.min(a, x.ndim() - 1)));
        return Lax.sort(new Array[] {x, position}, axis, 1)[1];
    }

    /**
     * For each element of {@code values}, the int32 position in the 1-D ascending {@code sorted} where it would be
     * inserted to keep the order (NumPy's and JAX's {@code searchsorted}): with {@code side} "left" the first such
     * position (the number of elements less than it), with "right" the last (the number not greater). Elements
     * compare in sort order (NaN after every number, -0.0 equal to 0.0). Not differentiable (an integer result).
     * A binary search as JAX's default method: {@code ceil(log2(n + 1))} halvings of {@code [low, high)}, each
     * one gather of {@code sorted}, so O(m log n) for m values.
     *
     * {@snippet lang=java :
     * Array edges = Array.of(1.0, 2.0, 2.0, 3.0);
     * Jnp.searchsorted(edges, Array.of(2.0, 2.5), "left")    // Array(int32[2], [1, 3])
     * Jnp.searchsorted(edges, Array.of(2.0, 2.5), "right")   // Array(int32[2], [3, 3])
     * }
     */
    public static Array searchsorted(Array sorted, Array values, String side) {
        boolean left = "left".equals(side);
        if (!left && !"right".equals(side)) {
            throw new IllegalArgumentException("searchsorted: side must be \"left\" or \"right\", got \"" + side + "\"");
        }
        if (sorted.ndim() != 1) {
            throw new IllegalArgumentException("searchsorted: the sorted array " + sorted.aval().str() + " must be 1-D");
        }
        Array[] p = promoteOnly(sorted, values);
        int n = sorted.size();
        Array query = Lax.reshape(p[1], values.size());
        Array low = Jnp.full(DType.INT32, 0, values.size());
        Array high = Jnp.full(DType.INT32, n, values.size());
        Array two = Jnp.full(DType.INT32, 2, values.size());
        Array lastIndex = Jnp.full(DType.INT32, Math.max(n - 1, 0), values.size());
        for (int level = 0; (1L << level) < n + 1L; level++) {          // ceil(log2(n + 1)) levels
            Array mid = Lax.div(Lax.add(low, high), two);
            Array probe = Lax.takeAlongAxis(p[0], Lax.min(mid, lastIndex), 0); // mid = n only once converged
            Array goLeft = left ? Lax.not(sortsBefore(probe, query)) : sortsBefore(query, probe);
            low = Lax.select(goLeft, low, mid);
            high = Lax.select(goLeft, mid, high);
        }
        return Lax.reshape(high, values.shape());
    }

    /**
     * {@code searchsorted(sorted, values, "left")}.
     *
     * {@snippet lang=java :
     * Jnp.searchsorted(Array.of(1.0, 2.0, 3.0), Array.of(0.0, 2.0, 9.0))   // Array(int32[3], [0, 1, 3])
     * }
     */
    public static Array searchsorted(Array sorted, Array values) { return searchsorted(sorted, values, "left"); }

    // ---- integer-array indexing (jnp.take, jnp.take_along_axis) ------------------------------------------------

    /**
     * {@code jnp.take_along_axis} in its default "fill" mode: {@code out[i] = x[i with axis replaced by
     * indices[i]]}. {@code indices} may be of any integer dtype (int8, uint8, int32, uint32, int64), of
     * {@code x}'s rank and of its lengths except along {@code axis}; a negative index counts from the end, and an
     * index still outside the axis gives the fill value: NaN for floats, the most negative value for signed
     * integers, the largest for unsigned ones, true for bool (JAX's). Differentiable in {@code x}.
     *
     * {@snippet lang=java :
     * Array idx = Array.of(new long[] {2, -1, 7}, 3).astype(DType.INT64);
     * Jnp.takeAlongAxis(Array.of(10.0, 20.0, 30.0), idx, 0)   // Array(float64[3], [30.0, 30.0,  nan])
     * }
     *
     * @param x the array
     * @param indices integer indices of {@code x}'s rank
     * @param axis the axis indexed (negative counts from the end)
     * @return an array of {@code indices}' shape and {@code x}'s dtype
     */
    public static Array takeAlongAxis(Array x, Array indices, int axis) {
        if (!indices.dtype().isInteger() || indices.ndim() != x.ndim() || x.ndim() == 0) {
            throw new IllegalArgumentException("takeAlongAxis: needs integer indices of the array's rank, got "
                    + x.aval().str() + " and indices " + indices.aval().str());
        }
        int a = axis < 0 ? axis + x.ndim() : axis;
        if (a < 0 || a >= x.ndim()) {
            throw new IllegalArgumentException("takeAlongAxis: axis " + axis + " is out of range for " + x.aval().str());
        }
        int n = x.shape()[a];
        // wrap and test in int64, exact for every integer dtype; gather with int32 indices, which are then in range
        Array wide = astype(indices, DType.INT64);
        Array zero = zerosLike(wide);
        Array size = full(DType.INT64, n);
        Array wrapped = where(less(wide, zero), add(wide, size), wide);
        Array inRange = logicalAnd(greaterEqual(wrapped, zero), less(wrapped, size));
        if (n == 0) {
            return full(x.dtype(), fillValue(x.dtype()), indices.shape());
        }
        Array safe = astype(where(inRange, wrapped, zero), DType.INT32);
        Array gathered = Lax.takeAlongAxis(x, safe, a);
        return where(inRange, gathered, full(x.dtype(), fillValue(x.dtype())));
    }

    /**
     * {@code jnp.take(x, indices, axis)} in its default "fill" mode: the slices of {@code x} at {@code indices}
     * along {@code axis}, of shape {@code x.shape[:axis] + indices.shape + x.shape[axis+1:]}; indices of any
     * integer dtype and shape, negative ones counting from the end, out-of-range ones giving the fill value of
     * {@link #takeAlongAxis}. Differentiable in {@code x}.
     *
     * {@snippet lang=java :
     * Array table = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
     * Jnp.take(table, Array.of(new long[] {2, 0}, 2).astype(DType.UINT8), 0).get(0)   // Array(float64[2], [5.0, 6.0])
     * }
     *
     * @param x the array
     * @param indices integer indices, any shape
     * @param axis the axis indexed (negative counts from the end)
     * @return the gathered slices
     */
    public static Array take(Array x, Array indices, int axis) {
        if (!indices.dtype().isInteger() || x.ndim() == 0) {
            throw new IllegalArgumentException("take: needs an array of rank at least 1 and integer indices, got "
                    + x.aval().str() + " and indices " + indices.aval().str());
        }
        int a = axis < 0 ? axis + x.ndim() : axis;
        if (a < 0 || a >= x.ndim()) {
            throw new IllegalArgumentException("take: axis " + axis + " is out of range for " + x.aval().str());
        }
        int m = indices.size();
        int[] along = x.shape().clone();
        along[a] = m;
        Array flat = reshape(indices, m);
        Array taken = takeAlongAxis(x, Lax.broadcastInDim(flat, along, new int[] {a}), a);
        int[] out = new int[x.ndim() - 1 + indices.ndim()];
        System.arraycopy(x.shape(), 0, out, 0, a);
        System.arraycopy(indices.shape(), 0, out, a, indices.ndim());
        System.arraycopy(x.shape(), a + 1, out, a + indices.ndim(), x.ndim() - a - 1);
        return reshape(taken, out);
    }

    /** JAX's fill value for out-of-range reads: NaN, the signed minimum, the unsigned maximum, or true. */
    private static double fillValue(DType t) {
        return switch (t) {
            case BOOL -> 1;
            case INT8 -> Byte.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            case UINT8 -> 255;
            case UINT32 -> 4294967295.0;
            default -> Double.NaN;
        };
    }

    /** Whether {@code p} comes strictly before {@code q} in sort order: {@code p < q}, or {@code q} NaN and {@code p} not. */
    private static Array sortsBefore(Array p, Array q) {
        if (!p.dtype().isFloating()) {
            return Lax.lt(p, q);
        }
        return Lax.or(Lax.lt(p, q), Lax.and(Lax.eq(p, p), Lax.ne(q, q)));
    }

    /**
     * Cumulative sum along {@code axis}; bool counts as int32 (as {@code jnp.cumsum}).
     *
     * {@snippet lang=java :
     * Jnp.cumsum(Array.of(1.0, 2.0, 3.0), 0)   // Array(float64[3], [1.0, 3.0, 6.0])
     * }
     */
    public static Array cumsum(Array x, int axis) { return Lax.cumsum(countable(x), axis, false); }

    /**
     * Cumulative product along {@code axis}; bool counts as int32 (as {@code jnp.cumprod}).
     *
     * {@snippet lang=java :
     * Jnp.cumprod(Array.of(1.0, 2.0, 3.0), 0)   // Array(float64[3], [1.0, 2.0, 6.0])
     * }
     */
    public static Array cumprod(Array x, int axis) { return Lax.cumprod(countable(x), axis, false); }

    /**
     * Cumulative maximum along {@code axis} (NaN propagates); numeric dtypes.
     *
     * {@snippet lang=java :
     * Jnp.cummax(Array.of(1.0, 3.0, 2.0, 5.0), 0)   // Array(float64[4], [1.0, 3.0, 3.0, 5.0])
     * }
     */
    public static Array cummax(Array x, int axis) { return Lax.cummax(x, axis, false); }

    /**
     * Cumulative minimum along {@code axis} (NaN propagates); numeric dtypes.
     *
     * {@snippet lang=java :
     * Jnp.cummin(Array.of(4.0, 3.0, 5.0, 1.0), 0)   // Array(float64[4], [4.0, 3.0, 3.0, 1.0])
     * }
     */
    public static Array cummin(Array x, int axis) { return Lax.cummin(x, axis, false); }

    /** float16 or bfloat16: computed in float32 by the reductions that JAX upcasts (mean, var). */
    private static boolean isHalf(DType t) {
        return t == DType.FLOAT16 || t == DType.BFLOAT16;
    }

    /**
     * The operand of a sum, product or running sum/product in JAX's accumulation type: bool and int8 as int32,
     * uint8 as uint32 (JAX promotes integers narrower than its default integer, where NumPy goes to 64 bits).
     */
    private static Array countable(Array x) {
        return switch (x.dtype()) {
            case BOOL, INT8 -> Lax.convert(x, DType.INT32);
            case UINT8 -> Lax.convert(x, DType.UINT32);
            default -> x;
        };
    }

    // ---- trigonometric and hyperbolic functions (issue 14); integers and bools promote to float64 ---------

    /**
     * Hyperbolic sine.
     *
     * {@snippet lang=java :
     * Jnp.sinh(Array.scalar(1.0)).item()     // 1.1752011936438014
     * }
     *
     * @param x an array
     * @return sinh(x)
     */
    public static Array sinh(Array x) { return Lax.sinh(floating(x)); }

    /**
     * Hyperbolic cosine.
     *
     * {@snippet lang=java :
     * Jnp.cosh(Array.scalar(1.0)).item()     // 1.5430806348152437
     * }
     *
     * @param x an array
     * @return cosh(x)
     */
    public static Array cosh(Array x) { return Lax.cosh(floating(x)); }

    /**
     * Inverse hyperbolic sine.
     *
     * {@snippet lang=java :
     * Jnp.asinh(Array.scalar(1.0)).item()    // 0.881373587019543
     * }
     *
     * @param x an array
     * @return asinh(x)
     */
    public static Array asinh(Array x) { return Lax.asinh(floating(x)); }

    /**
     * Inverse hyperbolic cosine, NaN below 1.
     *
     * {@snippet lang=java :
     * Jnp.acosh(Array.scalar(2.0)).item()    // 1.3169578969248168
     * }
     *
     * @param x an array
     * @return acosh(x)
     */
    public static Array acosh(Array x) { return Lax.acosh(floating(x)); }

    /**
     * Inverse hyperbolic tangent, ±inf at ±1 and NaN beyond.
     *
     * {@snippet lang=java :
     * Jnp.atanh(Array.scalar(0.5)).item()    // 0.5493061443340549
     * }
     *
     * @param x an array
     * @return atanh(x)
     */
    public static Array atanh(Array x) { return Lax.atanh(floating(x)); }

    /**
     * Inverse sine, NaN outside [-1, 1].
     *
     * {@snippet lang=java :
     * Jnp.arcsin(Array.scalar(0.5)).item()   // 0.5235987755982989
     * }
     *
     * @param x an array
     * @return asin(x)
     */
    public static Array arcsin(Array x) { return Lax.asin(floating(x)); }

    /**
     * Inverse cosine, NaN outside [-1, 1].
     *
     * {@snippet lang=java :
     * Jnp.arccos(Array.scalar(0.5)).item()   // 1.0471975511965979
     * }
     *
     * @param x an array
     * @return acos(x)
     */
    public static Array arccos(Array x) { return Lax.acos(floating(x)); }

    /**
     * Inverse tangent.
     *
     * {@snippet lang=java :
     * Jnp.arctan(Array.scalar(1.0)).item()   // 0.7853981633974483
     * }
     *
     * @param x an array
     * @return atan(x)
     */
    public static Array arctan(Array x) { return Lax.atan(floating(x)); }

    /**
     * The angle of the point (x2, x1) in [-pi, pi], numerator first as NumPy's; broadcasting and promoting.
     *
     * {@snippet lang=java :
     * Jnp.arctan2(Array.scalar(-1.0), Array.scalar(-1.0)).item()   // -2.356194490192345
     * }
     *
     * @param x1 the numerator (sine side)
     * @param x2 the denominator (cosine side)
     * @return atan2(x1, x2)
     */
    public static Array arctan2(Array x1, Array x2) {
        Array[] a = alignFloat("arctan2", x1, x2);
        return Lax.atan2(a[0], a[1]);
    }

    /**
     * sqrt(x1^2 + x2^2) without overflow or underflow (scaled by the larger magnitude, as JAX), inf where either
     * is infinite; broadcasting and promoting.
     *
     * {@snippet lang=java :
     * Jnp.hypot(Array.scalar(3.0), Array.scalar(-4.0)).item()   // 5.0
     * Jnp.hypot(Array.scalar(3e200), Array.scalar(4e200)).item()   // 5.0E200
     * }
     *
     * @param x1 an array
     * @param x2 an array
     * @return the Euclidean norm of (x1, x2), elementwise
     */
    public static Array hypot(Array x1, Array x2) {
        Array[] a = alignFloat("hypot", x1, x2);
        Array p = Lax.abs(a[0]);
        Array q = Lax.abs(a[1]);
        Array inf = Lax.fullLike(p, Double.POSITIVE_INFINITY);
        Array anyInf = Lax.or(Lax.eq(p, inf), Lax.eq(q, inf));
        Array big = Lax.max(p, q);
        Array small = Lax.min(p, q);
        Array zero = Lax.eq(big, Lax.fullLike(big, 0));
        Array ratio = Lax.div(small, Lax.select(zero, Lax.fullLike(big, 1), big));
        Array norm = Lax.mul(big, Lax.sqrt(Lax.add(Lax.fullLike(big, 1), Lax.mul(ratio, ratio))));
        return Lax.select(anyInf, inf, norm);
    }

    /** The operands broadcast to one shape and promoted to one floating dtype (float64 for integers), for {@link Special}. */
    static Array[] broadcastFloating(String op, Array x, Array y) {
        return alignFloat(op, x, y);
    }
}
