package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import java.util.Arrays;

/**
 * Parameter initialisers, as {@code jax.nn.initializers}: each factory returns an {@link Initializer}, a
 * function of {@code (key, shape, dtype)}. The random ones draw from {@link Prng} exactly as JAX draws (same
 * distribution functions, same key use), so with the same key, shape and dtype they give JAX's values up to
 * the rounding of the final scaling.
 *
 * <pre>{@code
 * Array w = Initializers.heNormal().init(Prng.key(0), new int[] {3, 3, 16, 32}, DType.FLOAT32);
 * }</pre>
 *
 * <p>Fans follow JAX's {@code _compute_fans}: the input axis is {@code -2}, the output axis {@code -1}, and
 * every other axis is part of the receptive field, so a conv kernel {@code [kh, kw, in, out]} has
 * {@code fan_in = kh*kw*in} and {@code fan_out = kh*kw*out}.
 *
 * {@snippet lang=java :
 * Array w = Initializers.glorotUniform().init(Prng.key(0), new int[] {3, 4}, DType.FLOAT32);
 * w   // float32[3,4]
 * }
 */
public final class Initializers {
    private Initializers() {}

    /** JAX's stddev of a standard normal truncated to (-2, 2), used to correct truncated-normal draws. */
    public static final double TRUNCATED_NORMAL_STDDEV = .87962566103423978;

    /**
     * An initialiser: a function of a PRNG key, a shape and a dtype.
     *
     * {@snippet lang=java :
     * Initializers.Initializer init = (key, shape, dtype) -> Jnp.full(dtype, 0.5, shape);
     * init.init(Prng.key(0), 2)   // Array(float32[2], [0.5, 0.5])
     * }
     */
    @FunctionalInterface
    public interface Initializer {
        /**
         * An array of {@code shape} and {@code dtype}, drawn from {@code key} (which constant initialisers ignore).
         *
         * {@snippet lang=java :
         * Initializers.normal(1.0).init(Prng.key(0), new int[] {2, 2}, DType.FLOAT64)   // float64[2,2]
         * }
         */
        Array init(Array key, int[] shape, DType dtype);

        /**
         * {@link #init(Array, int[], DType)} in float32.
         *
         * {@snippet lang=java :
         * Initializers.ones().init(Prng.key(0), 3)   // Array(float32[3], [1.0, 1.0, 1.0])
         * }
         */
        default Array init(Array key, int... shape) {
            return init(key, shape, DType.FLOAT32);
        }
    }

    /**
     * How {@link #varianceScaling} picks the denominator of the variance.
     *
     * {@snippet lang=java :
     * Initializers.Mode.of("fan_avg")   // FAN_AVG
     * }
     */
    public enum Mode {
        /** The number of inputs. */
        FAN_IN,
        /** The number of outputs. */
        FAN_OUT,
        /** The mean of the two. */
        FAN_AVG;

        /**
         * Parses JAX's spelling ({@code "fan_in"}, {@code "fan_out"}, {@code "fan_avg"}).
         *
         * {@snippet lang=java :
         * Initializers.Mode.of("fan_in")   // FAN_IN
         * Initializers.Mode.of("fan_middle")   // throws IllegalArgumentException
         * }
         */
        public static Mode of(String s) {
            return switch (s) {
                case "fan_in" -> FAN_IN;
                case "fan_out" -> FAN_OUT;
                case "fan_avg" -> FAN_AVG;
                default -> throw new IllegalArgumentException("varianceScaling: mode must be fan_in, fan_out or fan_avg, got '" + s + "'");
            };
        }
    }

    /**
     * The distribution {@link #varianceScaling} draws from.
     *
     * {@snippet lang=java :
     * Initializers.Distribution.of("truncated_normal")   // TRUNCATED_NORMAL
     * }
     */
    public enum Distribution {
        /** A normal truncated to two standard deviations, rescaled to the target variance. */
        TRUNCATED_NORMAL,
        /** A normal. */
        NORMAL,
        /** A uniform on {@code [-sqrt(3 var), sqrt(3 var))}. */
        UNIFORM;

        /**
         * Parses JAX's spelling ({@code "truncated_normal"}, {@code "normal"}, {@code "uniform"}).
         *
         * {@snippet lang=java :
         * Initializers.Distribution.of("uniform")   // UNIFORM
         * }
         */
        public static Distribution of(String s) {
            return switch (s) {
                case "truncated_normal" -> TRUNCATED_NORMAL;
                case "normal" -> NORMAL;
                case "uniform" -> UNIFORM;
                default -> throw new IllegalArgumentException(
                        "varianceScaling: distribution must be truncated_normal, normal or uniform, got '" + s + "'");
            };
        }
    }

    // ------------------------------------------------------------------ constants

    /**
     * All zeros.
     *
     * {@snippet lang=java :
     * Initializers.zeros().init(Prng.key(0), 3)   // Array(float32[3], [0.0, 0.0, 0.0])
     * }
     */
    public static Initializer zeros() {
        return (key, shape, dtype) -> Jnp.zeros(dtype, checkShape("zeros", shape));
    }

    /**
     * All ones.
     *
     * {@snippet lang=java :
     * Initializers.ones().init(Prng.key(0), new int[] {2}, DType.INT32)   // Array(int32[2], [1, 1])
     * }
     */
    public static Initializer ones() {
        return (key, shape, dtype) -> Jnp.ones(dtype, checkShape("ones", shape));
    }

    /**
     * Every element {@code value}.
     *
     * {@snippet lang=java :
     * Initializers.constant(0.1).init(Prng.key(0), 2)   // Array(float32[2], [0.1, 0.1])
     * }
     */
    public static Initializer constant(double value) {
        return (key, shape, dtype) -> Jnp.full(dtype, value, checkShape("constant", shape));
    }

    // ------------------------------------------------------------------ simple distributions

    /**
     * Uniform on {@code [0, scale)} ({@code jax.nn.initializers.uniform}, default scale 1e-2).
     *
     * {@snippet lang=java :
     * Array w = Initializers.uniform(2.0).init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.min(w).item() >= 0 && Jnp.max(w).item() < 2   // true
     * }
     */
    public static Initializer uniform(double scale) {
        return (key, shape, dtype) -> {
            prepare("uniform", key, shape, dtype);
            return Jnp.multiply(Prng.uniform(key, shape, dtype, 0, 1), scale);
        };
    }

    /**
     * {@link #uniform(double)} with JAX's default scale 1e-2.
     *
     * {@snippet lang=java :
     * Array w = Initializers.uniform().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(w).item() < 0.01   // true
     * }
     */
    public static Initializer uniform() {
        return uniform(1e-2);
    }

    /**
     * Normal with mean 0 and standard deviation {@code stddev} (default 1e-2).
     *
     * {@snippet lang=java :
     * Array w = Initializers.normal(2.0).init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Math.abs(Math.sqrt(Jnp.var(w).item()) - 2) < 0.05   // true
     * }
     */
    public static Initializer normal(double stddev) {
        return (key, shape, dtype) -> {
            prepare("normal", key, shape, dtype);
            return Jnp.multiply(Prng.normal(key, shape, dtype), stddev);
        };
    }

    /**
     * {@link #normal(double)} with JAX's default stddev 1e-2.
     *
     * {@snippet lang=java :
     * Array w = Initializers.normal().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Math.abs(Math.sqrt(Jnp.var(w).item()) - 0.01) < 0.001   // true
     * }
     */
    public static Initializer normal() {
        return normal(1e-2);
    }

    /**
     * A standard normal truncated to {@code (lower, upper)}, times {@code stddev} (so the result lies in
     * {@code (stddev*lower, stddev*upper)}; note its standard deviation is below {@code stddev}, as in JAX).
     *
     * {@snippet lang=java :
     * Array w = Initializers.truncatedNormal(1.0, -1.0, 1.0).init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(Jnp.abs(w)).item() <= 1   // true
     * }
     */
    public static Initializer truncatedNormal(double stddev, double lower, double upper) {
        if (!(lower < upper)) {
            throw new IllegalArgumentException("truncatedNormal: lower must be below upper, got " + lower + ", " + upper);
        }
        return (key, shape, dtype) -> {
            prepare("truncatedNormal", key, shape, dtype);
            return Jnp.multiply(Prng.truncatedNormal(key, lower, upper, shape, dtype), stddev);
        };
    }

    /**
     * {@link #truncatedNormal(double, double, double)} on (-2, 2).
     *
     * {@snippet lang=java :
     * Array w = Initializers.truncatedNormal(0.5).init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(Jnp.abs(w)).item() <= 1   // true
     * }
     */
    public static Initializer truncatedNormal(double stddev) {
        return truncatedNormal(stddev, -2, 2);
    }

    /**
     * {@link #truncatedNormal(double)} with JAX's default stddev 1e-2.
     *
     * {@snippet lang=java :
     * Array w = Initializers.truncatedNormal().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(Jnp.abs(w)).item() <= 0.02   // true
     * }
     */
    public static Initializer truncatedNormal() {
        return truncatedNormal(1e-2);
    }

    // ------------------------------------------------------------------ variance scaling

    /**
     * The fans of a weight shape ({@code [fanIn, fanOut]}), as JAX's {@code _compute_fans} with
     * {@code in_axis}, {@code out_axis} and no batch axis: {@code fanIn = shape[inAxis] * receptive} and
     * {@code fanOut = shape[outAxis] * receptive}, the receptive field being the product of the other axes.
     * Negative axes count from the end.
     *
     * {@snippet lang=java :
     * Arrays.toString(Initializers.fans(new int[] {8, 3, 5, 5}, 1, 0))   // [75.0, 200.0]
     * }
     *
     * @throws IllegalArgumentException for shapes of fewer than two axes, equal or out-of-range axes, or a
     *     zero-sized shape
     */
    public static double[] fans(int[] shape, int inAxis, int outAxis) {
        checkShape("fans", shape);
        if (shape.length < 2) {
            throw new IllegalArgumentException("fans: can't compute input and output sizes of a " + shape.length
                    + "-dimensional weight; it must be at least 2-D, got " + Arrays.toString(shape));
        }
        int i = axis("fans", inAxis, shape.length);
        int o = axis("fans", outAxis, shape.length);
        if (i == o) {
            throw new IllegalArgumentException("fans: the input and output axes must differ, got " + inAxis + " and " + outAxis);
        }
        double total = 1;
        for (int s : shape) {
            total *= s;
        }
        if (total == 0) {
            throw new IllegalArgumentException("fans: zero-sized shape " + Arrays.toString(shape));
        }
        double receptive = total / shape[i] / shape[o];
        return new double[] {shape[i] * receptive, shape[o] * receptive};
    }

    /**
     * {@link #fans(int[], int, int)} with JAX's defaults: input axis -2, output axis -1.
     *
     * {@snippet lang=java :
     * Arrays.toString(Initializers.fans(new int[] {3, 4}))   // [3.0, 4.0]
     * }
     */
    public static double[] fans(int[] shape) {
        return fans(shape, -2, -1);
    }

    /**
     * {@code jax.nn.initializers.variance_scaling}: the variance is {@code scale / n}, with {@code n} the fan
     * picked by {@code mode} (by {@link #fans(int[], int, int)}); draws are a normal truncated to (-2, 2) whose
     * std is divided by {@value #TRUNCATED_NORMAL_STDDEV}, a normal, or a uniform on {@code [-1, 1)} times
     * {@code sqrt(3 var)}.
     *
     * {@snippet lang=java :
     * Array w = Initializers.varianceScaling(2.0, Initializers.Mode.FAN_IN, Initializers.Distribution.UNIFORM, 0, 1).init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(Jnp.abs(w)).item() <= Math.sqrt(3 * 2.0 / 256)   // true
     * }
     */
    public static Initializer varianceScaling(double scale, Mode mode, Distribution distribution, int inAxis, int outAxis) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("varianceScaling: scale must be positive, got " + scale);
        }
        if (mode == null || distribution == null) {
            throw new IllegalArgumentException("varianceScaling: mode and distribution must not be null");
        }
        return (key, shape, dtype) -> {
            prepare("varianceScaling", key, shape, dtype);
            double[] f = fans(shape, inAxis, outAxis);
            double n = switch (mode) {
                case FAN_IN -> f[0];
                case FAN_OUT -> f[1];
                case FAN_AVG -> (f[0] + f[1]) / 2;
            };
            double variance = scale / n;
            return switch (distribution) {
                case TRUNCATED_NORMAL -> Jnp.multiply(Prng.truncatedNormal(key, -2, 2, shape, dtype),
                        Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV);
                case NORMAL -> Jnp.multiply(Prng.normal(key, shape, dtype), Math.sqrt(variance));
                case UNIFORM -> Jnp.multiply(Prng.uniform(key, shape, dtype, -1, 1), Math.sqrt(3 * variance));
            };
        };
    }

    /**
     * {@link #varianceScaling(double, Mode, Distribution, int, int)} with input axis -2 and output axis -1.
     *
     * {@snippet lang=java :
     * Array w = Initializers.varianceScaling(1.0, Initializers.Mode.FAN_AVG, Initializers.Distribution.UNIFORM).init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(Jnp.abs(w)).item() <= Math.sqrt(3.0 / 160)   // true
     * }
     */
    public static Initializer varianceScaling(double scale, Mode mode, Distribution distribution) {
        return varianceScaling(scale, mode, distribution, -2, -1);
    }

    /**
     * {@link #varianceScaling(double, Mode, Distribution)} with JAX's spellings ({@code "fan_in"}, {@code "uniform"}...).
     *
     * {@snippet lang=java :
     * Array w = Initializers.varianceScaling(1.0, "fan_in", "truncated_normal").init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(Jnp.abs(w)).item() <= 2 / 16.0 / Initializers.TRUNCATED_NORMAL_STDDEV + 1e-6   // true
     * }
     */
    public static Initializer varianceScaling(double scale, String mode, String distribution) {
        return varianceScaling(scale, Mode.of(mode), Distribution.of(distribution));
    }

    /**
     * Glorot (Xavier) uniform: scale 1, fan_avg, uniform.
     *
     * {@snippet lang=java :
     * Array w = Initializers.glorotUniform().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(Jnp.abs(w)).item() <= Math.sqrt(6.0 / 320)   // true
     * }
     */
    public static Initializer glorotUniform() {
        return varianceScaling(1, Mode.FAN_AVG, Distribution.UNIFORM);
    }

    /**
     * Glorot (Xavier) normal: scale 1, fan_avg, truncated normal.
     *
     * {@snippet lang=java :
     * Array w = Initializers.glorotNormal().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Math.abs(Math.sqrt(Jnp.var(w).item()) / Math.sqrt(2.0 / 320) - 1) < 0.05   // true
     * }
     */
    public static Initializer glorotNormal() {
        return varianceScaling(1, Mode.FAN_AVG, Distribution.TRUNCATED_NORMAL);
    }

    /**
     * Alias of {@link #glorotUniform()}.
     *
     * {@snippet lang=java :
     * Array w = Initializers.xavierUniform().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(Jnp.abs(w)).item() <= Math.sqrt(6.0 / 320)   // true
     * }
     */
    public static Initializer xavierUniform() {
        return glorotUniform();
    }

    /**
     * Alias of {@link #glorotNormal()}.
     *
     * {@snippet lang=java :
     * Array w = Initializers.xavierNormal().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Math.abs(Math.sqrt(Jnp.var(w).item()) / Math.sqrt(2.0 / 320) - 1) < 0.05   // true
     * }
     */
    public static Initializer xavierNormal() {
        return glorotNormal();
    }

    /**
     * LeCun uniform: scale 1, fan_in, uniform.
     *
     * {@snippet lang=java :
     * Array w = Initializers.lecunUniform().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(Jnp.abs(w)).item() <= Math.sqrt(3.0 / 256)   // true
     * }
     */
    public static Initializer lecunUniform() {
        return varianceScaling(1, Mode.FAN_IN, Distribution.UNIFORM);
    }

    /**
     * LeCun normal: scale 1, fan_in, truncated normal.
     *
     * {@snippet lang=java :
     * Array w = Initializers.lecunNormal().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Math.abs(Math.sqrt(Jnp.var(w).item()) / Math.sqrt(1.0 / 256) - 1) < 0.05   // true
     * }
     */
    public static Initializer lecunNormal() {
        return varianceScaling(1, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL);
    }

    /**
     * He (Kaiming) uniform: scale 2, fan_in, uniform.
     *
     * {@snippet lang=java :
     * Array w = Initializers.heUniform().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(Jnp.abs(w)).item() <= Math.sqrt(6.0 / 256)   // true
     * }
     */
    public static Initializer heUniform() {
        return varianceScaling(2, Mode.FAN_IN, Distribution.UNIFORM);
    }

    /**
     * He (Kaiming) normal: scale 2, fan_in, truncated normal.
     *
     * {@snippet lang=java :
     * Array w = Initializers.heNormal().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Math.abs(Math.sqrt(Jnp.var(w).item()) / Math.sqrt(2.0 / 256) - 1) < 0.05   // true
     * }
     */
    public static Initializer heNormal() {
        return varianceScaling(2, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL);
    }

    /**
     * Alias of {@link #heUniform()}.
     *
     * {@snippet lang=java :
     * Array w = Initializers.kaimingUniform().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Jnp.max(Jnp.abs(w)).item() <= Math.sqrt(6.0 / 256)   // true
     * }
     */
    public static Initializer kaimingUniform() {
        return heUniform();
    }

    /**
     * Alias of {@link #heNormal()}.
     *
     * {@snippet lang=java :
     * Array w = Initializers.kaimingNormal().init(Prng.key(0), 256, 64);
     * w   // float32[256,64]
     * Math.abs(Math.sqrt(Jnp.var(w).item()) / Math.sqrt(2.0 / 256) - 1) < 0.05   // true
     * }
     */
    public static Initializer kaimingNormal() {
        return heNormal();
    }

    // ------------------------------------------------------------------ orthogonal

    /**
     * {@link #orthogonal(double, int)} with scale 1 and the last axis as columns.
     *
     * {@snippet lang=java :
     * Array q = Initializers.orthogonal().init(Prng.key(0), new int[] {3, 3}, DType.FLOAT64);
     * Jnp.max(Jnp.abs(Jnp.matmul(Jnp.transpose(q), q).sub(Jnp.eye(3)))).item() < 1e-12   // true
     * }
     */
    public static Initializer orthogonal() {
        return orthogonal(1, -1);
    }

    /**
     * {@link #orthogonal(double, int)} with the last axis as columns.
     *
     * {@snippet lang=java :
     * Array q = Initializers.orthogonal(2.0).init(Prng.key(0), new int[] {2, 2}, DType.FLOAT64);
     * Jnp.matmul(Jnp.transpose(q), q).sub(Jnp.multiply(Jnp.eye(2), 4.0)).toDoubleArray()[1] < 1e-12   // true
     * }
     */
    public static Initializer orthogonal(double scale) {
        return orthogonal(scale, -1);
    }

    /**
     * {@code jax.nn.initializers.orthogonal}: with {@code cols = shape[columnAxis]} and {@code rows} the product
     * of the other axes, a normal matrix of shape {@code [max, min]} of the two is factored {@code A = QR}
     * (reduced Householder QR, in double), {@code Q}'s columns are multiplied by the signs of {@code R}'s
     * diagonal (which makes the factor unique, so the result does not depend on the QR algorithm), transposed
     * when {@code rows < cols}, reshaped to the other axes followed by the column axis, the column axis moved
     * back into place, and scaled. The rows (or columns, whichever are fewer) are orthonormal. A shape with a
     * zero axis gives an empty array.
     *
     * {@snippet lang=java :
     * Array q = Initializers.orthogonal(1.0, 0).init(Prng.key(0), new int[] {3, 2}, DType.FLOAT64);
     * q   // float64[3,2]
     * }
     */
    public static Initializer orthogonal(double scale, int columnAxis) {
        return (key, shape, dtype) -> {
            prepare("orthogonal", key, shape, dtype);
            if (shape.length < 2) {
                throw new IllegalArgumentException("orthogonal: needs a shape of at least two axes, got " + Arrays.toString(shape));
            }
            int c = axis("orthogonal", columnAxis, shape.length);
            int cols = shape[c];
            int size = 1;
            for (int s : shape) {
                size *= s;
            }
            if (size == 0) {
                return Jnp.zeros(dtype, shape); // as JAX: nothing to make orthogonal
            }
            int rows = size / cols;
            int m = Math.max(rows, cols);
            int n = Math.min(rows, cols);
            double[] a = Prng.normal(key, new int[] {m, n}, dtype).toDoubleArray();
            double[] q = orthonormalFactor(a, m, n);
            double[] mat = q; // [rows, cols]
            if (rows < cols) {
                mat = new double[size];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        mat[j * m + i] = q[i * n + j];
                    }
                }
            }
            for (int i = 0; i < mat.length; i++) {
                mat[i] *= scale;
            }
            int[] tmpShape = new int[shape.length];
            int[] perm = new int[shape.length];
            for (int i = 0, k = 0; i < shape.length; i++) {
                if (i != c) {
                    tmpShape[k++] = shape[i];
                }
            }
            tmpShape[shape.length - 1] = cols;
            // moveaxis(-1 -> c): result axis c is tmp's last; the others keep their order
            for (int i = 0, k = 0; i < shape.length; i++) {
                perm[i] = i == c ? shape.length - 1 : k++;
            }
            Array t = Jnp.transpose(Array.of(mat, tmpShape), perm);
            return Jnp.astype(t, dtype);
        };
    }

    /**
     * The reduced orthonormal factor {@code Q [m, n]} of a row-major {@code A [m, n]}, {@code m >= n}, with each
     * column multiplied by the sign of {@code R}'s diagonal entry (so that the diagonal of R is non-negative,
     * as JAX's sign correction makes it). Householder reflections in double.
     */
    static double[] orthonormalFactor(double[] a, int m, int n) {
        double[] r = a.clone();
        double[][] vs = new double[n][];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += r[i * n + k] * r[i * n + k];
            }
            norm = Math.sqrt(norm);
            double[] v = new double[m];
            if (norm == 0) {
                vs[k] = v;
                continue;
            }
            double alpha = r[k * n + k] >= 0 ? -norm : norm;
            for (int i = k; i < m; i++) {
                v[i] = r[i * n + k];
            }
            v[k] -= alpha;
            double vn = 0;
            for (int i = k; i < m; i++) {
                vn += v[i] * v[i];
            }
            if (vn == 0) {
                vs[k] = new double[m];
                continue;
            }
            for (int j = k; j < n; j++) {
                double d = 0;
                for (int i = k; i < m; i++) {
                    d += v[i] * r[i * n + j];
                }
                double f = 2 * d / vn;
                for (int i = k; i < m; i++) {
                    r[i * n + j] -= f * v[i];
                }
            }
            for (int i = k; i < m; i++) {
                v[i] /= Math.sqrt(vn);
            }
            vs[k] = v;
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) {
            q[j * n + j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            for (int j = 0; j < n; j++) {
                double d = 0;
                for (int i = k; i < m; i++) {
                    d += v[i] * q[i * n + j];
                }
                for (int i = k; i < m; i++) {
                    q[i * n + j] -= 2 * d * v[i];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            double s = Math.signum(r[j * n + j]);
            for (int i = 0; i < m; i++) {
                q[i * n + j] *= s;
            }
        }
        return q;
    }

    // ------------------------------------------------------------------ checks

    private static void prepare(String what, Array key, int[] shape, DType dtype) {
        Keys.check("Initializers." + what, key);
        checkShape(what, shape);
        if (dtype == null || !dtype.isFloating()) {
            throw new IllegalArgumentException(what + ": the dtype must be floating, got " + dtype);
        }
    }

    private static int[] checkShape(String what, int[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException(what + ": the shape must not be null");
        }
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(what + ": negative size in shape " + Arrays.toString(shape));
            }
        }
        return shape;
    }

    private static int axis(String what, int axis, int ndim) {
        int a = axis < 0 ? axis + ndim : axis;
        if (a < 0 || a >= ndim) {
            throw new IllegalArgumentException(what + ": axis " + axis + " is out of range for " + ndim + " axes");
        }
        return a;
    }
}
