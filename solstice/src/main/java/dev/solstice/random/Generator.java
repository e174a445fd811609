package dev.solstice.random;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Prng;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.EvalInterpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.Threefry;
import java.util.Arrays;

/**
 * JAX's {@code jax.random} on raw Threefry keys in one of the two key-derivation schemes
 * ({@link Prng.Scheme}). {@link Prng} offers every method here statically in the default (partitionable)
 * scheme; {@link Prng#legacy()} gives the legacy one. The schemes differ only in {@link #split} and
 * {@link #bits} (so in every distribution); {@link #key} and {@link #foldIn} are the same in both.
 *
 * <p>Everything is written with array operations (the {@code threefry2x32} primitive and ordinary lax
 * operations), so keys may be tracers: the functions work under {@code Jax.vmap} over a batch of keys and
 * inside other transformations (the draws have no derivative with respect to the key). {@code permutation} and
 * {@code choice} sort and gather concrete arrays directly in Java; when a key, the array or {@code p} is traced
 * they bind the sort, top_k and gather primitives (the same values, O(n log n)).
 *
 * <p>Evaluated eagerly (no transformation active) with a concrete key, {@code split}, {@code foldIn} and the
 * {@code bits} family skip the array operations: the key's words go to {@link Kernels#threefry2x32Counters},
 * which generates the counters itself and writes the words (or, for 32-bit partitionable bits, their xor) in
 * place, the same bits as the primitive. Under a transformation the same methods bind {@code threefry2x32}.
 *
 * <p>Instances are immutable and obtained from {@link Prng}.
 *
 * {@snippet lang=java :
 * import dev.solstice.random.*;
 * Generator gen = Generator.of(Prng.Scheme.PARTITIONABLE);
 * Array[] keys = gen.split(gen.key(0));
 * gen.normal(keys[0], 2, 3)   // float32[2,3]
 * gen.randint(keys[1], new int[] {4}, 0, 10)   // Array(int32[4], [2, 2, 6, 5])
 * }
 */
public final class Generator {

    /** The partitionable scheme (JAX 0.5 and later: {@code jax_threefry_partitionable=True}). */
    public static final Generator PARTITIONABLE = new Generator(Prng.Scheme.PARTITIONABLE);

    /** The legacy scheme (JAX before 0.5, or {@code jax_threefry_partitionable=False}). */
    public static final Generator LEGACY = new Generator(Prng.Scheme.LEGACY);

    private static final double TWO_32 = 4294967296.0;

    private final Prng.Scheme scheme;

    private Generator(Prng.Scheme scheme) {
        this.scheme = scheme;
    }

    /**
     * The generator of a scheme.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator.of(Prng.Scheme.LEGACY) == Generator.LEGACY   // true
     * }
     */
    public static Generator of(Prng.Scheme scheme) {
        return scheme == Prng.Scheme.LEGACY ? LEGACY : PARTITIONABLE;
    }

    /**
     * This generator's scheme.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator.PARTITIONABLE.scheme()   // PARTITIONABLE
     * }
     */
    public Prng.Scheme scheme() {
        return scheme;
    }

    @Override
    public String toString() {
        return "Prng.Generator(" + scheme + ")";
    }

    // ------------------------------------------------------------------ keys

    /**
     * See {@link Prng#key(long)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator.PARTITIONABLE.key(1L << 40)   // Array(int32[2], [256,   0])
     * }
     */
    public Array key(long seed) {
        return Array.of((int) (seed >>> 32), (int) seed);
    }

    /**
     * See {@link Prng#key(int)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator.PARTITIONABLE.key(42)   // Array(int32[2], [ 0, 42])
     * }
     */
    public Array key(int seed) {
        return Array.of(0, seed);
    }

    /**
     * {@code split(key, 2)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * Array[] pair = gen.split(gen.key(0));
     * pair[0].equals(pair[1])   // false
     * pair[1]   // Array(int32[2], [ 928981903, -841280227])
     * }
     */
    public Array[] split(Array key) {
        return split(key, 2);
    }

    /**
     * float32 uniform on [0, 1).
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * Array u = gen.uniform(gen.key(0), 1000);
     * u   // float32[1000]
     * Jnp.min(u).item() >= 0 && Jnp.max(u).item() < 1   // true
     * }
     */
    public Array uniform(Array key, int... shape) {
        return uniform(key, shape, DType.FLOAT32, 0, 1);
    }

    /**
     * float32 standard normal.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * gen.normal(gen.key(0), 3)   // Array(float32[3], [ 1.622642  ,  2.0252647 , -0.43359444])
     * }
     */
    public Array normal(Array key, int... shape) {
        return normal(key, shape, DType.FLOAT32);
    }

    /**
     * See {@link Prng#split(Array, int)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * gen.split(gen.key(0), 3).length   // 3
     * }
     */
    public Array[] split(Array key, int n) {
        Array keys = splitKeys(key, n);
        Array[] out = new Array[n];
        for (int i = 0; i < n; i++) {
            out[i] = Lax.reshape(Lax.slice(keys, new int[] {i, 0}, new int[] {i + 1, 2}, new int[] {1, 1}), 2);
        }
        return out;
    }

    /**
     * See {@link Prng#splitKeys(Array, int)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * gen.splitKeys(gen.key(0), 3)   // int32[3,2]
     * }
     */
    public Array splitKeys(Array key, int n) {
        checkKey("split", key);
        if (n < 0) {
            throw new IllegalArgumentException("Prng.split: the number of keys must be >= 0, got " + n);
        }
        int[] w = eagerWords(key);
        if (w != null) {
            return DenseArray.wrap(new Aval(DType.INT32, n, 2), eagerSplit(w[0], w[1], n));
        }
        if (scheme == Prng.Scheme.LEGACY) {
            return Lax.reshape(threefry2x32Counts(key, iotaInts(2 * n)), n, 2);
        }
        Array[] y = hash(key, zerosInt(n), Lax.iota(DType.INT32, new int[] {n}, 0));
        return Jnp.stack(java.util.List.of(y[0], y[1]), 1);
    }

    /**
     * See {@link Prng#foldIn(Array, int)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * gen.foldIn(gen.key(0), 7)   // Array(int32[2], [-1578141107,   292468403])
     * }
     */
    public Array foldIn(Array key, int data) {
        checkKey("foldIn", key);
        int[] w = eagerWords(key);
        if (w != null) { // threefry2x32Counts of (0, data): one block of counter (0, data)
            long y = Threefry.block(w[0], w[1], 0, data);
            return DenseArray.ofInts(new int[] {(int) (y >>> 32), (int) y}, 2);
        }
        return threefry2x32Counts(key, DenseArray.ofInts(new int[] {0, data}, 2));
    }

    /**
     * See {@link Prng#bits(Array, int...)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * gen.bits(gen.key(0), 2)   // Array(int32[2], [-224768089,  -91998574])
     * }
     */
    public Array bits(Array key, int... shape) {
        checkKey("bits", key);
        int size = checkShape("bits", shape);
        int[] w = eagerWords(key);
        if (w != null) {
            return DenseArray.wrap(new Aval(DType.INT32, shape), eagerBits(w[0], w[1], size));
        }
        if (scheme == Prng.Scheme.LEGACY) {
            return Lax.reshape(threefry2x32Counts(key, iotaInts(size)), shape);
        }
        Array[] y = hash(key, zerosInt(size), Lax.iota(DType.INT32, new int[] {size}, 0));
        return Lax.reshape(Lax.xor(y[0], y[1]), shape);
    }

    /**
     * See {@link Prng#bits(Array, int[], int)}: 8, 16 or 32 random bits per element, as JAX's
     * {@code bits(key, shape, uint8/uint16/uint32)}; 8- and 16-bit values are returned as int32 in
     * {@code [0, 2^width)}. Partitionable: the low bits of the 32-bit draws. Legacy: {@code ceil(width * size / 32)}
     * 32-bit words, each cut into {@code 32 / width} pieces from the least significant end.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * gen.bits(gen.key(0), new int[] {3}, 8)   // Array(int32[3], [167, 146,  40])
     * }
     */
    public Array bits(Array key, int[] shape, int bitWidth) {
        checkKey("bits", key);
        int size = checkShape("bits", shape);
        if (bitWidth == 32) {
            return bits(key, shape);
        }
        if (bitWidth != 8 && bitWidth != 16) {
            throw new IllegalArgumentException("Prng.bits: the bit width must be 8, 16 or 32 (for 64, use bits64), got "
                    + bitWidth);
        }
        int mask = (1 << bitWidth) - 1;
        int[] kw = eagerWords(key);
        if (kw != null) {
            return DenseArray.wrap(new Aval(DType.INT32, shape), eagerNarrowBits(kw[0], kw[1], size, bitWidth));
        }
        if (scheme == Prng.Scheme.PARTITIONABLE) {
            return Lax.and(bits(key, shape), Jnp.full(DType.INT32, mask, shape));
        }
        int per = 32 / bitWidth;
        int words = (int) ((bitWidth * (long) size + 31) / 32);
        int[] grid = {words, per};
        Array w = Lax.broadcastInDim(threefry2x32Counts(key, iotaInts(words)), grid, new int[] {0});
        Array shifts = Lax.mul(Lax.iota(DType.INT32, grid, 1), Jnp.full(DType.INT32, bitWidth, grid));
        Array pieces = Lax.and(Lax.shiftRightLogical(w, shifts), Jnp.full(DType.INT32, mask, grid));
        Array flat = Lax.reshape(pieces, words * per);
        return Lax.reshape(Lax.slice(flat, new int[] {0}, new int[] {size}, new int[] {1}), shape);
    }

    /**
     * 64 random bits per element, as JAX's {@code random_bits(key, 64, shape)}: the high words and the low
     * words, each an int32 array of the shape.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * Array[] hiLo = gen.bits64(gen.key(0), 2);
     * hiLo.length   // 2
     * hiLo[0]   // Array(int32[2], [1797259609,  928981903])
     * }
     */
    public Array[] bits64(Array key, int... shape) {
        checkKey("bits", key);
        int size = checkShape("bits", shape);
        int[] w = eagerWords(key);
        if (w != null) {
            int[][] hiLo = eagerBits64(w[0], w[1], size);
            Aval aval = new Aval(DType.INT32, shape);
            return new Array[] {DenseArray.wrap(aval, hiLo[0]), DenseArray.wrap(aval, hiLo[1])};
        }
        if (scheme == Prng.Scheme.LEGACY) {
            Array all = threefry2x32Counts(key, iotaInts(2 * size));
            Array hi = Lax.slice(all, new int[] {0}, new int[] {size}, new int[] {1});
            Array lo = Lax.slice(all, new int[] {size}, new int[] {2 * size}, new int[] {1});
            return new Array[] {Lax.reshape(hi, shape), Lax.reshape(lo, shape)};
        }
        Array[] y = hash(key, zerosInt(size), Lax.iota(DType.INT32, new int[] {size}, 0));
        return new Array[] {Lax.reshape(y[0], shape), Lax.reshape(y[1], shape)};
    }

    // ------------------------------------------------------------------ distributions

    /**
     * See {@link Prng#uniform(Array, int[], DType, double, double)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * Array u = gen.uniform(gen.key(0), new int[] {1000}, DType.FLOAT64, -2.0, 2.0);
     * u   // float64[1000]
     * Jnp.min(u).item() >= -2 && Jnp.max(u).item() < 2   // true
     * }
     */
    public Array uniform(Array key, int[] shape, DType dtype, double minval, double maxval) {
        checkKey("uniform", key);
        checkFloating("uniform", dtype);
        int size = checkShape("uniform", shape);
        int[] w = eagerWords(key);
        if (w != null && dtype == DType.FLOAT32) {
            return DenseArray.wrap(new Aval(dtype, shape), eagerUniform32(w[0], w[1], size, minval, maxval));
        }
        if (w != null && dtype == DType.FLOAT64) {
            return DenseArray.wrap(new Aval(dtype, shape), eagerUniform64(w[0], w[1], size, minval, maxval));
        }
        Array unit = unitFloats(key, dtype, shape);
        if (dtype == DType.FLOAT32) {
            float lo = (float) minval;
            float hi = (float) maxval;
            float span = hi - lo;
            Array lower = Jnp.full(dtype, lo, shape);
            return Lax.max(lower, Lax.add(Lax.mul(unit, Jnp.full(dtype, span, shape)), lower));
        }
        double span = maxval - minval;
        Array lower = Jnp.full(dtype, minval, shape);
        return Lax.max(lower, Lax.add(Lax.mul(unit, Jnp.full(dtype, span, shape)), lower));
    }

    /**
     * Floats in [0, 1) from the mantissa bits, as JAX: for float32, {@code bitcast((bits >>> 9) | bits(1.0f)) - 1},
     * which is exactly {@code (bits >>> 9) * 2^-23}; for float64 likewise with the 64-bit word
     * {@code (hi, lo) >>> 12} and {@code 2^-52}. Written with the exact products, not a bitcast.
     */
    private Array unitFloats(Array key, DType dtype, int[] shape) {
        if (dtype == DType.FLOAT16 || dtype == DType.BFLOAT16) {
            // JAX's construction for 16-bit floats: 16 random bits per element (this scheme's bits(key, shape,
            // 16)), the top fraction-bits of them as k * 2^-bits, which the type holds exactly
            int fraction = fractionBits(dtype);
            Array mant = Lax.shiftRightLogical(bits(key, shape, 16), Jnp.full(DType.INT32, 16 - fraction, shape));
            return Lax.convert(Lax.mul(Lax.convert(mant, DType.FLOAT32),
                    Jnp.full(DType.FLOAT32, Math.scalb(1f, -fraction), shape)), dtype);
        }
        if (dtype == DType.FLOAT32) {
            Array b = bits(key, shape);
            Array mant = Lax.shiftRightLogical(b, Jnp.full(DType.INT32, 9, shape));
            return Lax.mul(Lax.convert(mant, DType.FLOAT32), Jnp.full(DType.FLOAT32, 0x1p-23, shape));
        }
        Array[] w = bits64(key, shape);
        Array hiTop = Lax.convert(Lax.shiftRightLogical(w[0], Jnp.full(DType.INT32, 12, shape)), DType.FLOAT64);
        Array hiLow = Lax.convert(Lax.and(w[0], Jnp.full(DType.INT32, 0xFFF, shape)), DType.FLOAT64);
        Array loTop = Lax.convert(Lax.shiftRightLogical(w[1], Jnp.full(DType.INT32, 12, shape)), DType.FLOAT64);
        Array mid = Lax.add(Lax.mul(hiLow, Jnp.full(DType.FLOAT64, 0x1p20, shape)), loTop);
        return Lax.add(Lax.mul(hiTop, Jnp.full(DType.FLOAT64, 0x1p-20, shape)),
                Lax.mul(mid, Jnp.full(DType.FLOAT64, 0x1p-52, shape)));
    }

    /**
     * See {@link Prng#normal(Array, int[], DType)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * gen.normal(gen.key(0), new int[] {2, 2}, DType.FLOAT64)   // float64[2,2]
     * }
     */
    public Array normal(Array key, int[] shape, DType dtype) {
        checkKey("normal", key);
        checkFloating("normal", dtype);
        checkShape("normal", shape);
        double lo = switch (dtype) {
            case FLOAT32 -> Math.nextUp(-1f);
            case FLOAT64 -> Math.nextUp(-1.0);
            default -> -1 + Math.scalb(1.0, -fractionBits(dtype) - 1); // the first value above -1
        };
        Array u = uniform(key, shape, dtype, lo, 1);
        return Lax.mul(Jnp.full(dtype, sqrt2(dtype), shape), Lax.erfInv(u));
    }

    /**
     * See {@link Prng#truncatedNormal(Array, double, double, int[], DType)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * Array t = gen.truncatedNormal(gen.key(0), -1.0, 1.0, new int[] {1000}, DType.FLOAT32);
     * Jnp.max(Jnp.abs(t)).item() <= 1   // true
     * }
     */
    public Array truncatedNormal(Array key, double lower, double upper, int[] shape, DType dtype) {
        checkKey("truncatedNormal", key);
        checkFloating("truncatedNormal", dtype);
        checkShape("truncatedNormal", shape);
        if (Double.isNaN(lower) || Double.isNaN(upper)) {
            throw new IllegalArgumentException("Prng.truncatedNormal: bounds must not be NaN, got " + lower + ", " + upper);
        }
        double s2 = sqrt2(dtype);
        double lo = dtype == DType.FLOAT32 ? (float) lower : lower;
        double hi = dtype == DType.FLOAT32 ? (float) upper : upper;
        double a = erfOf(lo / s2, lo, dtype);
        double b = erfOf(hi / s2, hi, dtype);
        Array u = uniform(key, shape, dtype, a, b);
        Array out = Lax.mul(Jnp.full(dtype, s2, shape), Lax.erfInv(u));
        double clipLo = dtype == DType.FLOAT32 ? Math.nextUp((float) lo) : Math.nextUp(lo);
        double clipHi = dtype == DType.FLOAT32 ? Math.nextDown((float) hi) : Math.nextDown(hi);
        return Lax.min(Lax.max(out, Jnp.full(dtype, clipLo, shape)), Jnp.full(dtype, clipHi, shape));
    }

    /** erf of a scalar in the dtype, through the erf primitive (as JAX's {@code lax.erf}); ±1 at infinities. */
    private static double erfOf(double z, double bound, DType dtype) {
        if (Double.isInfinite(bound)) {
            return Math.signum(bound);
        }
        Array zs = dtype == DType.FLOAT32 ? Array.scalar((float) z) : Array.scalar(z);
        return Lax.erf(zs).item();
    }

    /**
     * See {@link Prng#bernoulli(Array, double, int[])}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * gen.bernoulli(gen.key(0), 0.5, new int[] {4})   // Array(bool[4], [false, false,  true,  true])
     * }
     */
    public Array bernoulli(Array key, double p, int[] shape) {
        checkKey("bernoulli", key);
        int size = checkShape("bernoulli", shape);
        int[] w = eagerWords(key);
        if (w != null) { // the comparison below, on the fused uniform draws
            float[] u = eagerUniform32(w[0], w[1], size, 0, 1);
            float q = (float) p;
            boolean[] out = new boolean[size];
            for (int i = 0; i < size; i++) {
                out[i] = u[i] < q;
            }
            return DenseArray.wrap(new Aval(DType.BOOL, shape), out);
        }
        Array u = uniform(key, shape, DType.FLOAT32, 0, 1);
        return Lax.lt(u, Jnp.full(DType.FLOAT32, (float) p, shape));
    }

    /**
     * See {@link Prng#randint(Array, int[], int, int)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * gen.randint(gen.key(0), new int[] {5}, 0, 10)   // Array(int32[5], [9, 0, 2, 3, 1])
     * }
     */
    public Array randint(Array key, int[] shape, int minval, int maxval) {
        checkKey("randint", key);
        checkShape("randint", shape);
        Array[] k = split(key, 2);
        Array higher = bits(k[0], shape);
        Array lower = bits(k[1], shape);
        long span = maxval <= minval ? 1 : ((long) maxval - (long) minval) & 0xFFFFFFFFL;
        long multiplier = (1L << 16) % span;
        multiplier = ((multiplier * multiplier) & 0xFFFFFFFFL) % span; // uint32 product wraps, as in JAX
        Array offset = Lax.add(Lax.mul(urem(higher, span), Jnp.full(DType.INT32, (int) multiplier, shape)),
                urem(lower, span));
        offset = urem(offset, span);
        return Lax.add(Jnp.full(DType.INT32, minval, shape), offset);
    }

    /**
     * {@code x mod span} for uint32 words held in int32, through exact float64 arithmetic (Solstice has no
     * unsigned integer division); the result's words as int32 bit patterns.
     */
    private static Array urem(Array x, long span) {
        int[] shape = x.shape();
        Array xd = Lax.convert(x, DType.FLOAT64);
        Array zero = Jnp.full(DType.FLOAT64, 0, shape);
        Array twoTo32 = Jnp.full(DType.FLOAT64, TWO_32, shape);
        xd = Lax.add(xd, Lax.select(Lax.lt(x, Jnp.full(DType.INT32, 0, shape)), twoTo32, zero));
        Array s = Jnp.full(DType.FLOAT64, span, shape);
        Array r = Lax.sub(xd, Lax.mul(Lax.floor(Lax.div(xd, s)), s));
        r = Lax.add(r, Lax.select(Lax.lt(r, zero), s, zero));
        r = Lax.sub(r, Lax.select(Lax.ge(r, s), s, zero));
        r = Lax.sub(r, Lax.select(Lax.ge(r, Jnp.full(DType.FLOAT64, 2147483648.0, shape)), twoTo32, zero));
        return Lax.convert(r, DType.INT32);
    }

    /**
     * See {@link Prng#gumbel(Array, int[], DType)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * gen.gumbel(gen.key(0), new int[] {3}, DType.FLOAT32)   // Array(float32[3], [ 2.9233725 ,  3.8326175 , -0.09689324])
     * }
     */
    public Array gumbel(Array key, int[] shape, DType dtype) {
        checkKey("gumbel", key);
        checkFloating("gumbel", dtype);
        checkShape("gumbel", shape);
        double tiny = dtype == DType.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        Array u = uniform(key, shape, dtype, tiny, 1);
        return Lax.neg(Lax.log(Lax.neg(Lax.log(u))));
    }

    /**
     * See {@link Prng#exponential(Array, int[], DType)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * Array e = gen.exponential(gen.key(0), new int[] {3}, DType.FLOAT32);
     * e   // Array(float32[3], [2.950128  , 3.8434246 , 0.40390354])
     * Jnp.min(e).item() >= 0   // true
     * }
     */
    public Array exponential(Array key, int[] shape, DType dtype) {
        checkKey("exponential", key);
        checkFloating("exponential", dtype);
        checkShape("exponential", shape);
        Array u = uniform(key, shape, dtype, 0, 1);
        return Lax.neg(Lax.log1p(Lax.neg(u)));
    }

    /**
     * See {@link Prng#categorical(Array, Array, int, int[])}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * Array logits = Jnp.log(Array.of(0.0, 0.0, 1.0));   // class 2 only
     * gen.categorical(gen.key(0), logits, -1, new int[] {4})   // Array(int32[4], [2, 2, 2, 2])
     * }
     */
    public Array categorical(Array key, Array logits, int axis, int[] shape) {
        checkKey("categorical", key);
        if (!logits.dtype().isFloating() || logits.ndim() == 0) {
            throw new IllegalArgumentException("Prng.categorical: logits must be a floating-point array of rank >= 1, got "
                    + logits.aval().str());
        }
        int rank = logits.ndim();
        int ax = axis < 0 ? axis + rank : axis;
        if (ax < 0 || ax >= rank) {
            throw new IllegalArgumentException("Prng.categorical: axis " + axis + " is out of range for logits "
                    + logits.aval().str());
        }
        int[] lshape = logits.shape();
        int[] batch = new int[rank - 1];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i != ax) {
                batch[j++] = lshape[i];
            }
        }
        int[] out = shape == null ? batch : shape;
        checkShape("categorical", out);
        if (out.length < batch.length
                || !Arrays.equals(Arrays.copyOfRange(out, out.length - batch.length, out.length), batch)) {
            throw new IllegalArgumentException("Prng.categorical: shape " + Arrays.toString(out)
                    + " must end with the logits' batch shape " + Arrays.toString(batch));
        }
        int prefix = out.length - batch.length;
        int[] gshape = new int[prefix + rank];
        System.arraycopy(out, 0, gshape, 0, prefix);
        System.arraycopy(lshape, 0, gshape, prefix, rank);
        Array g = gumbel(key, gshape, logits.dtype());
        return Jnp.argmax(Lax.add(g, Jnp.broadcastTo(logits, gshape)), prefix + ax);
    }

    /**
     * See {@link Prng#permutation(Array, int)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * Array p = gen.permutation(gen.key(0), 5);
     * Jnp.sort(p)   // Array(int32[5], [0, 1, 2, 3, 4])
     * }
     */
    public Array permutation(Array key, int n) {
        checkKey("permutation", key);
        if (n < 0) {
            throw new IllegalArgumentException("Prng.permutation: n must be >= 0, got " + n);
        }
        return shuffle(key, Lax.iota(DType.INT32, new int[] {n}, 0));
    }

    /**
     * See {@link Prng#permutation(Array, Array)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * Jnp.sort(gen.permutation(gen.key(0), Array.of(10.0, 20.0, 30.0)))   // Array(float64[3], [10.0, 20.0, 30.0])
     * }
     */
    public Array permutation(Array key, Array x) {
        checkKey("permutation", key);
        if (x.ndim() == 0) {
            throw new IllegalArgumentException("Prng.permutation: x must be at least 1-dimensional (or pass an int),"
                    + " got " + x.aval().str());
        }
        // JAX shuffles a vector directly and gathers the rows of a higher-rank array by shuffled indices; both are
        // the same as moving the rows by the sort (the rounds depend on the number of rows either way)
        return shuffle(key, x);
    }

    /**
     * JAX's {@code _shuffle}: {@code ceil(3 ln n / ln(2^32 - 1))} rounds, each splitting the key, drawing 32-bit
     * sort keys and stably sorting {@code x} by them as unsigned numbers: in Java for concrete arrays, else by the
     * sort primitive carrying the positions (the keys' sign bit flipped, so that signed order is unsigned order)
     * and a gather of the rows.
     */
    private Array shuffle(Array key, Array x) {
        int n = x.shape()[0];
        int rounds = (int) Math.ceil(3 * Math.log(Math.max(1, n)) / Math.log(4294967295.0));
        for (int round = 0; round < rounds; round++) {
            Array[] k = split(key, 2);
            key = k[0];
            Array sortKeys = bits(k[1], n);
            if (sortKeys instanceof DenseArray concreteKeys && x instanceof DenseArray concreteX) {
                x = sortedByUnsigned(concreteKeys.ints(), concreteX);
                continue;
            }
            Array signedOrder = Lax.xor(sortKeys, Jnp.full(DType.INT32, Integer.MIN_VALUE, n));
            Array order = Lax.sort(new Array[] {signedOrder, Lax.iota(DType.INT32, new int[] {n}, 0)}, 0, 1)[1];
            x = take0(x, order);
        }
        return x;
    }

    /** {@code x} (along axis 0) stably sorted by {@code keys} read as uint32: the concrete fast path. */
    private static Array sortedByUnsigned(int[] keys, DenseArray x) {
        int n = keys.length;
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = (Integer.toUnsignedLong(keys[i]) << 31) | i; // key, then position: a stable order
        }
        java.util.Arrays.sort(packed);
        int[] shape = x.shape();
        int row = n == 0 ? 0 : x.size() / n;
        Object src = x.data();
        Object dst = DenseArray.allocate(x.dtype(), x.size());
        for (int r = 0; r < n; r++) {
            int from = (int) (packed[r] & 0x7FFFFFFFL);
            System.arraycopy(src, from * row, dst, r * row, row);
        }
        return DenseArray.wrap(new Aval(x.dtype(), shape), dst);
    }

    /** {@code x[ind]} along axis 0: rows copied when both are concrete, otherwise a gather. */
    private static Array take0(Array x, Array ind) {
        int m = ind.shape()[0];
        int[] xs = x.shape();
        int n = xs[0];
        if (x instanceof DenseArray dx && ind instanceof DenseArray di) {
            int row = n == 0 ? 0 : dx.size() / n;
            Object dst = DenseArray.allocate(dx.dtype(), m * row);
            int[] idx = di.ints();
            for (int r = 0; r < m; r++) {
                System.arraycopy(dx.data(), idx[r] * row, dst, r * row, row);
            }
            return DenseArray.wrap(new Aval(dx.dtype(), shapeWithFirst(xs, m)), dst);
        }
        return Jnp.take(x, ind, 0);
    }

    private static int[] shapeWithFirst(int[] shape, int first) {
        int[] s = shape.clone();
        s[0] = first;
        return s;
    }

    /**
     * See {@link Prng#choice(Array, int, int[], boolean, Array)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * gen.choice(gen.key(0), 3, new int[] {4}, true, Array.of(0.0, 1.0, 0.0))   // Array(int32[4], [1, 1, 1, 1])
     * }
     */
    public Array choice(Array key, int n, int[] shape, boolean replace, Array p) {
        checkKey("choice", key);
        int draws = checkShape("choice", shape);
        if (draws == 0) {
            return Jnp.zeros(DType.INT32, shape);
        }
        if (n <= 0) {
            throw new IllegalArgumentException("Prng.choice: n must be > 0 unless no samples are taken, got " + n);
        }
        if (!replace && draws > n) {
            throw new IllegalArgumentException("Prng.choice: cannot take a larger sample (" + draws
                    + ") than the population (" + n + ") without replacement");
        }
        if (p == null) {
            if (replace) {
                return randint(key, shape, 0, n);
            }
            Array perm = permutation(key, n);
            return Lax.reshape(Lax.slice(perm, new int[] {0}, new int[] {draws}, new int[] {1}), shape);
        }
        if (!p.dtype().isFloating() || !Arrays.equals(p.shape(), new int[] {n})) {
            throw new IllegalArgumentException("Prng.choice: p must be a floating-point vector of length " + n
                    + ", got " + p.aval().str());
        }
        DType dtype = p.dtype();
        if (replace) {
            Array cum = cumsum(p);
            Array total = Lax.reshape(Lax.slice(cum, new int[] {n - 1}, new int[] {n}, new int[] {1}));
            Array u = uniform(key, shape, dtype, 0, 1);
            Array r = Lax.mul(Lax.broadcastInDim(total, shape, new int[0]), Lax.sub(Jnp.full(dtype, 1, shape), u));
            if (cum instanceof DenseArray c && r instanceof DenseArray rr) {
                // jnp.searchsorted(cum, r, side='left'): the number of entries of cum below r
                double[] cv = c.toDoubleArray();
                double[] rv = rr.toDoubleArray();
                int[] out = new int[rv.length];
                for (int i = 0; i < rv.length; i++) {
                    int lo = 0;
                    int hi = n;
                    while (lo < hi) {
                        int mid = (lo + hi) >>> 1;
                        if (cv[mid] < rv[i]) {
                            lo = mid + 1;
                        } else {
                            hi = mid;
                        }
                    }
                    out[i] = lo;
                }
                return DenseArray.ofInts(out, shape);
            }
            int[] big = new int[shape.length + 1];
            System.arraycopy(shape, 0, big, 0, shape.length);
            big[shape.length] = n;
            int[] rdims = new int[shape.length];
            for (int i = 0; i < rdims.length; i++) {
                rdims[i] = i;
            }
            Array below = Lax.lt(Lax.broadcastInDim(cum, big, new int[] {shape.length}), Lax.broadcastInDim(r, big, rdims));
            return Lax.reduceSum(Lax.convert(below, DType.INT32), shape.length);
        }
        // the draws largest Gumbel-perturbed log-probabilities, ties by position (top_k's order)
        Array g = Lax.add(gumbel(key, new int[] {n}, dtype), Lax.log(p));
        return Lax.reshape(Lax.topK(g, draws).indices(), shape);
    }

    /**
     * Running sums of a vector, summed in order in its dtype (as XLA's reduce-window cumsum on CPU): a loop
     * for a concrete vector, a masked sum (O(n^2)) for a traced one.
     */
    private static Array cumsum(Array p) {
        int n = p.shape()[0];
        if (p instanceof DenseArray dp) {
            if (dp.dtype() == DType.FLOAT32) {
                float[] v = dp.floats();
                float[] out = new float[n];
                float acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += v[i];
                    out[i] = acc;
                }
                return DenseArray.ofFloats(out, n);
            }
            double[] v = dp.doubles();
            double[] out = new double[n];
            double acc = 0;
            for (int i = 0; i < n; i++) {
                acc += v[i];
                out[i] = acc;
            }
            return DenseArray.ofDoubles(out, n);
        }
        int[] nn = {n, n};
        Array lowerTri = Lax.le(Lax.iota(DType.INT32, nn, 1), Lax.iota(DType.INT32, nn, 0)); // j <= i
        return Lax.reduceSum(Lax.select(lowerTri, Lax.broadcastInDim(p, nn, new int[] {1}), Jnp.full(p.dtype(), 0, nn)), 1);
    }

    /**
     * See {@link Prng#choice(Array, Array, int[], boolean, Array)}.
     *
     * {@snippet lang=java :
     * import dev.solstice.random.*;
     * Generator gen = Generator.PARTITIONABLE;
     * Array picked = gen.choice(gen.key(0), Array.of(10.0, 20.0, 30.0), new int[] {3}, false, null);
     * Jnp.sort(picked)   // Array(float64[3], [10.0, 20.0, 30.0])
     * }
     */
    public Array choice(Array key, Array a, int[] shape, boolean replace, Array p) {
        if (a.ndim() == 0) {
            throw new IllegalArgumentException("Prng.choice: a must be at least 1-dimensional (or pass an int), got "
                    + a.aval().str());
        }
        Array ind = choice(key, a.shape()[0], shape, replace, p);
        int size = ind.size();
        Array picked = take0(a, Lax.reshape(ind, size));
        int[] rest = Arrays.copyOfRange(a.shape(), 1, a.ndim());
        int[] out = new int[shape.length + rest.length];
        System.arraycopy(shape, 0, out, 0, shape.length);
        System.arraycopy(rest, 0, out, shape.length, rest.length);
        return Lax.reshape(picked, out);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The key's two words when the eager fast paths apply (no transformation is active and the key is
     * concrete), else null; callers must not modify them.
     */
    private static int[] eagerWords(Array key) {
        return key instanceof DenseArray d && Interpreters.current() == EvalInterpreter.INSTANCE ? d.ints() : null;
    }

    /** {@link #splitKeys} of a concrete key: {@code n} keys, row-major [n, 2]. */
    private int[] eagerSplit(int k0, int k1, int n) {
        if (scheme == Prng.Scheme.LEGACY) {
            return legacyCounts(k0, k1, 2 * n);
        }
        int[] y0 = new int[n];
        int[] y1 = new int[n];
        Kernels.get().threefry2x32Counters(k0, k1, 0, 0, 0, 1, y0, 0, y1, 0, n);
        int[] out = new int[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = y0[i];
            out[2 * i + 1] = y1[i];
        }
        return out;
    }

    /** {@link #bits(Array, int...)} of a concrete key, flat. */
    private int[] eagerBits(int k0, int k1, int size) {
        if (scheme == Prng.Scheme.LEGACY) {
            return legacyCounts(k0, k1, size);
        }
        int[] out = new int[size];
        Kernels.get().threefry2x32Counters(k0, k1, 0, 0, 0, 1, out, 0, null, 0, size); // y0 ^ y1 of (0, i)
        return out;
    }

    /** {@link #bits64} of a concrete key, flat: the high words and the low words. */
    private int[][] eagerBits64(int k0, int k1, int size) {
        int[] hi = new int[size];
        int[] lo = new int[size];
        if (scheme == Prng.Scheme.LEGACY) { // threefry2x32Counts of 0 .. 2 size - 1: (i, size + i)
            Kernels.get().threefry2x32Counters(k0, k1, 0, 1, size, 1, hi, 0, lo, 0, size);
        } else {
            Kernels.get().threefry2x32Counters(k0, k1, 0, 0, 0, 1, hi, 0, lo, 0, size);
        }
        return new int[][] {hi, lo};
    }

    /**
     * {@link #uniform} float32 of a concrete key in one pass over the bits: the operations of the array path
     * ({@link #unitFloats}, then scale, shift and clamp), each exact or rounded once in float as the float32
     * kernels do, so the same values.
     */
    private float[] eagerUniform32(int k0, int k1, int size, double minval, double maxval) {
        int[] bits = eagerBits(k0, k1, size);
        float lo = (float) minval;
        float span = (float) maxval - lo;
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            float unit = (bits[i] >>> 9) * 0x1p-23f;
            out[i] = Math.max(lo, unit * span + lo);
        }
        return out;
    }

    /** {@link #uniform} float64 of a concrete key in one pass over the 64-bit words, as {@link #eagerUniform32}. */
    private double[] eagerUniform64(int k0, int k1, int size, double minval, double maxval) {
        int[][] w = eagerBits64(k0, k1, size);
        double span = maxval - minval;
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            int hi = w[0][i];
            double mid = (hi & 0xFFF) * 0x1p20 + (w[1][i] >>> 12);
            double unit = (hi >>> 12) * 0x1p-20 + mid * 0x1p-52;
            out[i] = Math.max(minval, unit * span + minval);
        }
        return out;
    }

    /** {@link #bits(Array, int[], int)} of a concrete key for 8 or 16 bits, flat. */
    private int[] eagerNarrowBits(int k0, int k1, int size, int bitWidth) {
        int mask = (1 << bitWidth) - 1;
        if (scheme == Prng.Scheme.PARTITIONABLE) {
            int[] out = eagerBits(k0, k1, size);
            for (int i = 0; i < size; i++) {
                out[i] &= mask;
            }
            return out;
        }
        int per = 32 / bitWidth;
        int[] words = legacyCounts(k0, k1, (int) ((bitWidth * (long) size + 31) / 32));
        int[] out = new int[size];
        for (int i = 0; i < size; i++) { // piece p of a word: its bits from p * width, least significant first
            out[i] = (words[i / per] >>> (i % per * bitWidth)) & mask;
        }
        return out;
    }

    /**
     * {@link #threefry2x32Counts} of the counts {@code 0 .. m - 1} under a concrete key: with
     * {@code half = ceil(m / 2)}, element {@code i < m / 2} hashes {@code (i, half + i)} into {@code out[i]} and
     * {@code out[half + i]}; for odd {@code m} the last block hashes {@code (half - 1, 0)} (the zero padding),
     * its second word dropped.
     */
    private static int[] legacyCounts(int k0, int k1, int m) {
        int half = (m + 1) / 2;
        int[] out = new int[m];
        Kernels.get().threefry2x32Counters(k0, k1, 0, 1, half, 1, out, 0, out, half, m / 2);
        if (m % 2 == 1) {
            out[half - 1] = (int) (Threefry.block(k0, k1, half - 1, 0) >>> 32);
        }
        return out;
    }

    /** Threefry on every element of {@code x0, x1} (one shape) under the key's two words. */
    private static Array[] hash(Array key, Array x0, Array x1) {
        int[] shape = x0.shape();
        Array k0 = Lax.broadcastInDim(word(key, 0), shape, new int[0]);
        Array k1 = Lax.broadcastInDim(word(key, 1), shape, new int[0]);
        return Lax.threefry2x32(k0, k1, x0, x1);
    }

    /** Word {@code i} of a key, as an int32 scalar. */
    private static Array word(Array key, int i) {
        return Lax.reshape(Lax.slice(key, new int[] {i}, new int[] {i + 1}, new int[] {1}));
    }

    /**
     * JAX's {@code threefry_2x32(key, count)} for a flat vector of counts: pads an odd length with a zero,
     * hashes the first half against the second half, concatenates {@code [y0s, y1s]} and drops the padding.
     */
    private static Array threefry2x32Counts(Array key, Array counts) {
        int n = counts.shape()[0];
        int half = (n + 1) / 2;
        Array padded = n % 2 == 1 ? Lax.concatenate(0, counts, DenseArray.ofInts(new int[] {0}, 1)) : counts;
        Array x0 = Lax.slice(padded, new int[] {0}, new int[] {half}, new int[] {1});
        Array x1 = Lax.slice(padded, new int[] {half}, new int[] {2 * half}, new int[] {1});
        Array[] y = hash(key, x0, x1);
        Array out = Lax.concatenate(0, y[0], y[1]);
        return n % 2 == 1 ? Lax.slice(out, new int[] {0}, new int[] {n}, new int[] {1}) : out;
    }

    private static Array iotaInts(int n) {
        return Lax.iota(DType.INT32, new int[] {n}, 0);
    }

    private static Array zerosInt(int n) {
        return Jnp.zeros(DType.INT32, n);
    }

    /** The explicit fraction bits of float16 (10) and bfloat16 (7). */
    private static int fractionBits(DType dtype) {
        return dtype == DType.FLOAT16 ? 10 : 7;
    }

    private static double sqrt2(DType dtype) {
        return dtype == DType.FLOAT32 ? (float) Math.sqrt(2) : Math.sqrt(2);
    }

    /** A raw key: an int32 array of shape [2]. */
    static void checkKey(String op, Array key) {
        if (key == null) {
            throw new IllegalArgumentException("Prng." + op + ": key is null; make one with Prng.key(seed)");
        }
        Aval a = key.aval();
        if (a.dtype() != DType.INT32 || a.rank() != 1 || a.dim(0) != 2) {
            throw new IllegalArgumentException("Prng." + op + ": a key must be an int32 array of shape [2] (two uint32"
                    + " words, as from Prng.key or Prng.split), got " + a.str()
                    + (a.dtype() == DType.INT32 && a.rank() > 1 && a.dim(a.rank() - 1) == 2
                            ? "; for a batch of keys, use Jax.vmap" : ""));
        }
    }

    /** Checks a shape and returns its size. */
    static int checkShape(String op, int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Prng." + op + ": shape " + Arrays.toString(shape)
                        + " has a negative dimension");
            }
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Prng." + op + ": shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return (int) size;
    }

    private static void checkFloating(String op, DType dtype) {
        if (dtype == null || !dtype.isFloating()) {
            throw new IllegalArgumentException("Prng." + op + ": dtype must be a floating-point type (float64, float32,"
                    + " float16 or bfloat16), got " + dtype);
        }
    }
}
