package dev.solstice;

import dev.solstice.random.Generator;

/**
 * Random numbers as {@code jax.random}, bit for bit: Threefry-2x32 keys, {@code split}, {@code foldIn},
 * {@code bits} and distributions built from the bits the way JAX builds them.
 *
 * <h2>Keys</h2>
 * A key is an ordinary {@link Array}, so it passes through trees, {@link Jax#vmap} and every other
 * transformation: a raw key (JAX's {@code PRNGKey}, or {@code jax.random.key_data} of a typed key) is an
 * <b>int32 array of shape {@code [2]} holding the two uint32 words as bit patterns</b> (Solstice has no
 * unsigned type; the word {@code 4294967295} is stored as {@code -1}). {@link #keyData} reads the words back as
 * unsigned values and {@link #wrapKeyData} builds a key from them. A batch of keys ({@link #splitKeys}) has
 * shape {@code [n, 2]}; use {@link Jax#vmap} to apply a function to each key of a batch.
 *
 * <pre>{@code
 * Array key = Prng.key(0);
 * Array[] k = Prng.split(key, 3);
 * Array x = Prng.normal(k[0], 4, 5);                                  // float32[4,5]
 * Array u = Jax.vmap((Array kk) -> Prng.uniform(kk, 3)).apply(Prng.splitKeys(key, 8));   // float32[8,3]
 * }</pre>
 *
 * <h2>Schemes</h2>
 * The static methods here use JAX's default since 0.5, the <b>partitionable</b> scheme
 * ({@code jax_threefry_partitionable=True}): {@code split(k, n)[i] = threefry(k, (0, i))} and
 * {@code bits(k)[i] = y0 ^ y1} of {@code threefry(k, (0, i))}. {@link #legacy()} gives a {@link Generator} with the
 * same methods in the <b>legacy</b> scheme (JAX before 0.5): {@code split} and {@code bits} hash the counters
 * {@code 0 .. m-1} split into halves. {@link #key} and {@link #foldIn} are the same in both.
 *
 * <h2>Distributions</h2>
 * float32 unless a dtype is given. {@code uniform} sets the mantissa from the top bits (exactly JAX's values);
 * {@code normal} is {@code sqrt(2) erf_inv(uniform(nextafter(-1, 0), 1))}; the others follow
 * {@code jax/_src/random.py} (see each method). Values that go through {@code erf_inv}, {@code log} or
 * {@code erf} can differ from JAX's in the last bit or so, because XLA's implementations of those functions
 * are its own; bits, keys, uniform, bernoulli, randint, permutation and choice are exact.
 *
 * <p>Bad input (a key that is not int32[2], a negative size, a non-floating dtype, ...) raises an
 * {@link IllegalArgumentException} naming the operation, for example {@code Prng.split: ...}.
 */
public final class Prng {
    private Prng() {}

    /** The key-derivation scheme: how {@code split} and {@code bits} derive counters. */
    public enum Scheme {
        /** JAX's default since 0.5 ({@code jax_threefry_partitionable=True}). */
        PARTITIONABLE,
        /** JAX's scheme before 0.5 ({@code jax_threefry_partitionable=False}). */
        LEGACY
    }

    private static final Generator DEFAULT = Generator.PARTITIONABLE;

    /** The generator of the legacy scheme: the same methods as here, as before JAX 0.5. */
    public static Generator legacy() {
        return Generator.LEGACY;
    }

    /** The generator of the partitionable scheme, the one the static methods use. */
    public static Generator partitionable() {
        return Generator.PARTITIONABLE;
    }

    /** The generator of a scheme. */
    public static Generator generator(Scheme scheme) {
        return Generator.of(scheme);
    }

    // ------------------------------------------------------------------ keys

    /**
     * A key from a 64-bit seed, as JAX with 64-bit integers enabled: {@code [seed >>> 32, seed & 0xFFFFFFFF]}
     * (the high word shifted logically, so {@code key(-1L)} is {@code [4294967295, 4294967295]}).
     */
    public static Array key(long seed) {
        return DEFAULT.key(seed);
    }

    /**
     * A key from a 32-bit seed, as JAX by default (int32 seeds): {@code [0, seed]}, the seed's bits as the low
     * word, so {@code key(-1)} is {@code [0, 4294967295]}. Equal to {@link #key(long)} for seeds >= 0.
     */
    public static Array key(int seed) {
        return DEFAULT.key(seed);
    }

    /**
     * The words of a key (or of any int32 array of keys, row-major) as unsigned values in
     * {@code [0, 2^32)}; the key must be concrete.
     */
    public static long[] keyData(Array key) {
        if (key == null || key.dtype() != DType.INT32 || key.ndim() == 0 || key.shape()[key.ndim() - 1] != 2) {
            throw new IllegalArgumentException("Prng.keyData: keys must be an int32 array whose last axis has length 2,"
                    + " got " + (key == null ? "null" : key.aval().str()));
        }
        int[] w = key.toIntArray();
        long[] out = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = Integer.toUnsignedLong(w[i]);
        }
        return out;
    }

    /** A key from its two words (each in {@code [0, 2^32)}, or an int32 bit pattern), as JAX's {@code wrap_key_data}. */
    public static Array wrapKeyData(long word0, long word1) {
        for (long w : new long[] {word0, word1}) {
            if (w < Integer.MIN_VALUE || w > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("Prng.wrapKeyData: a word must be a uint32 in [0, 4294967295] (or an"
                        + " int32 bit pattern), got " + w);
            }
        }
        return Array.of((int) word0, (int) word1);
    }

    /** Two new keys from one: {@code split(key, 2)}. */
    public static Array[] split(Array key) {
        return DEFAULT.split(key, 2);
    }

    /** {@code n} new keys from one, each an int32[2] key ({@code jax.random.split(key, n)}, unstacked). */
    public static Array[] split(Array key, int n) {
        return DEFAULT.split(key, n);
    }

    /** {@code n} new keys from one, stacked as an int32[n, 2] array: {@code jax.random.split(key, n)}. */
    public static Array splitKeys(Array key, int n) {
        return DEFAULT.splitKeys(key, n);
    }

    /** A key derived from a key and an integer ({@code jax.random.fold_in}): {@code threefry(key, (0, data))}. */
    public static Array foldIn(Array key, int data) {
        return DEFAULT.foldIn(key, data);
    }

    /** Uniformly random uint32 words, as int32 bit patterns ({@code jax.random.bits(key, shape, uint32)}). */
    public static Array bits(Array key, int... shape) {
        return DEFAULT.bits(key, shape);
    }

    /**
     * Random bits of width 8, 16 or 32 per element ({@code jax.random.bits(key, shape, uint8/uint16/uint32)}):
     * 8- and 16-bit values come as int32 in {@code [0, 2^width)}, 32-bit ones as int32 bit patterns. For 64
     * bits see {@link Generator#bits64}.
     */
    public static Array bits(Array key, int[] shape, int bitWidth) {
        return DEFAULT.bits(key, shape, bitWidth);
    }

    // ------------------------------------------------------------------ distributions

    /** float32 uniform on {@code [0, 1)}. */
    public static Array uniform(Array key, int... shape) {
        return DEFAULT.uniform(key, shape, DType.FLOAT32, 0, 1);
    }

    /**
     * Uniform on {@code [minval, maxval)} ({@code jax.random.uniform}): mantissa bits under exponent 0 give
     * {@code f} in {@code [1, 2)}; the result is {@code max(minval, (f - 1) * (maxval - minval) + minval)} in the
     * dtype. float64 takes 64 bits per element.
     */
    public static Array uniform(Array key, int[] shape, DType dtype, double minval, double maxval) {
        return DEFAULT.uniform(key, shape, dtype, minval, maxval);
    }

    /** float32 standard normal. */
    public static Array normal(Array key, int... shape) {
        return DEFAULT.normal(key, shape, DType.FLOAT32);
    }

    /** Standard normal ({@code jax.random.normal}): {@code sqrt(2) erf_inv(uniform(nextafter(-1, 0), 1))}. */
    public static Array normal(Array key, int[] shape, DType dtype) {
        return DEFAULT.normal(key, shape, dtype);
    }

    /** float32 standard normal truncated to {@code (lower, upper)}. */
    public static Array truncatedNormal(Array key, double lower, double upper, int... shape) {
        return DEFAULT.truncatedNormal(key, lower, upper, shape, DType.FLOAT32);
    }

    /**
     * Standard normal truncated to {@code (lower, upper)} ({@code jax.random.truncated_normal}):
     * {@code sqrt(2) erf_inv(uniform(erf(lower/sqrt2), erf(upper/sqrt2)))}, clipped to the open interval.
     */
    public static Array truncatedNormal(Array key, double lower, double upper, int[] shape, DType dtype) {
        return DEFAULT.truncatedNormal(key, lower, upper, shape, dtype);
    }

    /** Fair coins (bool). */
    public static Array bernoulli(Array key, int... shape) {
        return DEFAULT.bernoulli(key, 0.5, shape);
    }

    /** Bool with probability {@code p} of true ({@code jax.random.bernoulli}): {@code uniform(float32) < p}. */
    public static Array bernoulli(Array key, double p, int[] shape) {
        return DEFAULT.bernoulli(key, p, shape);
    }

    /**
     * int32 uniform on {@code [minval, maxval)} ({@code jax.random.randint}): two sets of 32-bit draws from
     * {@code split(key)} combined modulo the span as JAX does (so bias is small for spans that are not powers of
     * two); {@code maxval <= minval} gives {@code minval}.
     */
    public static Array randint(Array key, int[] shape, int minval, int maxval) {
        return DEFAULT.randint(key, shape, minval, maxval);
    }

    /** A random permutation of {@code 0 .. n-1} (int32), as {@code jax.random.permutation(key, n)}. */
    public static Array permutation(Array key, int n) {
        return DEFAULT.permutation(key, n);
    }

    /**
     * {@code x} shuffled along axis 0 ({@code jax.random.permutation(key, x)}): sorting by random 32-bit keys,
     * {@code ceil(3 ln n / ln(2^32-1))} rounds. Concrete arrays are sorted directly (O(n log n)); under a
     * transformation that traces the key or {@code x} (vmap), the sort is written with comparisons, O(n^2)
     * memory, and limited to 4096 rows (Solstice has no sort primitive).
     */
    public static Array permutation(Array key, Array x) {
        return DEFAULT.permutation(key, x);
    }

    /** {@code prod(shape)} indices in {@code [0, n)}, uniform, with replacement (int32). */
    public static Array choice(Array key, int n, int... shape) {
        return DEFAULT.choice(key, n, shape, true, null);
    }

    /**
     * Indices in {@code [0, n)} ({@code jax.random.choice(key, n, shape, replace, p)}): without {@code p},
     * {@code randint} with replacement and the first draws of a permutation without; with probabilities
     * {@code p} (a floating vector of length n, not necessarily normalised), inverse-CDF search with
     * replacement and the Gumbel top-k trick without.
     */
    public static Array choice(Array key, int n, int[] shape, boolean replace, Array p) {
        return DEFAULT.choice(key, n, shape, replace, p);
    }

    /** Elements of {@code a} along its axis 0, chosen as {@link #choice(Array, int, int[], boolean, Array)} chooses indices. */
    public static Array choice(Array key, Array a, int[] shape, boolean replace, Array p) {
        return DEFAULT.choice(key, a, shape, replace, p);
    }

    /** Draws from the categorical distribution given by {@code logits} along the last axis (int32). */
    public static Array categorical(Array key, Array logits) {
        return DEFAULT.categorical(key, logits, -1, null);
    }

    /**
     * Categorical draws ({@code jax.random.categorical}): {@code argmax(gumbel + logits)} along {@code axis};
     * {@code shape} (null for the logits' batch shape) must end with the logits' shape without {@code axis}.
     */
    public static Array categorical(Array key, Array logits, int axis, int[] shape) {
        return DEFAULT.categorical(key, logits, axis, shape);
    }

    /** float32 standard Gumbel. */
    public static Array gumbel(Array key, int... shape) {
        return DEFAULT.gumbel(key, shape, DType.FLOAT32);
    }

    /** Standard Gumbel ({@code jax.random.gumbel}): {@code -log(-log(uniform(tiny, 1)))}. */
    public static Array gumbel(Array key, int[] shape, DType dtype) {
        return DEFAULT.gumbel(key, shape, dtype);
    }

    /** float32 standard exponential. */
    public static Array exponential(Array key, int... shape) {
        return DEFAULT.exponential(key, shape, DType.FLOAT32);
    }

    /** Standard exponential ({@code jax.random.exponential}): {@code -log1p(-uniform)}. */
    public static Array exponential(Array key, int[] shape, DType dtype) {
        return DEFAULT.exponential(key, shape, dtype);
    }
}
