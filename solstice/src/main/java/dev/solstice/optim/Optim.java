package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.tree.KeyPath;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

/**
 * Optax's optimisers for Solstice, all under one name as Optax puts them at top level ({@code optax.adam},
 * {@code optax.chain}, {@code optax.scale_by_adam}): every method here is a one-line delegation to the small
 * class that holds it, laid out as Optax's modules are.
 *
 * <ul>
 *   <li>{@link Combine}: {@code chain}, {@code multiTransform};
 *   <li>{@link Masking}: {@code masked}, {@code trainOnly};
 *   <li>{@link Scaling}: {@code identity}, {@code setToZero}, {@code scale}, {@code scaleByLearningRate},
 *       {@code scaleBySchedule}, {@code addDecayedWeights};
 *   <li>{@link Clipping}: {@code clipByGlobalNorm}, {@code globalNorm};
 *   <li>{@link Momentum}: {@code trace}, {@code scaleByLion};
 *   <li>{@link AdaptiveScaling}: {@code scaleByAdam} (and Nesterov's), {@code scaleByRms}, {@code scaleByStddev},
 *       {@code scaleByRss};
 *   <li>{@link Accumulation}: {@code applyEvery}, {@code multiSteps};
 *   <li>{@link Aliases}: {@code sgd}, {@code adam}, {@code nadam}, {@code adamw}, {@code rmsprop}, {@code adagrad},
 *       {@code lion};
 *   <li>{@link Schedule}: the learning-rate schedules.
 * </ul>
 *
 * <p>Each optimiser follows Optax's published update rule and defaults, and is the chain of its building
 * blocks: {@code adam(lr) = chain(scaleByAdam(), scaleByLearningRate(lr))}. All transformations work on any
 * tree of float32 or float64 arrays (records, lists, maps); {@code null} leaves and subtrees are skipped (null
 * gradient, null update, state unchanged). Results keep each leaf's dtype. The state of every transformation
 * is a tree of arrays (step counts are int32 scalars). Updates are applied with
 * {@code Eqx.applyUpdates(params, updates)}.
 *
 * <p>The classes that own state types are sealed interfaces that only this class implements, so that
 * {@code Optim.ChainState}, {@code Optim.ScaleByAdamState} and the other state names keep naming the records
 * declared beside their transformations.
 */
public final class Optim implements Combine, Masking, Scaling, Momentum, AdaptiveScaling, Accumulation {
    private Optim() {}

    /**
     * Calls {@code t.update} with a state whose static type is lost (as {@code Object}), for code that holds
     * optimisers as {@code GradientTransformation<?>}; a state of another transformation gives a clear error.
     *
     * @param t the transformation
     * @param grads the gradients
     * @param state its state, as returned by {@code t.init} or an earlier update
     * @param params the parameters (or null when {@code t} does not read them)
     * @return the updates and the new state
     * @param <S> the state type
     */
    public static <S> Update<S> update(GradientTransformation<S> t, Object grads, Object state, Object params) {
        return Transforms.update(t, grads, state, params);
    }

    // ---- combinators (Combine) ----------------------------------------------------------------------------------
    /**
     * Transformations applied one after another (Optax's {@code chain}): {@link
     * Combine#chain(GradientTransformation...)}.
     */
    public static GradientTransformation<ChainState> chain(GradientTransformation<?>... transforms) {
        return Combine.chain(transforms);
    }

    /** A transformation per label (Optax's {@code multi_transform}): {@link Combine#multiTransform(Map, Object)}. */
    public static GradientTransformation<MultiTransformState> multiTransform(
            Map<String, ? extends GradientTransformation<?>> transforms, Object labels) {
        return Combine.multiTransform(transforms, labels);
    }

    /**
     * {@link Combine#multiTransform(Map, Object)} with the labels tree computed from the parameters (Optax's
     * {@code param_labels} given as a function): {@link Combine#multiTransform(Map, Function)}.
     */
    public static GradientTransformation<MultiTransformState> multiTransform(
            Map<String, ? extends GradientTransformation<?>> transforms, Function<Object, Object> labelsOf) {
        return Combine.multiTransform(transforms, labelsOf);
    }

    /**
     * {@link Combine#multiTransform(Map, Object)} with each array leaf labelled from its path and value, for
     * instance {@code (path, leaf) -> leaf.ndim() > 1 ? "weights" : "biases"}: {@link Combine#multiTransform(Map,
     * BiFunction)}.
     */
    public static GradientTransformation<MultiTransformState> multiTransform(
            Map<String, ? extends GradientTransformation<?>> transforms, BiFunction<KeyPath, Array, String> label) {
        return Combine.multiTransform(transforms, label);
    }

    // ---- masks (Masking) ----------------------------------------------------------------------------------------
    /**
     * Applies {@code inner} to the leaves a mask selects and passes the other updates through unchanged (Optax's
     * {@code masked}): {@link Masking#masked(GradientTransformation, Object)}.
     */
    public static <S> GradientTransformation<MaskedState> masked(GradientTransformation<S> inner, Object mask) {
        return Masking.masked(inner, mask);
    }

    /**
     * {@link Masking#masked} with the mask given by a test on each array leaf and its path (for instance {@code
     * (path, leaf) -> leaf.ndim() > 1} for weight matrices only): {@link Masking#masked(GradientTransformation,
     * BiPredicate)}.
     */
    public static <S> GradientTransformation<MaskedState> masked(GradientTransformation<S> inner,
            BiPredicate<KeyPath, Array> select) {
        return Masking.masked(inner, select);
    }

    /**
     * Trains only the leaves a mask selects (Equinox's "freeze parameters" pattern): {@link
     * Masking#trainOnly(GradientTransformation, Object)}.
     */
    public static <S> GradientTransformation<MaskedState> trainOnly(GradientTransformation<S> inner, Object mask) {
        return Masking.trainOnly(inner, mask);
    }

    /**
     * {@link Masking#trainOnly} with the trained leaves chosen by a test on each array leaf and its path: {@link
     * Masking#trainOnly(GradientTransformation, BiPredicate)}.
     */
    public static <S> GradientTransformation<MaskedState> trainOnly(GradientTransformation<S> inner,
            BiPredicate<KeyPath, Array> trainable) {
        return Masking.trainOnly(inner, trainable);
    }

    // ---- stateless building blocks (Scaling) --------------------------------------------------------------------
    /** Passes the updates through unchanged (Optax's {@code identity}): {@link Scaling#identity()}. */
    public static GradientTransformation<EmptyState> identity() {
        return Scaling.identity();
    }

    /**
     * Replaces every update by zeros of its shape and dtype (Optax's {@code set_to_zero}): {@link
     * Scaling#setToZero()}.
     */
    public static GradientTransformation<EmptyState> setToZero() {
        return Scaling.setToZero();
    }

    /** Multiplies every update by a constant (Optax's {@code scale}): {@link Scaling#scale(double)}. */
    public static GradientTransformation<EmptyState> scale(double stepSize) {
        return Scaling.scale(stepSize);
    }

    /**
     * Scales updates by minus the learning rate (Optax's {@code scale_by_learning_rate}), turning a descent
     * direction into a step: {@link Scaling#scaleByLearningRate(double)}.
     */
    public static GradientTransformation<EmptyState> scaleByLearningRate(double learningRate) {
        return Scaling.scaleByLearningRate(learningRate);
    }

    /** Scales updates by minus a scheduled learning rate: {@link Scaling#scaleByLearningRate(Schedule)}. */
    public static GradientTransformation<ScaleByScheduleState> scaleByLearningRate(Schedule learningRate) {
        return Scaling.scaleByLearningRate(learningRate);
    }

    /**
     * Multiplies updates by a scheduled factor read at the number of updates made so far (Optax's {@code
     * scale_by_schedule}): {@link Scaling#scaleBySchedule(Schedule)}.
     */
    public static GradientTransformation<ScaleByScheduleState> scaleBySchedule(Schedule factor) {
        return Scaling.scaleBySchedule(factor);
    }

    /**
     * Adds {@code weightDecay * params} to the updates (Optax's {@code add_decayed_weights}): {@link
     * Scaling#addDecayedWeights(double)}.
     */
    public static GradientTransformation<EmptyState> addDecayedWeights(double weightDecay) {
        return Scaling.addDecayedWeights(weightDecay);
    }

    /**
     * {@link Scaling#addDecayedWeights(double)} on the leaves a mask selects only (the others pass through):
     * {@link Scaling#addDecayedWeights(double, BiPredicate)}.
     */
    public static GradientTransformation<Masking.MaskedState> addDecayedWeights(double weightDecay,
            BiPredicate<KeyPath, Array> mask) {
        return Scaling.addDecayedWeights(weightDecay, mask);
    }

    // ---- clipping (Clipping) ------------------------------------------------------------------------------------
    /**
     * Rescales all updates together so that their global norm (the square root of the sum of every element's
     * square, over all leaves) is at most {@code maxNorm} (Optax's {@code clip_by_global_norm}): {@link
     * Clipping#clipByGlobalNorm(double)}.
     */
    public static GradientTransformation<Scaling.EmptyState> clipByGlobalNorm(double maxNorm) {
        return Clipping.clipByGlobalNorm(maxNorm);
    }

    /** The global norm of a tree: {@link Clipping#globalNorm(Object)}. */
    public static Array globalNorm(Object tree) {
        return Clipping.globalNorm(tree);
    }

    // ---- momentum (Momentum) ------------------------------------------------------------------------------------
    /** Momentum (Optax's {@code trace}): {@link Momentum#trace(double, boolean)}. */
    public static GradientTransformation<TraceState> trace(double decay, boolean nesterov) {
        return Momentum.trace(decay, nesterov);
    }

    /** Lion's scaling (Optax's {@code scale_by_lion}): {@link Momentum#scaleByLion(double, double)}. */
    public static GradientTransformation<ScaleByLionState> scaleByLion(double b1, double b2) {
        return Momentum.scaleByLion(b1, b2);
    }

    // ---- adaptive scaling (AdaptiveScaling) ---------------------------------------------------------------------
    /**
     * Adam's scaling (Optax's {@code scale_by_adam}) with Optax's defaults {@code b1 = 0.9}, {@code b2 = 0.999},
     * {@code eps = 1e-8}, {@code epsRoot = 0}: {@link AdaptiveScaling#scaleByAdam()}.
     */
    public static GradientTransformation<ScaleByAdamState> scaleByAdam() {
        return AdaptiveScaling.scaleByAdam();
    }

    /**
     * Adam's scaling (Optax's {@code scale_by_adam}): {@link AdaptiveScaling#scaleByAdam(double, double, double,
     * double)}.
     */
    public static GradientTransformation<ScaleByAdamState> scaleByAdam(double b1, double b2, double eps,
            double epsRoot) {
        return AdaptiveScaling.scaleByAdam(b1, b2, eps, epsRoot);
    }

    /**
     * Adam's scaling, optionally with Nesterov momentum (Optax's {@code scale_by_adam(..., nesterov)}, the scaling
     * of NAdam): {@link AdaptiveScaling#scaleByAdam(double, double, double, double, boolean)}.
     */
    public static GradientTransformation<ScaleByAdamState> scaleByAdam(double b1, double b2, double eps,
            double epsRoot, boolean nesterov) {
        return AdaptiveScaling.scaleByAdam(b1, b2, eps, epsRoot, nesterov);
    }

    /**
     * RMSProp's scaling (Optax's {@code scale_by_rms}): {@link AdaptiveScaling#scaleByRms(double, double,
     * double)}.
     */
    public static GradientTransformation<ScaleByRmsState> scaleByRms(double decay, double eps, double initialScale) {
        return AdaptiveScaling.scaleByRms(decay, eps, initialScale);
    }

    /**
     * Centred RMSProp's scaling (Optax's {@code scale_by_stddev}): {@link AdaptiveScaling#scaleByStddev(double,
     * double, double)}.
     */
    public static GradientTransformation<ScaleByStddevState> scaleByStddev(double decay, double eps,
            double initialScale) {
        return AdaptiveScaling.scaleByStddev(decay, eps, initialScale);
    }

    /** AdaGrad's scaling (Optax's {@code scale_by_rss}): {@link AdaptiveScaling#scaleByRss(double, double)}. */
    public static GradientTransformation<ScaleByRssState> scaleByRss(double initialAccumulatorValue, double eps) {
        return AdaptiveScaling.scaleByRss(initialAccumulatorValue, eps);
    }

    // ---- gradient accumulation (Accumulation) -------------------------------------------------------------------
    /**
     * Sums the updates of {@code k} consecutive steps and emits the sum on every {@code k}-th, zeros on the others
     * (Optax's {@code apply_every}): {@link Accumulation#applyEvery(int)}.
     */
    public static GradientTransformation<ApplyEveryState> applyEvery(int k) {
        return Accumulation.applyEvery(k);
    }

    /**
     * Steps {@code opt} once every {@code k} calls on the mean of the {@code k} gradients, and emits zero updates
     * in between (Optax's {@code MultiSteps(opt, every_k_schedule=k)}): {@link
     * Accumulation#multiSteps(GradientTransformation, int)}.
     */
    public static <S> GradientTransformation<MultiStepsState> multiSteps(GradientTransformation<S> opt, int k) {
        return Accumulation.multiSteps(opt, k);
    }

    /**
     * Optax's {@code MultiSteps} with every option: {@link Accumulation#multiSteps(GradientTransformation,
     * IntUnaryOperator, boolean)}.
     */
    public static <S> GradientTransformation<MultiStepsState> multiSteps(GradientTransformation<S> opt,
            IntUnaryOperator everyK, boolean useGradMean) {
        return Accumulation.multiSteps(opt, everyK, useGradMean);
    }

    /**
     * Whether the last update of a {@link Accumulation#multiSteps} transformation stepped the wrapped optimiser
     * (Optax's {@code MultiSteps.has_updated}): {@link Accumulation#hasUpdated(MultiStepsState)}.
     */
    public static boolean hasUpdated(MultiStepsState state) {
        return Accumulation.hasUpdated(state);
    }

    // ---- optimisers (Aliases) -----------------------------------------------------------------------------------
    /** Stochastic gradient descent: {@link Aliases#sgd(double)}. */
    public static GradientTransformation<ChainState> sgd(double learningRate) {
        return Aliases.sgd(learningRate);
    }

    /**
     * SGD with (optionally Nesterov) momentum (Optax's {@code sgd}): {@link Aliases#sgd(double, double, boolean)}.
     */
    public static GradientTransformation<ChainState> sgd(double learningRate, double momentum, boolean nesterov) {
        return Aliases.sgd(learningRate, momentum, nesterov);
    }

    /**
     * {@link Aliases#sgd(double, double, boolean)} with a learning-rate schedule: {@link Aliases#sgd(Schedule,
     * double, boolean)}.
     */
    public static GradientTransformation<ChainState> sgd(Schedule learningRate, double momentum, boolean nesterov) {
        return Aliases.sgd(learningRate, momentum, nesterov);
    }

    /**
     * Adam with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.999}, {@code eps = 1e-8}): {@link
     * Aliases#adam(double)}.
     */
    public static GradientTransformation<ChainState> adam(double learningRate) {
        return Aliases.adam(learningRate);
    }

    /** Adam (Optax's {@code adam}): {@link Aliases#adam(double, double, double, double)}. */
    public static GradientTransformation<ChainState> adam(double learningRate, double b1, double b2, double eps) {
        return Aliases.adam(learningRate, b1, b2, eps);
    }

    /** Adam with a learning-rate schedule and Optax's default moments: {@link Aliases#adam(Schedule)}. */
    public static GradientTransformation<ChainState> adam(Schedule learningRate) {
        return Aliases.adam(learningRate);
    }

    /**
     * NAdam, Adam with Nesterov momentum, with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.999}, {@code eps
     * = 1e-8}): {@link Aliases#nadam(double)}.
     */
    public static GradientTransformation<ChainState> nadam(double learningRate) {
        return Aliases.nadam(learningRate);
    }

    /** NAdam (Optax's {@code nadam}): {@link Aliases#nadam(double, double, double, double)}. */
    public static GradientTransformation<ChainState> nadam(double learningRate, double b1, double b2, double eps) {
        return Aliases.nadam(learningRate, b1, b2, eps);
    }

    /** NAdam with a learning-rate schedule and Optax's default moments: {@link Aliases#nadam(Schedule)}. */
    public static GradientTransformation<ChainState> nadam(Schedule learningRate) {
        return Aliases.nadam(learningRate);
    }

    /**
     * AdamW with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.999}, {@code eps = 1e-8}, {@code weightDecay =
     * 1e-4}): {@link Aliases#adamw(double)}.
     */
    public static GradientTransformation<ChainState> adamw(double learningRate) {
        return Aliases.adamw(learningRate);
    }

    /**
     * AdamW, Adam with decoupled weight decay (Optax's {@code adamw}, no mask): {@link Aliases#adamw(double,
     * double, double, double, double)}.
     */
    public static GradientTransformation<ChainState> adamw(double learningRate, double b1, double b2, double eps,
            double weightDecay) {
        return Aliases.adamw(learningRate, b1, b2, eps, weightDecay);
    }

    /**
     * AdamW with a learning-rate schedule (the decay is scaled by the scheduled rate too, as Optax): {@link
     * Aliases#adamw(Schedule, double)}.
     */
    public static GradientTransformation<ChainState> adamw(Schedule learningRate, double weightDecay) {
        return Aliases.adamw(learningRate, weightDecay);
    }

    /**
     * AdamW whose weight decay applies only to the leaves a mask selects (Optax's {@code adamw} with {@code
     * mask}): {@link Aliases#adamw(double, double, BiPredicate)}.
     */
    public static GradientTransformation<ChainState> adamw(double learningRate, double weightDecay,
            BiPredicate<KeyPath, Array> decayMask) {
        return Aliases.adamw(learningRate, weightDecay, decayMask);
    }

    /**
     * RMSProp with Optax's defaults ({@code decay = 0.9}, {@code eps = 1e-8}, no momentum): {@link
     * Aliases#rmsprop(double)}.
     */
    public static GradientTransformation<ChainState> rmsprop(double learningRate) {
        return Aliases.rmsprop(learningRate);
    }

    /**
     * RMSProp (Optax's {@code rmsprop}, not centred, initial scale 0): {@link Aliases#rmsprop(double, double,
     * double, double, boolean)}.
     */
    public static GradientTransformation<ChainState> rmsprop(double learningRate, double decay, double eps,
            double momentum, boolean nesterov) {
        return Aliases.rmsprop(learningRate, decay, eps, momentum, nesterov);
    }

    /**
     * RMSProp with every Optax option but the initial scale (which is 0): {@link Aliases#rmsprop(Schedule, double,
     * double, boolean, double, boolean)}.
     */
    public static GradientTransformation<ChainState> rmsprop(Schedule learningRate, double decay, double eps,
            boolean centered, double momentum, boolean nesterov) {
        return Aliases.rmsprop(learningRate, decay, eps, centered, momentum, nesterov);
    }

    /**
     * Centred or plain RMSProp with a constant learning rate: {@link Aliases#rmsprop(double, double, double,
     * boolean, double, boolean)}.
     */
    public static GradientTransformation<ChainState> rmsprop(double learningRate, double decay, double eps,
            boolean centered, double momentum, boolean nesterov) {
        return Aliases.rmsprop(learningRate, decay, eps, centered, momentum, nesterov);
    }

    /**
     * AdaGrad with Optax's defaults ({@code initialAccumulatorValue = 0.1}, {@code eps = 1e-7}): {@link
     * Aliases#adagrad(double)}.
     */
    public static GradientTransformation<ChainState> adagrad(double learningRate) {
        return Aliases.adagrad(learningRate);
    }

    /** AdaGrad (Optax's {@code adagrad}): {@link Aliases#adagrad(double, double, double)}. */
    public static GradientTransformation<ChainState> adagrad(double learningRate, double initialAccumulatorValue,
            double eps) {
        return Aliases.adagrad(learningRate, initialAccumulatorValue, eps);
    }

    /** AdaGrad with a learning-rate schedule and Optax's defaults: {@link Aliases#adagrad(Schedule)}. */
    public static GradientTransformation<ChainState> adagrad(Schedule learningRate) {
        return Aliases.adagrad(learningRate);
    }

    /**
     * Lion with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.99}, {@code weightDecay = 1e-3}): {@link
     * Aliases#lion(double)}.
     */
    public static GradientTransformation<ChainState> lion(double learningRate) {
        return Aliases.lion(learningRate);
    }

    /** Lion (Optax's {@code lion}): {@link Aliases#lion(double, double, double, double)}. */
    public static GradientTransformation<ChainState> lion(double learningRate, double b1, double b2,
            double weightDecay) {
        return Aliases.lion(learningRate, b1, b2, weightDecay);
    }

    /**
     * Lion with a learning-rate schedule (the decay is scaled by the scheduled rate too): {@link
     * Aliases#lion(Schedule, double, double, double)}.
     */
    public static GradientTransformation<ChainState> lion(Schedule learningRate, double b1, double b2,
            double weightDecay) {
        return Aliases.lion(learningRate, b1, b2, weightDecay);
    }
}
