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
 * {@snippet lang=java :
 * Array key = Prng.key(0);
 * Array[] k = Prng.split(key, 3);
 * Prng.normal(k[0], 4, 5)                                             // float32[4,5]
 * Jax.vmap((Array kk) -> Prng.uniform(kk, 3)).apply(Prng.splitKeys(key, 8))   // float32[8,3]
 * }
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

    /**
     * The key-derivation scheme: how {@code split} and {@code bits} derive counters.
     *
     * {@snippet lang=java :
     * Prng.generator(Prng.Scheme.LEGACY) == Prng.legacy()     // true
     * }
     */
    public enum Scheme {
        /** JAX's default since 0.5 ({@code jax_threefry_partitionable=True}). */
        PARTITIONABLE,
        /** JAX's scheme before 0.5 ({@code jax_threefry_partitionable=False}). */
        LEGACY
    }

    private static final Generator DEFAULT = Generator.PARTITIONABLE;

    /**
     * The generator of the legacy scheme: the same methods as here, as before JAX 0.5.
     *
     * {@snippet lang=java :
     * Prng.legacy().key(0)                                    // [0, 0]
     * Prng.legacy().split(Prng.key(0), 2)[0]                  // int32[2]
     * }
     */
    public static Generator legacy() {
        return Generator.LEGACY;
    }

    /**
     * The generator of the partitionable scheme, the one the static methods use.
     *
     * {@snippet lang=java :
     * Prng.partitionable().key(3)             // [0, 3]
     * }
     */
    public static Generator partitionable() {
        return Generator.PARTITIONABLE;
    }

    /**
     * The generator of a scheme.
     *
     * {@snippet lang=java :
     * Prng.generator(Prng.Scheme.PARTITIONABLE) == Prng.partitionable()   // true
     * }
     */
    public static Generator generator(Scheme scheme) {
        return Generator.of(scheme);
    }

    // ------------------------------------------------------------------ keys

    /**
     * A key from a 64-bit seed, as JAX with 64-bit integers enabled: {@code [seed >>> 32, seed & 0xFFFFFFFF]}
     * (the high word shifted logically, so {@code key(-1L)} is {@code [4294967295, 4294967295]}).
     *
     * {@snippet lang=java :
     * Prng.key(5L)                    // [0, 5]
     * Prng.keyData(Prng.key(-1L))     // [4294967295, 4294967295]
     * }
     */
    public static Array key(long seed) {
        return DEFAULT.key(seed);
    }

    /**
     * A key from a 32-bit seed, as JAX by default (int32 seeds): {@code [0, seed]}, the seed's bits as the low
     * word, so {@code key(-1)} is {@code [0, 4294967295]}. Equal to {@link #key(long)} for seeds >= 0.
     *
     * {@snippet lang=java :
     * Prng.key(42)                    // [0, 42]
     * Prng.keyData(Prng.key(-1))      // [0, 4294967295]
     * }
     */
    public static Array key(int seed) {
        return DEFAULT.key(seed);
    }

    /**
     * The words of a key (or of any int32 array of keys, row-major) as unsigned values in
     * {@code [0, 2^32)}; the key must be concrete.
     *
     * {@snippet lang=java :
     * Prng.keyData(Prng.wrapKeyData(4294967295L, 7))     // [4294967295, 7]
     * Prng.keyData(Array.of(1.0, 2.0))                    // throws IllegalArgumentException
     * }
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

    /**
     * A key from its two words (each in {@code [0, 2^32)}, or an int32 bit pattern), as JAX's {@code wrap_key_data}.
     *
     * {@snippet lang=java :
     * Prng.wrapKeyData(4294967295L, 7)    // [-1, 7]: int32 bit patterns
     * }
     */
    public static Array wrapKeyData(long word0, long word1) {
        for (long w : new long[] {word0, word1}) {
            if (w < Integer.MIN_VALUE || w > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("Prng.wrapKeyData: a word must be a uint32 in [0, 4294967295] (or an"
                        + " int32 bit pattern), got " + w);
            }
        }
        return Array.of((int) word0, (int) word1);
    }

    /**
     * Two new keys from one: {@code split(key, 2)}.
     *
     * {@snippet lang=java :
     * Array[] k = Prng.split(Prng.key(0));
     * k.length                        // 2
     * k[1]                            // int32[2]
     * }
     */
    public static Array[] split(Array key) {
        return DEFAULT.split(key, 2);
    }

    /**
     * {@code n} new keys from one, each an int32[2] key ({@code jax.random.split(key, n)}, unstacked).
     *
     * {@snippet lang=java :
     * Array[] k = Prng.split(Prng.key(0), 3);
     * k[2]                            // int32[2]
     * Arrays.equals(k[0].toIntArray(), k[1].toIntArray())    // false
     * }
     */
    public static Array[] split(Array key, int n) {
        return DEFAULT.split(key, n);
    }

    /**
     * {@code n} new keys from one, stacked as an int32[n, 2] array: {@code jax.random.split(key, n)}.
     *
     * {@snippet lang=java :
     * Prng.splitKeys(Prng.key(0), 4)  // int32[4,2]
     * Prng.splitKeys(Prng.key(0), 2).get(1)   // [928981903, -841280227]: JAX's second key
     * }
     */
    public static Array splitKeys(Array key, int n) {
        return DEFAULT.splitKeys(key, n);
    }

    /**
     * A key derived from a key and an integer ({@code jax.random.fold_in}): {@code threefry(key, (0, data))}.
     *
     * {@snippet lang=java :
     * Array k = Prng.foldIn(Prng.key(0), 7);   // one key per step, epoch, ...
     * k                               // [-1578141107, 292468403]
     * }
     */
    public static Array foldIn(Array key, int data) {
        return DEFAULT.foldIn(key, data);
    }

    /**
     * Uniformly random uint32 words, as int32 bit patterns ({@code jax.random.bits(key, shape, uint32)}).
     *
     * {@snippet lang=java :
     * Prng.bits(Prng.key(0), 2, 3)    // int32[2,3]
     * }
     */
    public static Array bits(Array key, int... shape) {
        return DEFAULT.bits(key, shape);
    }

    /**
     * Random bits of width 8, 16 or 32 per element ({@code jax.random.bits(key, shape, uint8/uint16/uint32)}):
     * 8- and 16-bit values come as int32 in {@code [0, 2^width)}, 32-bit ones as int32 bit patterns. For 64
     * bits see {@link Generator#bits64}.
     *
     * {@snippet lang=java :
     * Array b = Prng.bits(Prng.key(0), new int[] {1000}, 8);
     * Jnp.min(b).item() >= 0 && Jnp.max(b).item() < 256     // true
     * }
     */
    public static Array bits(Array key, int[] shape, int bitWidth) {
        return DEFAULT.bits(key, shape, bitWidth);
    }

    // ------------------------------------------------------------------ distributions

    /**
     * float32 uniform on {@code [0, 1)}.
     *
     * {@snippet lang=java :
     * Array u = Prng.uniform(Prng.key(0), 1000);
     * u                               // float32[1000]
     * Jnp.min(u).item() >= 0 && Jnp.max(u).item() < 1   // true
     * }
     */
    public static Array uniform(Array key, int... shape) {
        return DEFAULT.uniform(key, shape, DType.FLOAT32, 0, 1);
    }

    /**
     * Uniform on {@code [minval, maxval)} ({@code jax.random.uniform}): mantissa bits under exponent 0 give
     * {@code f} in {@code [1, 2)}; the result is {@code max(minval, (f - 1) * (maxval - minval) + minval)} in the
     * dtype. float64 takes 64 bits per element.
     *
     * {@snippet lang=java :
     * Array u = Prng.uniform(Prng.key(0), new int[] {1000}, DType.FLOAT64, -2, 2);
     * u                               // float64[1000]
     * Jnp.min(u).item() >= -2 && Jnp.max(u).item() < 2  // true
     * }
     */
    public static Array uniform(Array key, int[] shape, DType dtype, double minval, double maxval) {
        return DEFAULT.uniform(key, shape, dtype, minval, maxval);
    }

    /**
     * float32 standard normal.
     *
     * {@snippet lang=java :
     * Prng.normal(Prng.key(0), 3, 2)  // float32[3,2]
     * }
     */
    public static Array normal(Array key, int... shape) {
        return DEFAULT.normal(key, shape, DType.FLOAT32);
    }

    /**
     * Standard normal ({@code jax.random.normal}): {@code sqrt(2) erf_inv(uniform(nextafter(-1, 0), 1))}.
     *
     * {@snippet lang=java :
     * Array z = Prng.normal(Prng.key(1), new int[] {100000}, DType.FLOAT64);
     * Math.abs(Jnp.mean(z).item()) < 0.02        // true
     * }
     */
    public static Array normal(Array key, int[] shape, DType dtype) {
        return DEFAULT.normal(key, shape, dtype);
    }

    /**
     * float32 standard normal truncated to {@code (lower, upper)}.
     *
     * {@snippet lang=java :
     * Array t = Prng.truncatedNormal(Prng.key(0), -1, 1, 1000);
     * Jnp.max(Jnp.abs(t)).item() < 1    // true
     * }
     */
    public static Array truncatedNormal(Array key, double lower, double upper, int... shape) {
        return DEFAULT.truncatedNormal(key, lower, upper, shape, DType.FLOAT32);
    }

    /**
     * Standard normal truncated to {@code (lower, upper)} ({@code jax.random.truncated_normal}):
     * {@code sqrt(2) erf_inv(uniform(erf(lower/sqrt2), erf(upper/sqrt2)))}, clipped to the open interval.
     *
     * {@snippet lang=java :
     * Prng.truncatedNormal(Prng.key(0), 0, 2, new int[] {4}, DType.FLOAT64)   // float64[4]
     * }
     */
    public static Array truncatedNormal(Array key, double lower, double upper, int[] shape, DType dtype) {
        return DEFAULT.truncatedNormal(key, lower, upper, shape, dtype);
    }

    /**
     * Fair coins (bool).
     *
     * {@snippet lang=java :
     * Prng.bernoulli(Prng.key(0), 5)  // bool[5]
     * }
     */
    public static Array bernoulli(Array key, int... shape) {
        return DEFAULT.bernoulli(key, 0.5, shape);
    }

    /**
     * Bool with probability {@code p} of true ({@code jax.random.bernoulli}): {@code uniform(float32) < p}.
     *
     * {@snippet lang=java :
     * Array b = Prng.bernoulli(Prng.key(0), 0.25, new int[] {100000});
     * Math.abs(Jnp.mean(b.astype(DType.FLOAT64)).item() - 0.25) < 0.01   // true
     * }
     */
    public static Array bernoulli(Array key, double p, int[] shape) {
        return DEFAULT.bernoulli(key, p, shape);
    }

    /**
     * int32 uniform on {@code [minval, maxval)} ({@code jax.random.randint}): two sets of 32-bit draws from
     * {@code split(key)} combined modulo the span as JAX does (so bias is small for spans that are not powers of
     * two); {@code maxval <= minval} gives {@code minval}.
     *
     * {@snippet lang=java :
     * Array dice = Prng.randint(Prng.key(0), new int[] {1000}, 1, 7);
     * Jnp.min(dice)                   // 1
     * Jnp.max(dice)                   // 6
     * }
     */
    public static Array randint(Array key, int[] shape, int minval, int maxval) {
        return DEFAULT.randint(key, shape, minval, maxval);
    }

    /**
     * A random permutation of {@code 0 .. n-1} (int32), as {@code jax.random.permutation(key, n)}.
     *
     * {@snippet lang=java :
     * Array p = Prng.permutation(Prng.key(0), 5);
     * Jnp.sort(p)                     // [0, 1, 2, 3, 4]
     * }
     */
    public static Array permutation(Array key, int n) {
        return DEFAULT.permutation(key, n);
    }

    /**
     * {@code x} shuffled along axis 0 ({@code jax.random.permutation(key, x)}): sorting by random 32-bit keys,
     * {@code ceil(3 ln n / ln(2^32-1))} rounds. Concrete arrays are sorted directly; under a transformation that
     * traces the key or {@code x} (vmap, jit) the sort primitive and a gather do it, with the same result.
     *
     * {@snippet lang=java :
     * Array rows = Array.of(new double[] {1, 1, 2, 2, 3, 3}, 3, 2);
     * Array shuffled = Prng.permutation(Prng.key(0), rows);
     * Jnp.sum(shuffled, 0)            // [6.0, 6.0]: the same rows, in another order
     * }
     */
    public static Array permutation(Array key, Array x) {
        return DEFAULT.permutation(key, x);
    }

    /**
     * {@code prod(shape)} indices in {@code [0, n)}, uniform, with replacement (int32).
     *
     * {@snippet lang=java :
     * Prng.choice(Prng.key(0), 10, 2, 3)  // int32[2,3]
     * }
     */
    public static Array choice(Array key, int n, int... shape) {
        return DEFAULT.choice(key, n, shape, true, null);
    }

    /**
     * Indices in {@code [0, n)} ({@code jax.random.choice(key, n, shape, replace, p)}): without {@code p},
     * {@code randint} with replacement and the first draws of a permutation without; with probabilities
     * {@code p} (a floating vector of length n, not necessarily normalised), inverse-CDF search with
     * replacement and the Gumbel top-k trick without.
     *
     * {@snippet lang=java :
     * Array c = Prng.choice(Prng.key(0), 4, new int[] {4}, false, null);
     * Jnp.sort(c)                     // [0, 1, 2, 3]: without replacement
     * Prng.choice(Prng.key(0), 3, new int[] {5}, true, Array.of(0.0, 1.0, 0.0))   // [1, 1, 1, 1, 1]
     * }
     */
    public static Array choice(Array key, int n, int[] shape, boolean replace, Array p) {
        return DEFAULT.choice(key, n, shape, replace, p);
    }

    /**
     * Elements of {@code a} along its axis 0, chosen as {@link #choice(Array, int, int[], boolean, Array)} chooses indices.
     *
     * {@snippet lang=java :
     * Prng.choice(Prng.key(0), Array.of(10.0, 20.0, 30.0), new int[] {2}, true, Array.of(0.0, 0.0, 1.0))   // [30.0, 30.0]
     * }
     */
    public static Array choice(Array key, Array a, int[] shape, boolean replace, Array p) {
        return DEFAULT.choice(key, a, shape, replace, p);
    }

    /**
     * Draws from the categorical distribution given by {@code logits} along the last axis (int32).
     *
     * {@snippet lang=java :
     * Array logits = Array.of(new double[] {0, 100, 0, 100, 0, 0}, 2, 3);   // two rows of 3 classes
     * Prng.categorical(Prng.key(0), logits)   // [1, 0]
     * }
     */
    public static Array categorical(Array key, Array logits) {
        return DEFAULT.categorical(key, logits, -1, null);
    }

    /**
     * Categorical draws ({@code jax.random.categorical}): {@code argmax(gumbel + logits)} along {@code axis};
     * {@code shape} (null for the logits' batch shape) must end with the logits' shape without {@code axis}.
     *
     * {@snippet lang=java :
     * Prng.categorical(Prng.key(0), Array.of(-100.0, 100.0), -1, new int[] {4})   // [1, 1, 1, 1]
     * }
     */
    public static Array categorical(Array key, Array logits, int axis, int[] shape) {
        return DEFAULT.categorical(key, logits, axis, shape);
    }

    /**
     * float32 standard Gumbel.
     *
     * {@snippet lang=java :
     * Prng.gumbel(Prng.key(0), 3)     // float32[3]
     * }
     */
    public static Array gumbel(Array key, int... shape) {
        return DEFAULT.gumbel(key, shape, DType.FLOAT32);
    }

    /**
     * Standard Gumbel ({@code jax.random.gumbel}): {@code -log(-log(uniform(tiny, 1)))}.
     *
     * {@snippet lang=java :
     * Array g = Prng.gumbel(Prng.key(0), new int[] {100000}, DType.FLOAT64);
     * Math.abs(Jnp.mean(g).item() - 0.5772156649) < 0.02     // true: the mean is Euler's constant
     * }
     */
    public static Array gumbel(Array key, int[] shape, DType dtype) {
        return DEFAULT.gumbel(key, shape, dtype);
    }

    /**
     * float32 standard exponential.
     *
     * {@snippet lang=java :
     * Prng.exponential(Prng.key(0), 2, 2)   // float32[2,2]
     * }
     */
    public static Array exponential(Array key, int... shape) {
        return DEFAULT.exponential(key, shape, DType.FLOAT32);
    }

    /**
     * Standard exponential ({@code jax.random.exponential}): {@code -log1p(-uniform)}.
     *
     * {@snippet lang=java :
     * Array e = Prng.exponential(Prng.key(0), new int[] {100000}, DType.FLOAT64);
     * Math.abs(Jnp.mean(e).item() - 1) < 0.02     // true
     * }
     */
    public static Array exponential(Array key, int[] shape, DType dtype) {
        return DEFAULT.exponential(key, shape, dtype);
    }
}
