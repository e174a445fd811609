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
 *
 * {@snippet lang=java :
 * Array params = Array.of(1.0, -2.0);
 * GradientTransformation<?> opt = Optim.adam(0.1);
 * Object state = opt.init(params);
 * Update<?> u = Optim.update(opt, Jnp.sign(params), state, params);
 * Eqx.applyUpdates(params, u.updates())   // Array(float64[2], [ 0.9, -1.9])
 * }
 */
public final class Optim implements Combine, Masking, Scaling, Momentum, AdaptiveScaling, Accumulation {
    private Optim() {}

    /**
     * Calls {@code t.update} with a state whose static type is lost (as {@code Object}), for code that holds
     * optimisers as {@code GradientTransformation<?>}; a state of another transformation gives a clear error.
     *
     * {@snippet lang=java :
     * GradientTransformation<?> opt = Optim.sgd(0.5);
     * Array p = Array.of(1.0, 2.0);
     * Object state = opt.init(p);
     * Update<?> u = Optim.update(opt, Array.of(2.0, 2.0), state, p);
     * Eqx.applyUpdates(p, u.updates())   // Array(float64[2], [0.0, 1.0])
     * }
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
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.chain(Optim.clipByGlobalNorm(1.0), Optim.scaleByLearningRate(0.1));
     * opt.update(Array.of(3.0, 4.0), opt.init(p), p).updates()   // Array(float64[2], [-0.06, -0.08])
     * }
     */
    public static GradientTransformation<ChainState> chain(GradientTransformation<?>... transforms) {
        return Combine.chain(transforms);
    }

    /**
     * A transformation per label (Optax's {@code multi_transform}): {@link Combine#multiTransform(Map, Object)}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Array.of(1.0), Array.of(1.0));
     * var tx = Map.of("train", Optim.sgd(1.0), "freeze", Optim.setToZero());
     * var opt = Optim.multiTransform(tx, List.of("train", "freeze"));
     * opt.update(List.of(Array.of(1.0), Array.of(1.0)), opt.init(p), p).updates()   // [Array(float64[1], [-1.0]), Array(float64[1], [0.0])]
     * }
     */
    public static GradientTransformation<MultiTransformState> multiTransform(
            Map<String, ? extends GradientTransformation<?>> transforms, Object labels) {
        return Combine.multiTransform(transforms, labels);
    }

    /**
     * {@link Combine#multiTransform(Map, Object)} with the labels tree computed from the parameters (Optax's
     * {@code param_labels} given as a function): {@link Combine#multiTransform(Map, Function)}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Array.of(1.0), Array.of(1.0));
     * var tx = Map.of("train", Optim.sgd(1.0), "freeze", Optim.setToZero());
     * var opt = Optim.multiTransform(tx, params -> List.of("train", "freeze"));
     * opt.update(List.of(Array.of(1.0), Array.of(1.0)), opt.init(p), p).updates()   // [Array(float64[1], [-1.0]), Array(float64[1], [0.0])]
     * }
     */
    public static GradientTransformation<MultiTransformState> multiTransform(
            Map<String, ? extends GradientTransformation<?>> transforms, Function<Object, Object> labelsOf) {
        return Combine.multiTransform(transforms, labelsOf);
    }

    /**
     * {@link Combine#multiTransform(Map, Object)} with each array leaf labelled from its path and value, for
     * instance {@code (path, leaf) -> leaf.ndim() > 1 ? "weights" : "biases"}: {@link Combine#multiTransform(Map,
     * BiFunction)}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Jnp.ones(2, 2), Array.of(1.0));
     * var tx = Map.of("weights", Optim.sgd(1.0), "biases", Optim.setToZero());
     * var opt = Optim.multiTransform(tx, (path, leaf) -> leaf.ndim() > 1 ? "weights" : "biases");
     * var u = (List<?>) opt.update(List.of(Jnp.ones(2, 2), Array.of(1.0)), opt.init(p), p).updates();
     * u.get(1)   // Array(float64[1], [0.0])
     * }
     */
    public static GradientTransformation<MultiTransformState> multiTransform(
            Map<String, ? extends GradientTransformation<?>> transforms, BiFunction<KeyPath, Array, String> label) {
        return Combine.multiTransform(transforms, label);
    }

    // ---- masks (Masking) ----------------------------------------------------------------------------------------
    /**
     * Applies {@code inner} to the leaves a mask selects and passes the other updates through unchanged (Optax's
     * {@code masked}): {@link Masking#masked(GradientTransformation, Object)}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Array.of(1.0), Array.of(1.0));
     * var opt = Optim.masked(Optim.scale(10.0), List.of(true, false));
     * opt.update(List.of(Array.of(1.0), Array.of(1.0)), opt.init(p), p).updates()   // [Array(float64[1], [10.0]), Array(float64[1], [1.0])]
     * }
     */
    public static <S> GradientTransformation<MaskedState> masked(GradientTransformation<S> inner, Object mask) {
        return Masking.masked(inner, mask);
    }

    /**
     * {@link Masking#masked} with the mask given by a test on each array leaf and its path (for instance {@code
     * (path, leaf) -> leaf.ndim() > 1} for weight matrices only): {@link Masking#masked(GradientTransformation,
     * BiPredicate)}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Jnp.ones(2, 2), Array.of(1.0));
     * var opt = Optim.masked(Optim.scale(10.0), (path, leaf) -> leaf.ndim() > 1);
     * var u = (List<?>) opt.update(List.of(Jnp.ones(2, 2), Array.of(1.0)), opt.init(p), p).updates();
     * u.get(1)   // Array(float64[1], [1.0])
     * }
     */
    public static <S> GradientTransformation<MaskedState> masked(GradientTransformation<S> inner,
            BiPredicate<KeyPath, Array> select) {
        return Masking.masked(inner, select);
    }

    /**
     * Trains only the leaves a mask selects (Equinox's "freeze parameters" pattern): {@link
     * Masking#trainOnly(GradientTransformation, Object)}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Array.of(1.0), Array.of(1.0));
     * var opt = Optim.trainOnly(Optim.sgd(0.1), List.of(true, false));
     * opt.update(List.of(Array.of(1.0), Array.of(1.0)), opt.init(p), p).updates()   // [Array(float64[1], [-0.1]), null]
     * }
     */
    public static <S> GradientTransformation<MaskedState> trainOnly(GradientTransformation<S> inner, Object mask) {
        return Masking.trainOnly(inner, mask);
    }

    /**
     * {@link Masking#trainOnly} with the trained leaves chosen by a test on each array leaf and its path: {@link
     * Masking#trainOnly(GradientTransformation, BiPredicate)}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Jnp.ones(2, 2), Array.of(1.0));
     * var opt = Optim.trainOnly(Optim.sgd(0.1), (path, leaf) -> leaf.ndim() > 1);
     * var u = (List<?>) opt.update(List.of(Jnp.ones(2, 2), Array.of(1.0)), opt.init(p), p).updates();
     * u.get(1)   // null
     * }
     */
    public static <S> GradientTransformation<MaskedState> trainOnly(GradientTransformation<S> inner,
            BiPredicate<KeyPath, Array> trainable) {
        return Masking.trainOnly(inner, trainable);
    }

    // ---- stateless building blocks (Scaling) --------------------------------------------------------------------
    /**
     * Passes the updates through unchanged (Optax's {@code identity}): {@link Scaling#identity()}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.identity();
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [ 1.0, -1.0])
     * }
     */
    public static GradientTransformation<EmptyState> identity() {
        return Scaling.identity();
    }

    /**
     * Replaces every update by zeros of its shape and dtype (Optax's {@code set_to_zero}): {@link
     * Scaling#setToZero()}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.setToZero();
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [0.0, 0.0])
     * }
     */
    public static GradientTransformation<EmptyState> setToZero() {
        return Scaling.setToZero();
    }

    /**
     * Multiplies every update by a constant (Optax's {@code scale}): {@link Scaling#scale(double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.scale(0.5);
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [ 0.5, -0.5])
     * }
     */
    public static GradientTransformation<EmptyState> scale(double stepSize) {
        return Scaling.scale(stepSize);
    }

    /**
     * Scales updates by minus the learning rate (Optax's {@code scale_by_learning_rate}), turning a descent
     * direction into a step: {@link Scaling#scaleByLearningRate(double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.scaleByLearningRate(0.5);
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [-0.5,  0.5])
     * }
     */
    public static GradientTransformation<EmptyState> scaleByLearningRate(double learningRate) {
        return Scaling.scaleByLearningRate(learningRate);
    }

    /**
     * Scales updates by minus a scheduled learning rate: {@link Scaling#scaleByLearningRate(Schedule)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.scaleByLearningRate(step -> 1.0 / (step + 1));
     * var u = opt.update(Array.of(1.0, -1.0), opt.init(p), p);
     * opt.update(Array.of(1.0, -1.0), u.state(), p).updates()   // Array(float64[2], [-0.5,  0.5])
     * }
     */
    public static GradientTransformation<ScaleByScheduleState> scaleByLearningRate(Schedule learningRate) {
        return Scaling.scaleByLearningRate(learningRate);
    }

    /**
     * Multiplies updates by a scheduled factor read at the number of updates made so far (Optax's {@code
     * scale_by_schedule}): {@link Scaling#scaleBySchedule(Schedule)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.scaleBySchedule(Schedule.linear(1.0, 0.0, 4));
     * var u = opt.update(Array.of(1.0, -1.0), opt.init(p), p);
     * opt.update(Array.of(1.0, -1.0), u.state(), p).updates()   // Array(float64[2], [ 0.75, -0.75])
     * }
     */
    public static GradientTransformation<ScaleByScheduleState> scaleBySchedule(Schedule factor) {
        return Scaling.scaleBySchedule(factor);
    }

    /**
     * Adds {@code weightDecay * params} to the updates (Optax's {@code add_decayed_weights}): {@link
     * Scaling#addDecayedWeights(double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.addDecayedWeights(0.1);
     * opt.update(Array.of(0.0, 0.0), opt.init(p), p).updates()   // Array(float64[2], [0.1, 0.2])
     * }
     */
    public static GradientTransformation<EmptyState> addDecayedWeights(double weightDecay) {
        return Scaling.addDecayedWeights(weightDecay);
    }

    /**
     * {@link Scaling#addDecayedWeights(double)} on the leaves a mask selects only (the others pass through):
     * {@link Scaling#addDecayedWeights(double, BiPredicate)}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Jnp.ones(2, 2), Array.of(1.0));
     * var opt = Optim.addDecayedWeights(0.1, (path, leaf) -> leaf.ndim() > 1);
     * var u = (List<?>) opt.update(List.of(Jnp.zeros(2, 2), Array.of(0.0)), opt.init(p), p).updates();
     * u.get(1)   // Array(float64[1], [0.0])
     * }
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
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.clipByGlobalNorm(1.0);
     * opt.update(Array.of(3.0, 4.0), opt.init(p), p).updates()   // Array(float64[2], [0.6, 0.8])
     * }
     */
    public static GradientTransformation<Scaling.EmptyState> clipByGlobalNorm(double maxNorm) {
        return Clipping.clipByGlobalNorm(maxNorm);
    }

    /**
     * The global norm of a tree: {@link Clipping#globalNorm(Object)}.
     *
     * {@snippet lang=java :
     * Optim.globalNorm(List.of(Array.of(3.0), Array.of(new double[] {4}, 1, 1)))   // 5.0
     * }
     */
    public static Array globalNorm(Object tree) {
        return Clipping.globalNorm(tree);
    }

    // ---- momentum (Momentum) ------------------------------------------------------------------------------------
    /**
     * Momentum (Optax's {@code trace}): {@link Momentum#trace(double, boolean)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.trace(0.9, false);
     * var u = opt.update(Array.of(1.0, -1.0), opt.init(p), p);
     * opt.update(Array.of(1.0, -1.0), u.state(), p).updates()   // Array(float64[2], [ 1.9, -1.9])
     * }
     */
    public static GradientTransformation<TraceState> trace(double decay, boolean nesterov) {
        return Momentum.trace(decay, nesterov);
    }

    /**
     * Lion's scaling (Optax's {@code scale_by_lion}): {@link Momentum#scaleByLion(double, double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.scaleByLion(0.9, 0.99);
     * opt.update(Array.of(0.3, -5.0), opt.init(p), p).updates()   // Array(float64[2], [ 1.0, -1.0])
     * }
     */
    public static GradientTransformation<ScaleByLionState> scaleByLion(double b1, double b2) {
        return Momentum.scaleByLion(b1, b2);
    }

    // ---- adaptive scaling (AdaptiveScaling) ---------------------------------------------------------------------
    /**
     * Adam's scaling (Optax's {@code scale_by_adam}) with Optax's defaults {@code b1 = 0.9}, {@code b2 = 0.999},
     * {@code eps = 1e-8}, {@code epsRoot = 0}: {@link AdaptiveScaling#scaleByAdam()}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.scaleByAdam();
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [ 1.0       , -0.99999998])
     * }
     */
    public static GradientTransformation<ScaleByAdamState> scaleByAdam() {
        return AdaptiveScaling.scaleByAdam();
    }

    /**
     * Adam's scaling (Optax's {@code scale_by_adam}): {@link AdaptiveScaling#scaleByAdam(double, double, double,
     * double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.scaleByAdam(0.9, 0.999, 1.0, 0.0);
     * opt.update(Array.of(3.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [ 0.75, -0.5 ])
     * }
     */
    public static GradientTransformation<ScaleByAdamState> scaleByAdam(double b1, double b2, double eps,
            double epsRoot) {
        return AdaptiveScaling.scaleByAdam(b1, b2, eps, epsRoot);
    }

    /**
     * Adam's scaling, optionally with Nesterov momentum (Optax's {@code scale_by_adam(..., nesterov)}, the scaling
     * of NAdam): {@link AdaptiveScaling#scaleByAdam(double, double, double, double, boolean)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.scaleByAdam(0.9, 0.999, 1e-8, 0.0, true);
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [ 1.47368421, -1.47368418])
     * }
     */
    public static GradientTransformation<ScaleByAdamState> scaleByAdam(double b1, double b2, double eps,
            double epsRoot, boolean nesterov) {
        return AdaptiveScaling.scaleByAdam(b1, b2, eps, epsRoot, nesterov);
    }

    /**
     * Adam's scaling with the first moment in {@code muDtype} (Optax's {@code mu_dtype}): {@link
     * AdaptiveScaling#scaleByAdam(double, double, double, double, boolean, dev.solstice.DType)}.
     *
     * {@snippet lang=java :
     * Array p = Jnp.ones(DType.BFLOAT16, 2);
     * var opt = Optim.scaleByAdam(0.9, 0.999, 1e-8, 0.0, false, DType.FLOAT32);
     * opt.update(Jnp.ones(DType.BFLOAT16, 2), opt.init(p), p).state().mu()   // float32[2]
     * }
     */
    public static GradientTransformation<ScaleByAdamState> scaleByAdam(double b1, double b2, double eps,
            double epsRoot, boolean nesterov, dev.solstice.DType muDtype) {
        return AdaptiveScaling.scaleByAdam(b1, b2, eps, epsRoot, nesterov, muDtype);
    }

    /**
     * RMSProp's scaling (Optax's {@code scale_by_rms}): {@link AdaptiveScaling#scaleByRms(double, double,
     * double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.scaleByRms(0.75, 0.0, 0.0);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [ 2.0, -2.0])
     * }
     */
    public static GradientTransformation<ScaleByRmsState> scaleByRms(double decay, double eps, double initialScale) {
        return AdaptiveScaling.scaleByRms(decay, eps, initialScale);
    }

    /**
     * Centred RMSProp's scaling (Optax's {@code scale_by_stddev}): {@link AdaptiveScaling#scaleByStddev(double,
     * double, double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.scaleByStddev(0.5, 0.0, 0.0);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [ 2.0, -2.0])
     * }
     */
    public static GradientTransformation<ScaleByStddevState> scaleByStddev(double decay, double eps,
            double initialScale) {
        return AdaptiveScaling.scaleByStddev(decay, eps, initialScale);
    }

    /**
     * AdaGrad's scaling (Optax's {@code scale_by_rss}): {@link AdaptiveScaling#scaleByRss(double, double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.scaleByRss(0.0, 0.0);
     * opt.update(Array.of(2.0, -4.0), opt.init(p), p).updates()   // Array(float64[2], [ 1.0, -1.0])
     * }
     */
    public static GradientTransformation<ScaleByRssState> scaleByRss(double initialAccumulatorValue, double eps) {
        return AdaptiveScaling.scaleByRss(initialAccumulatorValue, eps);
    }

    // ---- gradient accumulation (Accumulation) -------------------------------------------------------------------
    /**
     * Sums the updates of {@code k} consecutive steps and emits the sum on every {@code k}-th, zeros on the others
     * (Optax's {@code apply_every}): {@link Accumulation#applyEvery(int)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.applyEvery(2);
     * var u1 = opt.update(Array.of(1.0), opt.init(p), p);
     * u1.updates()   // Array(float64[1], [0.0])
     * opt.update(Array.of(2.0), u1.state(), p).updates()   // Array(float64[1], [3.0])
     * }
     */
    public static GradientTransformation<ApplyEveryState> applyEvery(int k) {
        return Accumulation.applyEvery(k);
    }

    /**
     * Steps {@code opt} once every {@code k} calls on the mean of the {@code k} gradients, and emits zero updates
     * in between (Optax's {@code MultiSteps(opt, every_k_schedule=k)}): {@link
     * Accumulation#multiSteps(GradientTransformation, int)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.multiSteps(Optim.sgd(1.0), 2);
     * var u1 = opt.update(Array.of(1.0), opt.init(p), p);
     * u1.updates()   // Array(float64[1], [0.0])
     * opt.update(Array.of(3.0), u1.state(), p).updates()   // Array(float64[1], [-2.0])
     * }
     */
    public static <S> GradientTransformation<MultiStepsState> multiSteps(GradientTransformation<S> opt, int k) {
        return Accumulation.multiSteps(opt, k);
    }

    /**
     * Optax's {@code MultiSteps} with every option: {@link Accumulation#multiSteps(GradientTransformation,
     * IntUnaryOperator, boolean)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.multiSteps(Optim.sgd(1.0), step -> 2, false);
     * var u1 = opt.update(Array.of(1.0), opt.init(p), p);
     * opt.update(Array.of(3.0), u1.state(), p).updates()   // Array(float64[1], [-4.0])
     * }
     */
    public static <S> GradientTransformation<MultiStepsState> multiSteps(GradientTransformation<S> opt,
            IntUnaryOperator everyK, boolean useGradMean) {
        return Accumulation.multiSteps(opt, everyK, useGradMean);
    }

    /**
     * Whether the last update of a {@link Accumulation#multiSteps} transformation stepped the wrapped optimiser
     * (Optax's {@code MultiSteps.has_updated}): {@link Accumulation#hasUpdated(MultiStepsState)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.multiSteps(Optim.sgd(1.0), 2);
     * var u1 = opt.update(Array.of(1.0), opt.init(p), p);
     * Optim.hasUpdated(u1.state())   // false
     * Optim.hasUpdated(opt.update(Array.of(1.0), u1.state(), p).state())   // true
     * }
     */
    public static boolean hasUpdated(MultiStepsState state) {
        return Accumulation.hasUpdated(state);
    }

    // ---- optimisers (Aliases) -----------------------------------------------------------------------------------
    /**
     * Stochastic gradient descent: {@link Aliases#sgd(double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.sgd(0.1);
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [-0.1,  0.1])
     * }
     */
    public static GradientTransformation<ChainState> sgd(double learningRate) {
        return Aliases.sgd(learningRate);
    }

    /**
     * SGD with (optionally Nesterov) momentum (Optax's {@code sgd}): {@link Aliases#sgd(double, double, boolean)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.sgd(0.1, 0.9, false);
     * var u = opt.update(Array.of(1.0, -1.0), opt.init(p), p);
     * opt.update(Array.of(1.0, -1.0), u.state(), p).updates()   // Array(float64[2], [-0.19,  0.19])
     * }
     */
    public static GradientTransformation<ChainState> sgd(double learningRate, double momentum, boolean nesterov) {
        return Aliases.sgd(learningRate, momentum, nesterov);
    }

    /**
     * {@link Aliases#sgd(double, double, boolean)} with a learning-rate schedule: {@link Aliases#sgd(Schedule,
     * double, boolean)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.sgd(step -> 0.1 / (step + 1), 0.0, false);
     * var u = opt.update(Array.of(1.0, -1.0), opt.init(p), p);
     * opt.update(Array.of(1.0, -1.0), u.state(), p).updates()   // Array(float64[2], [-0.05,  0.05])
     * }
     */
    public static GradientTransformation<ChainState> sgd(Schedule learningRate, double momentum, boolean nesterov) {
        return Aliases.sgd(learningRate, momentum, nesterov);
    }

    /**
     * Adam with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.999}, {@code eps = 1e-8}): {@link
     * Aliases#adam(double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.adam(0.1);
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [-0.1,  0.1])
     * }
     */
    public static GradientTransformation<ChainState> adam(double learningRate) {
        return Aliases.adam(learningRate);
    }

    /**
     * Adam (Optax's {@code adam}): {@link Aliases#adam(double, double, double, double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.adam(0.1, 0.9, 0.999, 1.0);
     * opt.update(Array.of(3.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [-0.075,  0.05 ])
     * }
     */
    public static GradientTransformation<ChainState> adam(double learningRate, double b1, double b2, double eps) {
        return Aliases.adam(learningRate, b1, b2, eps);
    }

    /**
     * Adam with its first moment in {@code muDtype} (Optax's {@code mu_dtype}): {@link Aliases#adam(double,
     * double, double, double, dev.solstice.DType)}.
     *
     * {@snippet lang=java :
     * Array p = Jnp.ones(DType.BFLOAT16, 2);
     * var opt = Optim.adam(0.1, 0.9, 0.999, 1e-8, DType.FLOAT32);
     * opt.update(Jnp.ones(DType.BFLOAT16, 2), opt.init(p), p).updates()   // float32[2]
     * }
     */
    public static GradientTransformation<ChainState> adam(double learningRate, double b1, double b2, double eps,
            dev.solstice.DType muDtype) {
        return Aliases.adam(learningRate, b1, b2, eps, muDtype);
    }

    /**
     * Adam with a learning-rate schedule and Optax's default moments: {@link Aliases#adam(Schedule)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.adam(Schedule.constant(0.01));
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [-0.01,  0.01])
     * }
     */
    public static GradientTransformation<ChainState> adam(Schedule learningRate) {
        return Aliases.adam(learningRate);
    }

    /**
     * NAdam, Adam with Nesterov momentum, with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.999}, {@code eps
     * = 1e-8}): {@link Aliases#nadam(double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.nadam(0.1);
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [-0.14736842,  0.14736842])
     * }
     */
    public static GradientTransformation<ChainState> nadam(double learningRate) {
        return Aliases.nadam(learningRate);
    }

    /**
     * NAdam (Optax's {@code nadam}): {@link Aliases#nadam(double, double, double, double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.nadam(0.1, 0.9, 0.999, 1e-8);
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [-0.14736842,  0.14736842])
     * }
     */
    public static GradientTransformation<ChainState> nadam(double learningRate, double b1, double b2, double eps) {
        return Aliases.nadam(learningRate, b1, b2, eps);
    }

    /**
     * NAdam with a learning-rate schedule and Optax's default moments: {@link Aliases#nadam(Schedule)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.nadam(Schedule.constant(0.01));
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [-0.01473684,  0.01473684])
     * }
     */
    public static GradientTransformation<ChainState> nadam(Schedule learningRate) {
        return Aliases.nadam(learningRate);
    }

    /**
     * AdamW with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.999}, {@code eps = 1e-8}, {@code weightDecay =
     * 1e-4}): {@link Aliases#adamw(double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.adamw(0.1);
     * opt.update(Array.of(0.0, 0.0), opt.init(p), p).updates()   // Array(float64[2], [-1.0e-05, -2.0e-05])
     * }
     */
    public static GradientTransformation<ChainState> adamw(double learningRate) {
        return Aliases.adamw(learningRate);
    }

    /**
     * AdamW, Adam with decoupled weight decay (Optax's {@code adamw}, no mask): {@link Aliases#adamw(double,
     * double, double, double, double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.adamw(0.1, 0.9, 0.999, 1e-8, 0.5);
     * opt.update(Array.of(0.0, 0.0), opt.init(p), p).updates()   // Array(float64[2], [-0.05, -0.1 ])
     * }
     */
    public static GradientTransformation<ChainState> adamw(double learningRate, double b1, double b2, double eps,
            double weightDecay) {
        return Aliases.adamw(learningRate, b1, b2, eps, weightDecay);
    }

    /**
     * AdamW with a learning-rate schedule (the decay is scaled by the scheduled rate too, as Optax): {@link
     * Aliases#adamw(Schedule, double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.adamw(Schedule.constant(0.1), 0.5);
     * opt.update(Array.of(0.0, 0.0), opt.init(p), p).updates()   // Array(float64[2], [-0.05, -0.1 ])
     * }
     */
    public static GradientTransformation<ChainState> adamw(Schedule learningRate, double weightDecay) {
        return Aliases.adamw(learningRate, weightDecay);
    }

    /**
     * AdamW whose weight decay applies only to the leaves a mask selects (Optax's {@code adamw} with {@code
     * mask}): {@link Aliases#adamw(double, double, BiPredicate)}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Array.of(new double[] {1, 2, 3, 4}, 2, 2), Array.of(1.0, 1.0));
     * var opt = Optim.adamw(0.1, 0.5, (path, leaf) -> leaf.ndim() > 1);
     * var g = List.of(Jnp.zeros(2, 2), Jnp.zeros(2));
     * var u = (List<?>) opt.update(g, opt.init(p), p).updates();
     * u.get(1)   // Array(float64[2], [-0.0, -0.0])
     * }
     */
    public static GradientTransformation<ChainState> adamw(double learningRate, double weightDecay,
            BiPredicate<KeyPath, Array> decayMask) {
        return Aliases.adamw(learningRate, weightDecay, decayMask);
    }

    /**
     * RMSProp with Optax's defaults ({@code decay = 0.9}, {@code eps = 1e-8}, no momentum): {@link
     * Aliases#rmsprop(double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.rmsprop(0.1);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [-0.31622776,  0.31622776])
     * }
     */
    public static GradientTransformation<ChainState> rmsprop(double learningRate) {
        return Aliases.rmsprop(learningRate);
    }

    /**
     * RMSProp (Optax's {@code rmsprop}, not centred, initial scale 0): {@link Aliases#rmsprop(double, double,
     * double, double, boolean)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.rmsprop(0.1, 0.75, 0.0, 0.0, false);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [-0.2,  0.2])
     * }
     */
    public static GradientTransformation<ChainState> rmsprop(double learningRate, double decay, double eps,
            double momentum, boolean nesterov) {
        return Aliases.rmsprop(learningRate, decay, eps, momentum, nesterov);
    }

    /**
     * RMSProp with every Optax option but the initial scale (which is 0): {@link Aliases#rmsprop(Schedule, double,
     * double, boolean, double, boolean)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.rmsprop(Schedule.constant(0.1), 0.75, 0.0, false, 0.0, false);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [-0.2,  0.2])
     * }
     */
    public static GradientTransformation<ChainState> rmsprop(Schedule learningRate, double decay, double eps,
            boolean centered, double momentum, boolean nesterov) {
        return Aliases.rmsprop(learningRate, decay, eps, centered, momentum, nesterov);
    }

    /**
     * Centred or plain RMSProp with a constant learning rate: {@link Aliases#rmsprop(double, double, double,
     * boolean, double, boolean)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.rmsprop(0.1, 0.75, 0.0, true, 0.0, false);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [-0.23094011,  0.23094011])
     * }
     */
    public static GradientTransformation<ChainState> rmsprop(double learningRate, double decay, double eps,
            boolean centered, double momentum, boolean nesterov) {
        return Aliases.rmsprop(learningRate, decay, eps, centered, momentum, nesterov);
    }

    /**
     * AdaGrad with Optax's defaults ({@code initialAccumulatorValue = 0.1}, {@code eps = 1e-7}): {@link
     * Aliases#adagrad(double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.adagrad(0.1);
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [-0.09534625,  0.09534625])
     * }
     */
    public static GradientTransformation<ChainState> adagrad(double learningRate) {
        return Aliases.adagrad(learningRate);
    }

    /**
     * AdaGrad (Optax's {@code adagrad}): {@link Aliases#adagrad(double, double, double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.adagrad(0.1, 0.0, 0.0);
     * opt.update(Array.of(2.0, -4.0), opt.init(p), p).updates()   // Array(float64[2], [-0.1,  0.1])
     * }
     */
    public static GradientTransformation<ChainState> adagrad(double learningRate, double initialAccumulatorValue,
            double eps) {
        return Aliases.adagrad(learningRate, initialAccumulatorValue, eps);
    }

    /**
     * AdaGrad with a learning-rate schedule and Optax's defaults: {@link Aliases#adagrad(Schedule)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.adagrad(Schedule.constant(0.1));
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [-0.09534625,  0.09534625])
     * }
     */
    public static GradientTransformation<ChainState> adagrad(Schedule learningRate) {
        return Aliases.adagrad(learningRate);
    }

    /**
     * Lion with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.99}, {@code weightDecay = 1e-3}): {@link
     * Aliases#lion(double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.lion(0.1);
     * opt.update(Array.of(0.3, -5.0), opt.init(p), p).updates()   // Array(float64[2], [-0.1001,  0.0998])
     * }
     */
    public static GradientTransformation<ChainState> lion(double learningRate) {
        return Aliases.lion(learningRate);
    }

    /**
     * Lion (Optax's {@code lion}): {@link Aliases#lion(double, double, double, double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.lion(0.1, 0.9, 0.99, 0.0);
     * opt.update(Array.of(0.3, -5.0), opt.init(p), p).updates()   // Array(float64[2], [-0.1,  0.1])
     * }
     */
    public static GradientTransformation<ChainState> lion(double learningRate, double b1, double b2,
            double weightDecay) {
        return Aliases.lion(learningRate, b1, b2, weightDecay);
    }

    /**
     * Lion with a learning-rate schedule (the decay is scaled by the scheduled rate too): {@link
     * Aliases#lion(Schedule, double, double, double)}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Optim.lion(Schedule.constant(0.1), 0.9, 0.99, 0.0);
     * opt.update(Array.of(0.3, -5.0), opt.init(p), p).updates()   // Array(float64[2], [-0.1,  0.1])
     * }
     */
    public static GradientTransformation<ChainState> lion(Schedule learningRate, double b1, double b2,
            double weightDecay) {
        return Aliases.lion(learningRate, b1, b2, weightDecay);
    }
}
