package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Nn;
import java.util.Arrays;

/**
 * Loss functions with Optax's names and numerics ({@code optax.losses}). Each returns the loss <b>per example</b>
 * and takes no mean: a classification loss reduces the last axis, the class axis ({@code [..., classes] -> [...]});
 * an elementwise loss keeps the predictions' shape; {@link #ctcLoss} gives one value a sequence. Take
 * {@code Jnp.mean} of the result for a batch loss.
 *
 * <p>The result has the dtype of the first argument (logits or predictions), which must be floating; the second
 * (labels or targets) is converted to it, so float32 logits give a float32 loss and float32 gradients whatever
 * the labels' dtype. The second argument must have the first's shape or broadcast to it (NumPy's rules), except
 * where a method says otherwise. Everything is written with differentiable primitives: gradients and Hessians
 * are exact to rounding, and the classification losses stay finite, with finite gradients, at logits of any
 * size (log-softmax and log-sigmoid forms, as Optax).
 *
 * <p>Bad input (non-floating logits, shapes that do not fit, non-int32 integer labels) raises an
 * {@link IllegalArgumentException} naming the loss and the shapes and dtypes involved, for example
 * {@code Losses.softmaxCrossEntropy: labels float32[3,4] do not fit logits float32[3,5] ...}.
 *
 * {@snippet lang=java :
 * Array logits = Array.of(new float[] {1.2f, -0.8f, -0.5f, 0.9f, -1.2f, 1.1f}, 2, 3);
 * Array loss = Losses.softmaxCrossEntropyWithIntegerLabels(logits, Array.of(0, 1));
 * loss   // Array(float32[2], [0.2761297, 2.951799 ])
 * Jnp.mean(loss)   // 1.6139643
 * }
 */
public final class Losses {
    private Losses() {}

    // ---- classification --------------------------------------------------------------------------------------

    /**
     * {@code optax.softmax_cross_entropy}: {@code -sum(labels * log_softmax(logits), -1)}, for labels that are
     * probability distributions over the last axis (one-hot or smoothed). Shape {@code [...]}.
     *
     * {@snippet lang=java :
     * Array logits = Array.of(new double[] {2, 0, 0, 0, 0, 0}, 2, 3);
     * Array labels = Array.of(new double[] {1, 0, 0, 0.5, 0.5, 0}, 2, 3);
     * Losses.softmaxCrossEntropy(logits, labels)   // Array(float64[2], [0.23954477, 1.09861229])
     * }
     *
     * @param logits unnormalised log probabilities {@code [..., classes]}
     * @param labels {@code [..., classes]} (or broadcasting to it), converted to the logits' dtype
     */
    public static Array softmaxCrossEntropy(Array logits, Array labels) {
        Array y = second("softmaxCrossEntropy", "logits", logits, "labels", labels, true);
        return Jnp.negative(Jnp.sum(Jnp.multiply(y, Nn.logSoftmax(logits)), -1));
    }

    /**
     * {@code optax.softmax_cross_entropy_with_integer_labels}: {@code logsumexp(logits) - logits[label]} over the
     * last axis, computed as Optax does from logits shifted by their (stopped) maximum, so large logits lose no
     * precision. Shape {@code [...]}. A label outside {@code [0, classes)} gives NaN (as JAX's take-along-axis
     * fills out-of-range reads), so bad data shows rather than training silently on a clamped class.
     *
     * {@snippet lang=java :
     * Array logits = Array.of(new double[] {2, 0, 0, 0, 0, 0}, 2, 3);
     * Losses.softmaxCrossEntropyWithIntegerLabels(logits, Array.of(0, 2))   // Array(float64[2], [0.23954477, 1.09861229])
     * Losses.softmaxCrossEntropyWithIntegerLabels(logits, Array.of(0, 3))   // Array(float64[2], [0.23954477,        nan])
     * }
     *
     * @param logits unnormalised log probabilities {@code [..., classes]}
     * @param labels class indices of any integer dtype (int8, uint8, int32, uint32, int64, as JAX accepts), of shape
     *     {@code [...]} (the logits' shape without the last axis)
     */
    public static Array softmaxCrossEntropyWithIntegerLabels(Array logits, Array labels) {
        String op = "softmaxCrossEntropyWithIntegerLabels";
        requireFloating(op, "logits", logits, labels);
        requireClassAxis(op, "logits", logits);
        int[] batch = Arrays.copyOf(logits.shape(), logits.ndim() - 1);
        if (!labels.dtype().isInteger() || !Arrays.equals(labels.shape(), batch)) {
            throw new IllegalArgumentException(prefix(op) + "labels must be integers (of any integer dtype) of the"
                    + " logits' shape without the class axis, such as int32" + Arrays.toString(batch).replace(" ", "")
                    + ", got labels "
                    + labels.aval().str() + " for logits " + logits.aval().str());
        }
        int classes = logits.shape()[logits.ndim() - 1];
        // any integer dtype, as JAX: the range test in int64 (exact for every integer type), the gather in int32
        Array wide = Jnp.astype(labels, DType.INT64);
        Array inRange = Jnp.logicalAnd(Jnp.greaterEqual(wide, Jnp.zerosLike(wide)),
                Jnp.less(wide, Jnp.full(DType.INT64, classes)));
        Array index = Jnp.astype(Jnp.where(inRange, wide, Jnp.zerosLike(wide)), DType.INT32);
        Array shifted = Jnp.subtract(logits, Jnp.max(Lax.stopGradient(logits), new int[] {-1}, true));
        Array labelLogits = Jnp.squeeze(Lax.takeAlongAxis(shifted, Jnp.expandDims(index, -1), -1), -1);
        Array loss = Jnp.subtract(Jnp.log(Jnp.sum(Jnp.exp(shifted), -1)), labelLogits);
        return Jnp.where(inRange, loss, Double.NaN);
    }

    /**
     * {@code optax.sigmoid_binary_cross_entropy}: {@code -labels log_sigmoid(logits) - (1 - labels)
     * log_sigmoid(-logits)} elementwise, each log-sigmoid computed as {@code -softplus(-x)}, finite at any logit.
     * Shape: the logits'.
     *
     * {@snippet lang=java :
     * Losses.sigmoidBinaryCrossEntropy(Array.of(0.0, -1000.0), Array.of(1.0, 1.0))   // Array(float64[2], [6.93147181e-01, 1.00000000e+03])
     * }
     *
     * @param logits one logit per binary prediction
     * @param labels targets in {@code [0, 1]} (or broadcasting to the logits' shape), converted to their dtype
     */
    public static Array sigmoidBinaryCrossEntropy(Array logits, Array labels) {
        Array y = second("sigmoidBinaryCrossEntropy", "logits", logits, "labels", labels, false);
        Array positive = Jnp.multiply(y, Nn.logSigmoid(logits));
        Array negative = Jnp.multiply(Jnp.subtract(1.0, y), Nn.logSigmoid(Jnp.negative(logits)));
        return Jnp.negative(Jnp.add(positive, negative));
    }

    /**
     * {@code optax.hinge_loss}: {@code max(0, 1 - predictions * targets)} elementwise, for targets in
     * {@code {-1, 1}}. At the kink (a margin of exactly 1) the derivative is half of {@code -targets}, as JAX's
     * maximum splits ties.
     *
     * {@snippet lang=java :
     * Losses.hingeLoss(Array.of(0.5, 2.0, -0.5), Array.of(1.0, 1.0, 1.0))   // Array(float64[3], [0.5, 0.0, 1.5])
     * }
     */
    public static Array hingeLoss(Array predictions, Array targets) {
        Array t = second("hingeLoss", "predictions", predictions, "targets", targets, false);
        return Jnp.maximum(Jnp.subtract(1.0, Jnp.multiply(predictions, t)), 0.0);
    }

    /**
     * {@code optax.kl_divergence}: {@code sum(targets * (log(targets) - logPredictions), -1)}, with
     * {@code 0 log 0 = 0}. The log's argument is replaced by 1 where a target is 0 (the "double where"), so the
     * gradient with respect to the targets is finite there too (Optax's is NaN). Shape {@code [...]}.
     *
     * {@snippet lang=java :
     * Array logP = Jnp.log(Array.of(0.5, 0.5));
     * Losses.klDivergence(logP, Array.of(0.5, 0.5))   // 0.0
     * Losses.klDivergence(logP, Array.of(1.0, 0.0))   // 0.69314718
     * }
     *
     * @param logPredictions log probabilities {@code [..., classes]}
     * @param targets probabilities {@code [..., classes]} (or broadcasting to it)
     */
    public static Array klDivergence(Array logPredictions, Array targets) {
        Array t = second("klDivergence", "logPredictions", logPredictions, "targets", targets, true);
        Array zero = Jnp.equal(t, 0.0);
        Array logTargets = Jnp.where(zero, 0.0, Jnp.log(Jnp.where(zero, 1.0, t)));
        return Jnp.sum(Jnp.multiply(t, Jnp.subtract(logTargets, logPredictions)), -1);
    }

    /**
     * {@code optax.kl_divergence_with_log_targets}: {@code sum(exp(logTargets) * (logTargets - logPredictions), -1)}.
     * Shape {@code [...]}.
     *
     * {@snippet lang=java :
     * Array logP = Jnp.log(Array.of(0.5, 0.5));
     * Losses.klDivergenceWithLogTargets(logP, Jnp.log(Array.of(0.25, 0.75)))   // 0.13081204
     * }
     */
    public static Array klDivergenceWithLogTargets(Array logPredictions, Array logTargets) {
        Array t = second("klDivergenceWithLogTargets", "logPredictions", logPredictions, "logTargets", logTargets, true);
        return Jnp.sum(Jnp.multiply(Jnp.exp(t), Jnp.subtract(t, logPredictions)), -1);
    }

    /**
     * {@link #ctcLoss(Array, Array, Array, Array, int, double)} with blank class 0 and {@code logEpsilon = -1e5}, Optax's defaults.
     *
     * {@snippet lang=java :
     * Array logits = Jnp.zeros(1, 2, 2);   // one sequence, 2 frames, blank + 1 class, uniform
     * Array labels = Array.of(new int[] {1}, 1, 1);
     * Losses.ctcLoss(logits, Jnp.zeros(1, 2), labels, Jnp.zeros(1, 1))   // Array(float64[1], [0.28768207])
     * }
     */
    public static Array ctcLoss(Array logits, Array logitPaddings, Array labels, Array labelPaddings) {
        return ctcLoss(logits, logitPaddings, labels, labelPaddings, 0, -1e5);
    }

    /**
     * {@code optax.ctc_loss}: the connectionist temporal classification loss, {@code -log} of the total
     * probability of the alignments of each label sequence (blanks and repeats collapsed), from the forward
     * recursion (one {@link Lax#scan} step a frame, so it is differentiable to any order and runs under jit).
     * Shape {@code [B]}. A label sequence no alignment fits in the frames gives about {@code -logEpsilon}, finite.
     *
     * {@snippet lang=java :
     * Array logits = Jnp.zeros(1, 3, 3);   // one sequence, 3 frames, 3 classes, uniform
     * Array labels = Array.of(new int[] {0, 1, 0}, 1, 3);
     * Array labelPaddings = Array.of(new double[] {0, 0, 1}, 1, 3);   // labels [0, 1]
     * Losses.ctcLoss(logits, Jnp.zeros(1, 3), labels, labelPaddings, 2, -1e5)   // Array(float64[1], [1.68639895])
     * }
     *
     * @param logits {@code [B, T, K]}, K classes counting the blank
     * @param logitPaddings {@code [B, T]}: 1 marks a padded frame (skipped), 0 a real one
     * @param labels integers {@code [B, N]} (any integer dtype), right-padded
     * @param labelPaddings {@code [B, N]}: 1 marks a padded label; each row is zeros then ones
     * @param blankId the blank class
     * @param logEpsilon what stands for {@code log(0)}
     */
    public static Array ctcLoss(Array logits, Array logitPaddings, Array labels, Array labelPaddings, int blankId,
            double logEpsilon) {
        return Ctc.loss(logits, logitPaddings, labels, labelPaddings, blankId, logEpsilon);
    }

    // ---- regression ------------------------------------------------------------------------------------------

    /**
     * {@code optax.squared_error} against zero: {@code predictions^2} elementwise.
     *
     * {@snippet lang=java :
     * Losses.squaredError(Array.of(-2.0, 0.5))   // Array(float64[2], [4.0 , 0.25])
     * }
     */
    public static Array squaredError(Array predictions) {
        requireFloating("squaredError", "predictions", predictions, null);
        return Jnp.square(predictions);
    }

    /**
     * {@code optax.squared_error}: {@code (predictions - targets)^2} elementwise; its mean is the MSE.
     *
     * {@snippet lang=java :
     * Losses.squaredError(Array.of(1.0, 2.0), Array.of(3.0, 2.5))   // Array(float64[2], [4.0 , 0.25])
     * }
     */
    public static Array squaredError(Array predictions, Array targets) {
        return Jnp.square(errors("squaredError", predictions, targets));
    }

    /**
     * {@code optax.l2_loss} against zero: {@code 0.5 predictions^2}.
     *
     * {@snippet lang=java :
     * Losses.l2Loss(Array.of(-2.0, 1.0))   // Array(float64[2], [2.0, 0.5])
     * }
     */
    public static Array l2Loss(Array predictions) {
        return Jnp.multiply(squaredError(predictions), 0.5);
    }

    /**
     * {@code optax.l2_loss}: {@code 0.5 (predictions - targets)^2} elementwise (Bishop's half).
     *
     * {@snippet lang=java :
     * Losses.l2Loss(Array.of(1.0, 2.0), Array.of(3.0, 2.5))   // Array(float64[2], [2.0  , 0.125])
     * }
     */
    public static Array l2Loss(Array predictions, Array targets) {
        return Jnp.multiply(Jnp.square(errors("l2Loss", predictions, targets)), 0.5);
    }

    /**
     * {@link #huberLoss(Array, Array, double)} with {@code delta = 1}.
     *
     * {@snippet lang=java :
     * Losses.huberLoss(Array.of(0.5, 3.0), Array.of(0.0, 0.0))   // Array(float64[2], [0.125, 2.5  ])
     * }
     */
    public static Array huberLoss(Array predictions, Array targets) {
        return huberLoss(predictions, targets, 1.0);
    }

    /**
     * {@code optax.huber_loss}: with {@code e = |predictions - targets|}, {@code 0.5 e^2} where {@code e <= delta}
     * and {@code 0.5 delta^2 + delta (e - delta)} beyond, computed as Optax from {@code q = min(e, delta)}:
     * {@code 0.5 q^2 + delta (e - q)}, so the gradient is the error clipped to {@code [-delta, delta]}.
     *
     * {@snippet lang=java :
     * Losses.huberLoss(Array.of(0.5, 3.0), Array.of(0.0, 0.0), 2.0)   // Array(float64[2], [0.125, 4.0  ])
     * Losses.huberLoss(Array.of(0.5), Array.of(0.0), 0.0)   // throws IllegalArgumentException
     * }
     *
     * @param delta where the quadratic part ends, greater than 0
     */
    public static Array huberLoss(Array predictions, Array targets, double delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException(prefix("huberLoss") + "delta must be greater than 0, got " + delta);
        }
        Array e = Jnp.abs(errors("huberLoss", predictions, targets));
        Array quadratic = Jnp.minimum(e, delta);
        return Jnp.add(Jnp.multiply(Jnp.square(quadratic), 0.5), Jnp.multiply(Jnp.subtract(e, quadratic), delta));
    }

    /**
     * {@code optax.log_cosh} against zero.
     *
     * {@snippet lang=java :
     * Losses.logCosh(Array.of(0.0, 1.0, 100.0))   // Array(float64[3], [ 0.0       ,  0.43378083, 99.30685282])
     * }
     */
    public static Array logCosh(Array predictions) {
        requireFloating("logCosh", "predictions", predictions, null);
        return logCoshOf(predictions);
    }

    /**
     * {@code optax.log_cosh}: {@code log(cosh(predictions - targets))} elementwise, about {@code e^2 / 2} for small
     * errors and {@code |e| - log 2} for large ones; finite for any error. Twice differentiable everywhere
     * (second derivative 1 at 0).
     *
     * {@snippet lang=java :
     * Losses.logCosh(Array.of(1.0, 3.0), Array.of(1.0, 2.0))   // Array(float64[2], [0.0       , 0.43378083])
     * }
     */
    public static Array logCosh(Array predictions, Array targets) {
        return logCoshOf(errors("logCosh", predictions, targets));
    }

    /**
     * {@code log(e^e + e^-e) - log 2} (Optax's {@code logaddexp(e, -e) - log 2}) as {@code e + softplus(-2e) - log 2}:
     * the same value ({@code |e| + log1p(exp(-2|e|))}), and softplus's smooth derivative gives {@code tanh(e)}
     * and {@code 1 - tanh^2(e)} at every point, 0 included.
     */
    private static Array logCoshOf(Array e) {
        return Jnp.subtract(Jnp.add(e, Nn.softplus(Jnp.multiply(e, -2.0))), Math.log(2.0));
    }

    /**
     * {@link #cosineSimilarity(Array, Array, double)} with {@code epsilon = 0}.
     *
     * {@snippet lang=java :
     * Losses.cosineSimilarity(Array.of(1.0, 0.0), Array.of(3.0, 3.0))   // 0.70710678
     * }
     */
    public static Array cosineSimilarity(Array predictions, Array targets) {
        return cosineSimilarity(predictions, targets, 0.0);
    }

    /**
     * {@code optax.cosine_similarity}: {@code sum(a/|a| * b/|b|, -1)} over the last axis, where each squared norm
     * is first clipped to at least {@code epsilon} (as Optax: the squared norms, so the smallest norm used is
     * {@code sqrt(epsilon)}). Shape {@code [...]}. With {@code epsilon = 0}, a zero vector gives NaN.
     *
     * {@snippet lang=java :
     * Losses.cosineSimilarity(Array.of(0.0, 0.0), Array.of(1.0, 0.0), 1e-8)   // 0.0
     * Losses.cosineSimilarity(Array.of(2.0, 0.0), Array.of(1.0, 0.0), 1e-8)   // 1.0
     * }
     *
     * @param epsilon the smallest squared norm used in the denominators, at least 0
     */
    public static Array cosineSimilarity(Array predictions, Array targets, double epsilon) {
        String op = "cosineSimilarity";
        Array b = second(op, "predictions", predictions, "targets", targets, true);
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException(prefix(op) + "epsilon must be at least 0, got " + epsilon);
        }
        return Jnp.sum(Jnp.multiply(unit(predictions, epsilon), unit(b, epsilon)), -1);
    }

    /**
     * {@link #cosineDistance(Array, Array, double)} with {@code epsilon = 0}.
     *
     * {@snippet lang=java :
     * Losses.cosineDistance(Array.of(1.0, 0.0), Array.of(0.0, 5.0))   // 1.0
     * }
     */
    public static Array cosineDistance(Array predictions, Array targets) {
        return cosineDistance(predictions, targets, 0.0);
    }

    /**
     * {@code optax.cosine_distance}: {@code 1 - cosineSimilarity(predictions, targets, epsilon)}. Shape {@code [...]}.
     *
     * {@snippet lang=java :
     * Losses.cosineDistance(Array.of(1.0, 1.0), Array.of(2.0, 2.0), 1e-12)   // 2.22044605e-16
     * }
     */
    public static Array cosineDistance(Array predictions, Array targets, double epsilon) {
        return Jnp.subtract(1.0, cosineSimilarity(predictions, targets, epsilon));
    }

    /** {@code x / sqrt(max(sum(x^2, -1), epsilon))}, the norm kept as a length-1 last axis. */
    private static Array unit(Array x, double epsilon) {
        Array norm2 = Jnp.sum(Jnp.square(x), new int[] {-1}, true);
        return Jnp.divide(x, Jnp.sqrt(Jnp.maximum(norm2, epsilon)));
    }

    // ---- checks ----------------------------------------------------------------------------------------------

    /** {@code predictions - targets} after the checks every regression loss makes. */
    private static Array errors(String op, Array predictions, Array targets) {
        return Jnp.subtract(predictions, second(op, "predictions", predictions, "targets", targets, false));
    }

    /**
     * The second operand of a loss, checked against the first (floating; the second broadcasts to its shape;
     * a class axis where the loss reduces one) and converted to its dtype.
     */
    private static Array second(String op, String firstName, Array first, String secondName, Array second,
            boolean reducesLastAxis) {
        requireFloating(op, firstName, first, second);
        if (reducesLastAxis) {
            requireClassAxis(op, firstName, first);
        }
        boolean fits;
        try {
            fits = Arrays.equals(Jnp.broadcastShapes(op, first.shape(), second.shape()), first.shape());
        } catch (IllegalArgumentException e) {
            fits = false;
        }
        if (!fits) {
            throw new IllegalArgumentException(prefix(op) + secondName + " " + second.aval().str() + " do not fit "
                    + firstName + " " + first.aval().str() + ": they must have its shape or broadcast to it");
        }
        return Jnp.astype(second, first.dtype());
    }

    private static void requireFloating(String op, String name, Array x, Array other) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(prefix(op) + name + " must be floating, got " + x.aval().str()
                    + (other == null ? "" : " (with " + other.aval().str() + ")"));
        }
    }

    private static void requireClassAxis(String op, String name, Array x) {
        if (x.ndim() == 0) {
            throw new IllegalArgumentException(prefix(op) + name + " must have a last (class) axis, got the scalar "
                    + x.aval().str());
        }
    }

    private static String prefix(String op) {
        return "Losses." + op + ": ";
    }
}
