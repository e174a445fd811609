package dev.solstice.optim;

import static dev.solstice.optim.AdaptiveScaling.scaleByAdam;
import static dev.solstice.optim.AdaptiveScaling.scaleByRms;
import static dev.solstice.optim.AdaptiveScaling.scaleByRss;
import static dev.solstice.optim.AdaptiveScaling.scaleByStddev;
import static dev.solstice.optim.Combine.chain;
import static dev.solstice.optim.Momentum.scaleByLion;
import static dev.solstice.optim.Momentum.trace;
import static dev.solstice.optim.Scaling.addDecayedWeights;
import static dev.solstice.optim.Scaling.identity;
import static dev.solstice.optim.Scaling.scaleByLearningRate;

import dev.solstice.Array;
import dev.solstice.optim.Combine.ChainState;
import dev.solstice.tree.KeyPath;
import java.util.function.BiPredicate;

/**
 * The popular optimisers (Optax's {@code alias}), each the chain of its building blocks with Optax's
 * defaults: {@code adam(lr) = chain(scaleByAdam(), scaleByLearningRate(lr))}. Also reachable as
 * {@code Optim.adam(...)} and so on.
 *
 * {@snippet lang=java :
 * Array p = Array.of(1.0, 2.0);
 * var opt = Aliases.adam(1e-3);
 * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [-0.001,  0.001])
 * }
 */
public final class Aliases {
    private Aliases() {}


    /**
     * Stochastic gradient descent: {@code u = -lr g} (Optax's {@code sgd} without momentum).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.sgd(0.1);
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [-0.1,  0.1])
     * }
     *
     * @param learningRate the learning rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> sgd(double learningRate) {
        return sgd(learningRate, 0, false);
    }

    /**
     * SGD with (optionally Nesterov) momentum (Optax's {@code sgd}): {@code chain(trace(momentum, nesterov),
     * scaleByLearningRate(lr))}, that is {@code t = g + momentum t} and {@code u = -lr t} (or
     * {@code -lr (g + momentum t)} with Nesterov). A momentum of 0 gives plain SGD.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.sgd(0.1, 0.9, false);
     * var u = opt.update(Array.of(1.0, -1.0), opt.init(p), p);
     * opt.update(Array.of(1.0, -1.0), u.state(), p).updates()   // Array(float64[2], [-0.19,  0.19])
     * }
     *
     * @param learningRate the learning rate
     * @param momentum the momentum coefficient (0 for none)
     * @param nesterov whether to use Nesterov momentum
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> sgd(double learningRate, double momentum, boolean nesterov) {
        return sgd(scaleByLearningRate(learningRate), momentum, nesterov);
    }

    /**
     * {@link #sgd(double, double, boolean)} with a learning-rate schedule.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.sgd(step -> 0.1 / (step + 1), 0.0, false);
     * var u = opt.update(Array.of(1.0, -1.0), opt.init(p), p);
     * opt.update(Array.of(1.0, -1.0), u.state(), p).updates()   // Array(float64[2], [-0.05,  0.05])
     * }
     *
     * @param learningRate the schedule
     * @param momentum the momentum coefficient (0 for none)
     * @param nesterov whether to use Nesterov momentum
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> sgd(Schedule learningRate, double momentum, boolean nesterov) {
        return sgd(scaleByLearningRate(learningRate), momentum, nesterov);
    }

    private static GradientTransformation<ChainState> sgd(GradientTransformation<?> lr, double momentum, boolean nesterov) {
        return momentum == 0 ? chain(identity(), lr) : chain(trace(momentum, nesterov), lr);
    }

    /**
     * Adam with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.999}, {@code eps = 1e-8}):
     * {@code chain(scaleByAdam(), scaleByLearningRate(lr))}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.adam(0.1);
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [-0.1,  0.1])
     * }
     *
     * @param learningRate the learning rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adam(double learningRate) {
        return adam(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * Adam (Optax's {@code adam}): {@code chain(scaleByAdam(b1, b2, eps, 0), scaleByLearningRate(lr))}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.adam(0.1, 0.9, 0.999, 1.0);
     * opt.update(Array.of(3.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [-0.075,  0.05 ])
     * }
     *
     * @param learningRate the learning rate
     * @param b1 the decay of the first moment
     * @param b2 the decay of the second moment
     * @param eps added to the denominator
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adam(double learningRate, double b1, double b2, double eps) {
        return chain(scaleByAdam(b1, b2, eps, 0.0), scaleByLearningRate(learningRate));
    }

    /**
     * Adam with its first moment kept in {@code muDtype} (Optax's {@code adam(..., mu_dtype)}):
     * {@code chain(scaleByAdam(b1, b2, eps, 0, false, muDtype), scaleByLearningRate(lr))}. With bfloat16
     * parameters and float32 moments the updates are float32; {@code Eqx.applyUpdates} rounds the new parameters
     * back to bfloat16.
     *
     * {@snippet lang=java :
     * Array p = Jnp.ones(DType.BFLOAT16, 2);
     * var opt = Aliases.adam(0.1, 0.9, 0.999, 1e-8, DType.FLOAT32);
     * opt.update(Jnp.ones(DType.BFLOAT16, 2), opt.init(p), p).updates()   // float32[2]
     * }
     *
     * @param learningRate the learning rate
     * @param b1 the decay of the first moment
     * @param b2 the decay of the second moment
     * @param eps added to the denominator
     * @param muDtype the floating dtype of the first moment, or null for the parameters' dtypes
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adam(double learningRate, double b1, double b2, double eps,
            dev.solstice.DType muDtype) {
        return chain(scaleByAdam(b1, b2, eps, 0.0, false, muDtype), scaleByLearningRate(learningRate));
    }

    /**
     * Adam with a learning-rate schedule and Optax's default moments.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.adam(Schedule.constant(0.01));
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [-0.01,  0.01])
     * }
     *
     * @param learningRate the schedule
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adam(Schedule learningRate) {
        return chain(scaleByAdam(), scaleByLearningRate(learningRate));
    }

    /**
     * NAdam, Adam with Nesterov momentum, with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.999},
     * {@code eps = 1e-8}).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.nadam(0.1);
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [-0.14736842,  0.14736842])
     * }
     *
     * @param learningRate the learning rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> nadam(double learningRate) {
        return nadam(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * NAdam (Optax's {@code nadam}): {@code chain(scaleByAdam(b1, b2, eps, 0, true), scaleByLearningRate(lr))},
     * Adam whose first moment looks one step ahead (see
     * {@link AdaptiveScaling#scaleByAdam(double, double, double, double, boolean)}).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.nadam(0.1, 0.9, 0.999, 1e-8);
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [-0.14736842,  0.14736842])
     * }
     *
     * @param learningRate the learning rate
     * @param b1 the decay of the first moment
     * @param b2 the decay of the second moment
     * @param eps added to the denominator
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> nadam(double learningRate, double b1, double b2, double eps) {
        return chain(scaleByAdam(b1, b2, eps, 0.0, true), scaleByLearningRate(learningRate));
    }

    /**
     * NAdam with a learning-rate schedule and Optax's default moments.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.nadam(Schedule.constant(0.01));
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [-0.01473684,  0.01473684])
     * }
     *
     * @param learningRate the schedule
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> nadam(Schedule learningRate) {
        return chain(scaleByAdam(0.9, 0.999, 1e-8, 0.0, true), scaleByLearningRate(learningRate));
    }

    /**
     * AdamW with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.999}, {@code eps = 1e-8},
     * {@code weightDecay = 1e-4}).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.adamw(0.1);
     * opt.update(Array.of(0.0, 0.0), opt.init(p), p).updates()   // Array(float64[2], [-1.0e-05, -2.0e-05])
     * }
     *
     * @param learningRate the learning rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adamw(double learningRate) {
        return adamw(learningRate, 0.9, 0.999, 1e-8, 1e-4);
    }

    /**
     * AdamW, Adam with decoupled weight decay (Optax's {@code adamw}, no mask):
     * {@code chain(scaleByAdam(b1, b2, eps, 0), addDecayedWeights(weightDecay), scaleByLearningRate(lr))}, so
     * the update is {@code -lr (adamUpdate + weightDecay * params)}: the decay does not pass through Adam's
     * moments, unlike an L2 term added to the loss. Needs the parameters in {@code update}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.adamw(0.1, 0.9, 0.999, 1e-8, 0.5);
     * opt.update(Array.of(0.0, 0.0), opt.init(p), p).updates()   // Array(float64[2], [-0.05, -0.1 ])
     * }
     *
     * @param learningRate the learning rate
     * @param b1 the decay of the first moment
     * @param b2 the decay of the second moment
     * @param eps added to the denominator
     * @param weightDecay the decay rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adamw(double learningRate, double b1, double b2, double eps, double weightDecay) {
        return chain(scaleByAdam(b1, b2, eps, 0.0), addDecayedWeights(weightDecay), scaleByLearningRate(learningRate));
    }

    /**
     * AdamW with a learning-rate schedule (the decay is scaled by the scheduled rate too, as Optax).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.adamw(Schedule.constant(0.1), 0.5);
     * opt.update(Array.of(0.0, 0.0), opt.init(p), p).updates()   // Array(float64[2], [-0.05, -0.1 ])
     * }
     *
     * @param learningRate the schedule
     * @param weightDecay the decay rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adamw(Schedule learningRate, double weightDecay) {
        return chain(scaleByAdam(), addDecayedWeights(weightDecay), scaleByLearningRate(learningRate));
    }

    /**
     * AdamW whose weight decay applies only to the leaves a mask selects (Optax's {@code adamw} with
     * {@code mask}); for example {@code (path, leaf) -> leaf.ndim() > 1} to leave biases undecayed.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Array.of(new double[] {1, 2, 3, 4}, 2, 2), Array.of(1.0, 1.0));
     * var opt = Aliases.adamw(0.1, 0.5, (path, leaf) -> leaf.ndim() > 1);
     * var g = List.of(Jnp.zeros(2, 2), Jnp.zeros(2));
     * var u = (List<?>) opt.update(g, opt.init(p), p).updates();
     * u.get(1)   // Array(float64[2], [-0.0, -0.0])
     * }
     *
     * @param learningRate the learning rate
     * @param weightDecay the decay rate
     * @param decayMask true for the leaves to decay
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adamw(double learningRate, double weightDecay,
            BiPredicate<KeyPath, Array> decayMask) {
        return chain(scaleByAdam(), addDecayedWeights(weightDecay, decayMask), scaleByLearningRate(learningRate));
    }

    /**
     * RMSProp with Optax's defaults ({@code decay = 0.9}, {@code eps = 1e-8}, no momentum).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.rmsprop(0.1);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [-0.31622776,  0.31622776])
     * }
     *
     * @param learningRate the learning rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> rmsprop(double learningRate) {
        return rmsprop(learningRate, 0.9, 1e-8, 0.0, false);
    }

    /**
     * RMSProp (Optax's {@code rmsprop}, not centred, initial scale 0):
     * {@code chain(scaleByRms(decay, eps, 0), scaleByLearningRate(lr), trace(momentum, nesterov))}, the last
     * only when {@code momentum} is not 0.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.rmsprop(0.1, 0.75, 0.0, 0.0, false);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [-0.2,  0.2])
     * }
     *
     * @param learningRate the learning rate
     * @param decay the decay of the running mean of squares
     * @param eps added inside the square root
     * @param momentum the momentum coefficient (0 for none)
     * @param nesterov whether the momentum is Nesterov's
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> rmsprop(double learningRate, double decay, double eps, double momentum,
            boolean nesterov) {
        return rmsprop(scaleByLearningRate(learningRate), decay, eps, false, momentum, nesterov);
    }

    /**
     * RMSProp with every Optax option but the initial scale (which is 0): centred RMSProp divides by the
     * running standard deviation ({@link AdaptiveScaling#scaleByStddev}) instead of the root mean square
     * ({@link AdaptiveScaling#scaleByRms}); the learning rate is a schedule.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.rmsprop(Schedule.constant(0.1), 0.75, 0.0, false, 0.0, false);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [-0.2,  0.2])
     * }
     *
     * @param learningRate the learning-rate schedule
     * @param decay the decay of the running means
     * @param eps added inside the square root
     * @param centered whether to use the centred form
     * @param momentum the momentum coefficient (0 for none)
     * @param nesterov whether the momentum is Nesterov's
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> rmsprop(Schedule learningRate, double decay, double eps, boolean centered,
            double momentum, boolean nesterov) {
        return rmsprop(scaleByLearningRate(learningRate), decay, eps, centered, momentum, nesterov);
    }

    /**
     * Centred or plain RMSProp with a constant learning rate.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.rmsprop(0.1, 0.75, 0.0, true, 0.0, false);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [-0.23094011,  0.23094011])
     * }
     *
     * @param learningRate the learning rate
     * @param decay the decay of the running means
     * @param eps added inside the square root
     * @param centered whether to use the centred form ({@link AdaptiveScaling#scaleByStddev})
     * @param momentum the momentum coefficient (0 for none)
     * @param nesterov whether the momentum is Nesterov's
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> rmsprop(double learningRate, double decay, double eps, boolean centered,
            double momentum, boolean nesterov) {
        return rmsprop(scaleByLearningRate(learningRate), decay, eps, centered, momentum, nesterov);
    }

    private static GradientTransformation<ChainState> rmsprop(GradientTransformation<?> lr, double decay, double eps,
            boolean centered, double momentum, boolean nesterov) {
        return chain(centered ? scaleByStddev(decay, eps, 0.0) : scaleByRms(decay, eps, 0.0), lr,
                momentum == 0 ? identity() : trace(momentum, nesterov));
    }

    /**
     * AdaGrad with Optax's defaults ({@code initialAccumulatorValue = 0.1}, {@code eps = 1e-7}).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.adagrad(0.1);
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [-0.09534625,  0.09534625])
     * }
     *
     * @param learningRate the learning rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adagrad(double learningRate) {
        return adagrad(learningRate, 0.1, 1e-7);
    }

    /**
     * AdaGrad (Optax's {@code adagrad}): {@code chain(scaleByRss(initialAccumulatorValue, eps),
     * scaleByLearningRate(lr))}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.adagrad(0.1, 0.0, 0.0);
     * opt.update(Array.of(2.0, -4.0), opt.init(p), p).updates()   // Array(float64[2], [-0.1,  0.1])
     * }
     *
     * @param learningRate the learning rate
     * @param initialAccumulatorValue the starting sum of squares
     * @param eps added inside the square root
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adagrad(double learningRate, double initialAccumulatorValue, double eps) {
        return chain(scaleByRss(initialAccumulatorValue, eps), scaleByLearningRate(learningRate));
    }

    /**
     * AdaGrad with a learning-rate schedule and Optax's defaults.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.adagrad(Schedule.constant(0.1));
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [-0.09534625,  0.09534625])
     * }
     *
     * @param learningRate the schedule
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adagrad(Schedule learningRate) {
        return chain(scaleByRss(0.1, 1e-7), scaleByLearningRate(learningRate));
    }

    /**
     * Lion with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.99}, {@code weightDecay = 1e-3}).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.lion(0.1);
     * opt.update(Array.of(0.3, -5.0), opt.init(p), p).updates()   // Array(float64[2], [-0.1001,  0.0998])
     * }
     *
     * @param learningRate the learning rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> lion(double learningRate) {
        return lion(learningRate, 0.9, 0.99, 1e-3);
    }

    /**
     * Lion (Optax's {@code lion}): {@code chain(scaleByLion(b1, b2), addDecayedWeights(weightDecay),
     * scaleByLearningRate(lr))}. Needs the parameters in {@code update} (for the decay).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.lion(0.1, 0.9, 0.99, 0.0);
     * opt.update(Array.of(0.3, -5.0), opt.init(p), p).updates()   // Array(float64[2], [-0.1,  0.1])
     * }
     *
     * @param learningRate the learning rate
     * @param b1 the interpolation factor for the update direction
     * @param b2 the decay of the momentum
     * @param weightDecay the decoupled decay rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> lion(double learningRate, double b1, double b2, double weightDecay) {
        return chain(scaleByLion(b1, b2), addDecayedWeights(weightDecay), scaleByLearningRate(learningRate));
    }

    /**
     * Lion with a learning-rate schedule (the decay is scaled by the scheduled rate too).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Aliases.lion(Schedule.constant(0.1), 0.9, 0.99, 0.0);
     * opt.update(Array.of(0.3, -5.0), opt.init(p), p).updates()   // Array(float64[2], [-0.1,  0.1])
     * }
     *
     * @param learningRate the schedule
     * @param b1 the interpolation factor for the update direction
     * @param b2 the decay of the momentum
     * @param weightDecay the decoupled decay rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> lion(Schedule learningRate, double b1, double b2, double weightDecay) {
        return chain(scaleByLion(b1, b2), addDecayedWeights(weightDecay), scaleByLearningRate(learningRate));
    }
}
