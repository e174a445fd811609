package dev.solstice;

import java.util.function.Function;

/**
 * Activation functions and friends, as {@code jax.nn}, with JAX's derivative at every kink (see
 * {@code derivative-conventions.md}): {@link #relu} and {@link #relu6} carry custom JVP rules that give 0 at
 * their kinks, and every first-derivative rule is built from comparisons of primals and constants, so
 * second derivatives are exactly 0 in the linear pieces.
 *
 * {@snippet lang=java :
 * Array x = Array.of(-1.0, 0.0, 2.0);
 * Nn.relu(x)   // Array(float64[3], [0.0, 0.0, 2.0])
 * Jax.grad(v -> Jnp.sum(Nn.relu(v))).apply(x)   // Array(float64[3], [0.0, 0.0, 1.0])
 * }
 */
public final class Nn {
    private Nn() {}

    private static final Function<Array, Array> RELU = Jax.customJvp(
            x -> Jnp.maximum(x, 0.0),
            (x, t) -> new JvpResult<>(Nn.relu(x), Jnp.where(Jnp.greater(x, 0.0), t, Jnp.zerosLike(t))));

    private static final Function<Array, Array> RELU6 = Jax.customJvp(
            x -> Jnp.minimum(Jnp.maximum(x, 0.0), 6.0),
            (x, t) -> new JvpResult<>(Nn.relu6(x),
                    Jnp.where(Jnp.logicalAnd(Jnp.greater(x, 0.0), Jnp.less(x, 6.0)), t, Jnp.zerosLike(t))));

    private static final Function<Array, Array> SOFTPLUS = Jax.customJvp(
            x -> Jnp.add(Jnp.maximum(x, 0.0), Jnp.log1p(Jnp.exp(Jnp.negative(Jnp.abs(x))))),
            (x, t) -> {
                Array y = Nn.softplus(x);
                return new JvpResult<>(y, Jnp.multiply(t, Jnp.exp(Jnp.subtract(replacePosInf(x), replacePosInf(y)))));
            });

    /** {@code +inf} replaced by 0 (JAX's {@code _replace_inf} in logaddexp's JVP), so softplus'(+inf) = 1, not NaN. */
    private static Array replacePosInf(Array x) {
        return Jnp.where(Jnp.equal(x, Double.POSITIVE_INFINITY), Jnp.zerosLike(x), x);
    }

    /**
     * {@code max(x, 0)}; derivative {@code x > 0 ? 1 : 0}, so 0 at 0, and second derivative 0 everywhere.
     *
     * {@snippet lang=java :
     * Nn.relu(Array.of(-1.0, 0.0, 2.0))   // Array(float64[3], [0.0, 0.0, 2.0])
     * }
     */
    public static Array relu(Array x) {
        return RELU.apply(x);
    }

    /**
     * {@code min(max(x, 0), 6)}; derivative 1 strictly between 0 and 6, else 0 (also at both kinks).
     *
     * {@snippet lang=java :
     * Nn.relu6(Array.of(-1.0, 3.0, 8.0))   // Array(float64[3], [0.0, 3.0, 6.0])
     * }
     */
    public static Array relu6(Array x) {
        return RELU6.apply(x);
    }

    /**
     * {@code where(x >= 0, x, 0.01 x)}: derivative 1 at 0.
     *
     * {@snippet lang=java :
     * Nn.leakyRelu(Array.of(-2.0, 3.0))   // Array(float64[2], [-0.02,  3.0 ])
     * }
     */
    public static Array leakyRelu(Array x) {
        return leakyRelu(x, 0.01);
    }

    /**
     * {@code where(x >= 0, x, slope x)}.
     *
     * {@snippet lang=java :
     * Nn.leakyRelu(Array.of(-2.0, 3.0), 0.5)   // Array(float64[2], [-1.0,  3.0])
     * }
     */
    public static Array leakyRelu(Array x, double negativeSlope) {
        return Jnp.where(Jnp.greaterEqual(x, 0.0), x, Jnp.multiply(x, negativeSlope));
    }

    /**
     * ELU with alpha 1.
     *
     * {@snippet lang=java :
     * Nn.elu(Array.of(-1.0, 2.0))   // Array(float64[2], [-0.63212056,  2.0       ])
     * }
     */
    public static Array elu(Array x) {
        return elu(x, 1.0);
    }

    /**
     * {@code x > 0 ? x : alpha (e^x - 1)}, with the exponential's argument clamped to 0 on the positive side
     * (the "double where") so no infinity leaks into the derivative; derivative alpha at 0.
     *
     * {@snippet lang=java :
     * Nn.elu(Array.of(-100.0, 2.0), 2.0)   // Array(float64[2], [-2.0,  2.0])
     * }
     */
    public static Array elu(Array x, double alpha) {
        Array positive = Jnp.greater(x, 0.0);
        Array safe = Jnp.where(positive, Jnp.zerosLike(x), x);
        return Jnp.where(positive, x, Jnp.multiply(Jnp.expm1(safe), alpha));
    }

    /**
     * CELU with alpha 1.
     *
     * {@snippet lang=java :
     * Nn.celu(Array.of(-1.0, 2.0))   // Array(float64[2], [-0.63212056,  2.0       ])
     * }
     */
    public static Array celu(Array x) {
        return celu(x, 1.0);
    }

    /**
     * {@code max(x, 0) + alpha expm1(min(x, 0) / alpha)}: derivative 1 at 0 (half from each tie).
     *
     * {@snippet lang=java :
     * Nn.celu(Array.of(-100.0, 2.0), 0.5)   // Array(float64[2], [-0.5,  2.0])
     * }
     */
    public static Array celu(Array x, double alpha) {
        return Jnp.add(Jnp.maximum(x, 0.0), Jnp.multiply(Jnp.expm1(Jnp.divide(Jnp.minimum(x, 0.0), alpha)), alpha));
    }

    /**
     * SELU: {@code scale * elu(x, alpha)} with the self-normalising constants.
     *
     * {@snippet lang=java :
     * Nn.selu(Array.of(-1.0, 1.0))   // Array(float64[2], [-1.11133074,  1.05070099])
     * }
     */
    public static Array selu(Array x) {
        double alpha = 1.6732632423543772848170429916717;
        double scale = 1.0507009873554804934193349852946;
        return Jnp.multiply(elu(x, alpha), scale);
    }

    /**
     * GELU in its tanh approximation (JAX's default).
     *
     * {@snippet lang=java :
     * Nn.gelu(Array.of(-1.0, 0.0, 1.0))   // Array(float64[3], [-0.15880801,  0.0       ,  0.84119199])
     * }
     */
    public static Array gelu(Array x) {
        return gelu(x, true);
    }

    /**
     * GELU: with {@code approximate}, {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}; otherwise the
     * exact {@code x/2 (1 + erf(x / sqrt 2))}, computed as JAX does as {@code x/2 erfc(-x / sqrt 2)}, which keeps
     * its relative accuracy in the negative tail (where {@code 1 + erf} cancels to 0).
     *
     * {@snippet lang=java :
     * Nn.gelu(Array.of(-1.0, 0.0, 1.0), false)   // Array(float64[3], [-0.15865525,  0.0       ,  0.84134475])
     * }
     */
    public static Array gelu(Array x, boolean approximate) {
        if (approximate) {
            Array inner = Jnp.multiply(Jnp.add(x, Jnp.multiply(Jnp.power(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
            return Jnp.multiply(x, Jnp.multiply(Jnp.add(Jnp.tanh(inner), 1.0), 0.5));
        }
        Array v = x.dtype().isFloating() ? x : Jnp.astype(x, DType.FLOAT64);
        return Jnp.multiply(Jnp.multiply(v, Lax.erfc(Jnp.multiply(v, -1 / Math.sqrt(2)))), 0.5);
    }

    /**
     * The logistic sigmoid {@code 1 / (1 + e^-x)}.
     *
     * {@snippet lang=java :
     * Nn.sigmoid(Array.of(0.0, 2.0))   // Array(float64[2], [0.5       , 0.88079708])
     * }
     */
    public static Array sigmoid(Array x) {
        return Lax.logistic(x.dtype().isFloating() ? x : Jnp.astype(x, DType.FLOAT64));
    }

    /**
     * {@code log(sigmoid(x)) = -softplus(-x)}, stable for large |x|.
     *
     * {@snippet lang=java :
     * Nn.logSigmoid(Array.of(0.0, -1000.0))   // Array(float64[2], [-6.93147181e-01, -1.00000000e+03])
     * }
     */
    public static Array logSigmoid(Array x) {
        return Jnp.negative(softplus(Jnp.negative(x)));
    }

    /**
     * SiLU (swish): {@code x sigmoid(x)}.
     *
     * {@snippet lang=java :
     * Nn.silu(Array.of(0.0, 2.0))   // Array(float64[2], [0.0       , 1.76159416])
     * }
     */
    public static Array silu(Array x) {
        return Jnp.multiply(x, sigmoid(x));
    }

    /**
     * {@code log(1 + e^x)}, computed stably, with a custom JVP {@code t e^(x - y)} (= sigmoid), as JAX's
     * logaddexp: derivative 0.5 and second derivative 0.25 at 0; {@code +inf} is read as 0 in that exponent,
     * so the derivative at {@code +inf} is 1 (not {@code inf - inf = NaN}), as in JAX.
     *
     * {@snippet lang=java :
     * Nn.softplus(Array.of(0.0, 1000.0))   // Array(float64[2], [6.93147181e-01, 1.00000000e+03])
     * }
     */
    public static Array softplus(Array x) {
        return SOFTPLUS.apply(x.dtype().isFloating() ? x : Jnp.astype(x, DType.FLOAT64));
    }

    /**
     * {@code where(x > 1, 1, where(x < -1, -1, x))}: derivative 1 at both kinks.
     *
     * {@snippet lang=java :
     * Nn.hardTanh(Array.of(-3.0, 0.5, 3.0))   // Array(float64[3], [-1.0,  0.5,  1.0])
     * }
     */
    public static Array hardTanh(Array x) {
        return Jnp.where(Jnp.greater(x, 1.0), Jnp.onesLike(x),
                Jnp.where(Jnp.less(x, -1.0), Jnp.negative(Jnp.onesLike(x)), x));
    }

    /**
     * {@code relu6(x + 3) / 6}: derivative 0 at -3 and 3.
     *
     * {@snippet lang=java :
     * Nn.hardSigmoid(Array.of(-4.0, 0.0, 4.0))   // Array(float64[3], [0.0, 0.5, 1.0])
     * }
     */
    public static Array hardSigmoid(Array x) {
        return Jnp.divide(relu6(Jnp.add(x, 3.0)), 6.0);
    }

    /**
     * Softmax over the last axis.
     *
     * {@snippet lang=java :
     * Nn.softmax(Array.of(0.0, Math.log(3.0)))   // Array(float64[2], [0.25, 0.75])
     * }
     */
    public static Array softmax(Array x) {
        return softmax(x, -1);
    }

    /**
     * Softmax over an axis; the shift by the maximum is under stop-gradient, so derivatives are exact.
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {0, 0, 1000, 1000}, 2, 2);
     * Jnp.ravel(Nn.softmax(m, 0))   // Array(float64[4], [0.0, 0.0, 1.0, 1.0])
     * }
     */
    public static Array softmax(Array x, int axis) {
        int a = axis < 0 ? axis + x.ndim() : axis;
        Array e = Jnp.exp(Jnp.subtract(x, maxShift(x, new int[] {a})));
        return Jnp.divide(e, Jnp.sum(e, new int[] {a}, true));
    }

    /**
     * Log-softmax over the last axis.
     *
     * {@snippet lang=java :
     * Nn.logSoftmax(Array.of(0.0, 0.0))   // Array(float64[2], [-0.69314718, -0.69314718])
     * }
     */
    public static Array logSoftmax(Array x) {
        return logSoftmax(x, -1);
    }

    /**
     * {@code x - logsumexp(x)} over an axis, computed stably.
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {0, 0, 0, 0}, 2, 2);
     * Jnp.ravel(Jnp.exp(Nn.logSoftmax(m, 0)))   // Array(float64[4], [0.5, 0.5, 0.5, 0.5])
     * }
     */
    public static Array logSoftmax(Array x, int axis) {
        int a = axis < 0 ? axis + x.ndim() : axis;
        Array shifted = Jnp.subtract(x, maxShift(x, new int[] {a}));
        return Jnp.subtract(shifted, Jnp.log(Jnp.sum(Jnp.exp(shifted), new int[] {a}, true)));
    }

    /**
     * {@code log(sum(exp(x)))} over all axes.
     *
     * {@snippet lang=java :
     * Nn.logsumexp(Array.of(1000.0, 1000.0))   // 1000.69314718
     * }
     */
    public static Array logsumexp(Array x) {
        return logsumexp(x, new int[0], false);
    }

    /**
     * {@code log(sum(exp(x)))} over axes (all if empty). The maximum used as a shift is under stop-gradient
     * and replaced by 0 where it is not finite, so the gradient is exactly softmax(x).
     *
     * {@snippet lang=java :
     * Array m = Array.of(new double[] {0, 0, 1, 1}, 2, 2);
     * Nn.logsumexp(m, new int[] {1}, false)   // Array(float64[2], [0.69314718, 1.69314718])
     * }
     */
    public static Array logsumexp(Array x, int[] axes, boolean keepdims) {
        Array v = x.dtype().isFloating() ? x : Jnp.astype(x, DType.FLOAT64);
        int[] ax = axes.length == 0 ? java.util.stream.IntStream.range(0, v.ndim()).toArray() : axes;
        Array max = maxShift(v, ax);
        max = Jnp.where(Jnp.isfinite(max), max, Jnp.zerosLike(max));
        Array out = Jnp.add(Jnp.log(Jnp.sum(Jnp.exp(Jnp.subtract(v, max)), ax, true)), max);
        return keepdims ? out : Jnp.reshape(out, reducedShape(v.shape(), ax));
    }

    /**
     * The maximum over axes, kept as size 1 and under stop-gradient: the shift that keeps exp finite. Over an
     * empty axis it is -inf, as JAX's max with {@code initial=-inf} gives, so empty inputs give empty softmaxes
     * and a logsumexp of -inf (log of an empty sum).
     */
    private static Array maxShift(Array x, int[] axes) {
        int[] kept = x.shape().clone();
        boolean empty = false;
        for (int a : axes) {
            int k = a < 0 ? a + kept.length : a;
            if (k < 0 || k >= kept.length) {
                break; // Jnp.max names the bad axis
            }
            empty |= kept[k] == 0;
            kept[k] = 1;
        }
        // the maximum of the stopped x (not the stopped maximum of x): the same values, and no derivative of the
        // maximum is worked out only to be dropped
        return empty ? Jnp.full(x.dtype(), Double.NEGATIVE_INFINITY, kept) : Jnp.max(Lax.stopGradient(x), axes, true);
    }

    private static int[] reducedShape(int[] shape, int[] axes) {
        return java.util.stream.IntStream.range(0, shape.length)
                .filter(i -> java.util.Arrays.stream(axes).noneMatch(a -> (a < 0 ? a + shape.length : a) == i))
                .map(i -> shape[i]).toArray();
    }

    /**
     * One-hot encoding of integer labels along a new last axis of length {@code numClasses}, in the
     * {@linkplain Solstice#defaultFloat() default float dtype}. To meet float32 logits without promoting them,
     * use {@link #oneHot(Array, int, Array)}: {@code Nn.oneHot(labels, 10, logits)}.
     *
     * {@snippet lang=java :
     * Nn.oneHot(Array.of(2, 0), 3)   // float64[2,3]
     * Jnp.ravel(Nn.oneHot(Array.of(2, 0), 3))   // Array(float64[6], [0.0, 0.0, 1.0, 1.0, 0.0, 0.0])
     * }
     */
    public static Array oneHot(Array labels, int numClasses) {
        return oneHot(labels, numClasses, Solstice.defaultFloat());
    }

    /**
     * One-hot encoding in the dtype of the array it will meet: {@code like}'s dtype if floating, else the
     * default float dtype. {@code Nn.oneHot(labels, 10, logits)} with float32 logits is float32, so the loss and
     * its gradient stay float32.
     *
     * {@snippet lang=java :
     * Array logits = Jnp.zeros(DType.FLOAT32, 2, 3);
     * Nn.oneHot(Array.of(1, 2), 3, logits).dtype()   // float32
     * }
     */
    public static Array oneHot(Array labels, int numClasses, Array like) {
        return oneHot(labels, numClasses, like.dtype().isFloating() ? like.dtype() : Solstice.defaultFloat());
    }

    /**
     * One-hot encoding in a given dtype; labels outside {@code [0, numClasses)} give all zeros.
     *
     * {@snippet lang=java :
     * Nn.oneHot(Array.of(1, 5), 3, DType.INT32)   // int32[2,3]
     * Jnp.ravel(Nn.oneHot(Array.of(1, 5), 3, DType.INT32))   // Array(int32[6], [0, 1, 0, 0, 0, 0])
     * }
     */
    public static Array oneHot(Array labels, int numClasses, DType dtype) {
        Array l = Jnp.expandDims(labels, -1);
        Array classes = Lax.iota(labels.dtype() == DType.INT32 ? DType.INT32 : labels.dtype(), new int[] {numClasses}, 0);
        return Jnp.astype(Jnp.equal(l, classes), dtype);
    }
}
