package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.Jnp;
import java.util.List;

/**
 * Building blocks that divide by a running measure of the gradients' size (Optax's {@code scale_by_adam},
 * {@code scale_by_rms}, {@code scale_by_stddev}, {@code scale_by_rss}), with their states. Also reachable as
 * {@code Optim.scaleByAdam(...)} and so on.
 *
 * <p>An interface only so that {@link Optim} inherits its state types ({@code Optim.ScaleByAdamState} names
 * {@link ScaleByAdamState}); it is sealed and nothing implements it but that index.
 *
 * {@snippet lang=java :
 * Array p = Array.of(1.0, 2.0);
 * var opt = AdaptiveScaling.scaleByAdam();
 * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [ 1.0, -1.0])
 * }
 */
public sealed interface AdaptiveScaling permits Optim {
    /**
     * The state of {@link #scaleByAdam}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.scaleByAdam();
     * Optim.ScaleByAdamState s = opt.update(Array.of(2.0), opt.init(p), p).state();
     * s.mu()   // Array(float64[1], [0.2])
     * s.nu()   // Array(float64[1], [0.004])
     * }
     *
     * @param count the number of updates made (int32 scalar)
     * @param mu the first moment estimate, a tree of the parameters' structure
     * @param nu the second moment estimate, a tree of the parameters' structure
     */
    record ScaleByAdamState(Array count, Object mu, Object nu) {}

    /**
     * The state of {@link #scaleByRms}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.scaleByRms(0.9, 1e-8, 0.0);
     * opt.update(Array.of(2.0), opt.init(p), p).state().nu()   // Array(float64[1], [0.4])
     * }
     *
     * @param nu the running mean of squared gradients, a tree of the parameters' structure
     */
    record ScaleByRmsState(Object nu) {}

    /**
     * The state of {@link #scaleByStddev}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.scaleByStddev(0.9, 1e-8, 0.0);
     * opt.update(Array.of(2.0), opt.init(p), p).state().mu()   // Array(float64[1], [0.2])
     * }
     *
     * @param mu the running mean of gradients, a tree of the parameters' structure
     * @param nu the running mean of squared gradients, a tree of the parameters' structure
     */
    record ScaleByStddevState(Object mu, Object nu) {}

    /**
     * The state of {@link #scaleByRss}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.scaleByRss(0.0, 1e-8);
     * opt.update(Array.of(2.0), opt.init(p), p).state().sumOfSquares()   // Array(float64[1], [4.0])
     * }
     *
     * @param sumOfSquares the running sum of squared gradients, a tree of the parameters' structure
     */
    record ScaleByRssState(Object sumOfSquares) {}

    /**
     * Adam's scaling (Optax's {@code scale_by_adam}) with Optax's defaults {@code b1 = 0.9},
     * {@code b2 = 0.999}, {@code eps = 1e-8}, {@code epsRoot = 0}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = AdaptiveScaling.scaleByAdam();
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [ 1.0       , -0.99999998])
     * }
     *
     * @return the transformation
     */
    static GradientTransformation<ScaleByAdamState> scaleByAdam() {
        return scaleByAdam(0.9, 0.999, 1e-8, 0.0);
    }

    /**
     * Adam's scaling (Optax's {@code scale_by_adam}): with {@code t} the 1-based step,
     * {@code mu = b1 mu + (1 - b1) g}, {@code nu = b2 nu + (1 - b2) g^2},
     * {@code muHat = mu / (1 - b1^t)}, {@code nuHat = nu / (1 - b2^t)} (bias correction), and the update is
     * {@code muHat / (sqrt(nuHat + epsRoot) + eps)}. The moments start at zero.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = AdaptiveScaling.scaleByAdam(0.9, 0.999, 1.0, 0.0);
     * opt.update(Array.of(3.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [ 0.75, -0.5 ])
     * }
     *
     * @param b1 the decay of the first moment
     * @param b2 the decay of the second moment
     * @param eps added to the denominator outside the square root
     * @param epsRoot added inside the square root
     * @return the transformation
     */
    static GradientTransformation<ScaleByAdamState> scaleByAdam(double b1, double b2, double eps, double epsRoot) {
        return scaleByAdam(b1, b2, eps, epsRoot, false);
    }

    /**
     * Adam's scaling, optionally with Nesterov momentum (Optax's {@code scale_by_adam(..., nesterov)}, the
     * scaling of NAdam). Without Nesterov it is {@link #scaleByAdam(double, double, double, double)}; with it
     * the first moment is looked one step ahead: {@code muHat = b1 mu / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t)}
     * (Dozat 2016, as Optax: no extra {@code b2} factor on {@code nuHat}).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = AdaptiveScaling.scaleByAdam(0.9, 0.999, 1e-8, 0.0, true);
     * opt.update(Array.of(3.0, -0.5), opt.init(p), p).updates()   // Array(float64[2], [ 1.47368421, -1.47368418])
     * }
     *
     * @param b1 the decay of the first moment
     * @param b2 the decay of the second moment
     * @param eps added to the denominator outside the square root
     * @param epsRoot added inside the square root
     * @param nesterov whether to use Nesterov momentum
     * @return the transformation
     */
    static GradientTransformation<ScaleByAdamState> scaleByAdam(double b1, double b2, double eps, double epsRoot,
            boolean nesterov) {
        return scaleByAdam(b1, b2, eps, epsRoot, nesterov, null);
    }

    /**
     * {@link #scaleByAdam(double, double, double, double, boolean)} with the first moment kept in {@code muDtype}
     * (Optax's {@code mu_dtype}), for example float32 moments of bfloat16 parameters; null keeps each parameter's
     * dtype. As Optax's, the moment is updated in the promotion of its dtype and the gradient's, and the update
     * comes out in that promoted dtype (float32 for bfloat16 parameters and float32 moments); {@code
     * Eqx.applyUpdates} converts the sum back to each parameter's dtype.
     *
     * {@snippet lang=java :
     * Array p = Jnp.ones(DType.BFLOAT16, 2);
     * var opt = AdaptiveScaling.scaleByAdam(0.9, 0.999, 1e-8, 0.0, false, DType.FLOAT32);
     * opt.update(Jnp.ones(DType.BFLOAT16, 2), opt.init(p), p).state().mu()   // float32[2]
     * }
     *
     * @param b1 the decay of the first moment
     * @param b2 the decay of the second moment
     * @param eps added to the denominator outside the square root
     * @param epsRoot added inside the square root
     * @param nesterov whether to use Nesterov momentum
     * @param muDtype the floating dtype of the first moment, or null for the parameters' dtypes
     * @return the transformation
     */
    static GradientTransformation<ScaleByAdamState> scaleByAdam(double b1, double b2, double eps, double epsRoot,
            boolean nesterov, dev.solstice.DType muDtype) {
        if (muDtype != null && !muDtype.isFloating()) {
            throw new IllegalArgumentException("scaleByAdam: muDtype must be a floating dtype or null, got " + muDtype);
        }
        return new GradientTransformation<>() {
            @Override
            public ScaleByAdamState init(Object params) {
                return new ScaleByAdamState(Transforms.zeroCount(), Transforms.filled(params, 0.0, muDtype),
                        Transforms.filled(params, 0.0));
            }

            @Override
            public Update<ScaleByAdamState> update(Object grads, ScaleByAdamState state, Object params) {
                Leaves z = Leaves.align("scaleByAdam", "optimiser state", state.mu(), "grads", grads, "optimiser state's nu",
                        state.nu());
                Array count = Transforms.increment(state.count());
                List<Object> r = z.stepEach(1, new int[] {0, 2}, (g, mv) -> {
                    Array nm = g.mul(1 - b1).add(mv[0].mul(b1));
                    Array nv = Jnp.square(g).mul(1 - b2).add(mv[1].mul(b2));
                    // each moment corrected in its own dtype, as Optax's tree_bias_correction
                    Array mHat = nesterov
                            ? nm.div(Transforms.biasCorrection(b1, Transforms.increment(count), nm.dtype())).mul(b1)
                                    .add(g.div(Transforms.biasCorrection(b1, count, g.dtype())).mul(1 - b1))
                            : nm.div(Transforms.biasCorrection(b1, count, nm.dtype()));
                    Array vHat = nv.div(Transforms.biasCorrection(b2, count, nv.dtype()));
                    return new Array[] {mHat.div(Jnp.sqrt(vHat.add(epsRoot)).add(eps)),
                        muDtype == null ? nm : nm.astype(muDtype), nv};
                });
                return new Update<>(r.get(0), new ScaleByAdamState(count, r.get(1), r.get(2)));
            }
        };
    }

    /**
     * RMSProp's scaling (Optax's {@code scale_by_rms}): {@code nu = decay nu + (1 - decay) g^2} and the
     * update is {@code g / sqrt(nu + eps)} (the epsilon inside the square root, as Optax). {@code nu} starts at
     * {@code initialScale}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = AdaptiveScaling.scaleByRms(0.75, 0.0, 0.0);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [ 2.0, -2.0])
     * }
     *
     * @param decay the decay of the running mean of squares
     * @param eps added inside the square root
     * @param initialScale the starting value of {@code nu}
     * @return the transformation
     */
    static GradientTransformation<ScaleByRmsState> scaleByRms(double decay, double eps, double initialScale) {
        return new GradientTransformation<>() {
            @Override
            public ScaleByRmsState init(Object params) {
                return new ScaleByRmsState(Transforms.filled(params, initialScale));
            }

            @Override
            public Update<ScaleByRmsState> update(Object grads, ScaleByRmsState state, Object params) {
                Leaves z = Leaves.align("scaleByRms", "optimiser state", state.nu(), "grads", grads);
                List<Object> r = z.stepEach(1, new int[] {0}, (g, v) -> {
                    Array nv = Jnp.square(g).mul(1 - decay).add(v[0].mul(decay));
                    return new Array[] {g.mul(Jnp.rsqrt(nv.add(eps))), nv};
                });
                return new Update<>(r.get(0), new ScaleByRmsState(r.get(1)));
            }
        };
    }

    /**
     * Centred RMSProp's scaling (Optax's {@code scale_by_stddev}): {@code mu = decay mu + (1 - decay) g},
     * {@code nu = decay nu + (1 - decay) g^2}, and the update is {@code g / sqrt(nu - mu^2 + eps)}. {@code mu}
     * starts at zero and {@code nu} at {@code initialScale}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = AdaptiveScaling.scaleByStddev(0.5, 0.0, 0.0);
     * opt.update(Array.of(2.0, -2.0), opt.init(p), p).updates()   // Array(float64[2], [ 2.0, -2.0])
     * }
     *
     * @param decay the decay of the running means
     * @param eps added inside the square root
     * @param initialScale the starting value of {@code nu}
     * @return the transformation
     */
    static GradientTransformation<ScaleByStddevState> scaleByStddev(double decay, double eps, double initialScale) {
        return new GradientTransformation<>() {
            @Override
            public ScaleByStddevState init(Object params) {
                return new ScaleByStddevState(Transforms.filled(params, 0.0), Transforms.filled(params, initialScale));
            }

            @Override
            public Update<ScaleByStddevState> update(Object grads, ScaleByStddevState state, Object params) {
                Leaves z = Leaves.align("scaleByStddev", "optimiser state", state.mu(), "grads", grads, "optimiser state's nu",
                        state.nu());
                List<Object> r = z.stepEach(1, new int[] {0, 2}, (g, mv) -> {
                    Array nm = g.mul(1 - decay).add(mv[0].mul(decay));
                    Array nv = Jnp.square(g).mul(1 - decay).add(mv[1].mul(decay));
                    return new Array[] {g.mul(Jnp.rsqrt(nv.sub(Jnp.square(nm)).add(eps))), nm, nv};
                });
                return new Update<>(r.get(0), new ScaleByStddevState(r.get(1), r.get(2)));
            }
        };
    }

    /**
     * AdaGrad's scaling (Optax's {@code scale_by_rss}): {@code s = s + g^2} and the update is
     * {@code g / sqrt(s + eps)} where {@code s > 0}, and 0 where {@code s = 0}. {@code s} starts at
     * {@code initialAccumulatorValue}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = AdaptiveScaling.scaleByRss(0.0, 0.0);
     * opt.update(Array.of(2.0, -4.0), opt.init(p), p).updates()   // Array(float64[2], [ 1.0, -1.0])
     * }
     *
     * @param initialAccumulatorValue the starting sum of squares
     * @param eps added inside the square root
     * @return the transformation
     */
    static GradientTransformation<ScaleByRssState> scaleByRss(double initialAccumulatorValue, double eps) {
        return new GradientTransformation<>() {
            @Override
            public ScaleByRssState init(Object params) {
                return new ScaleByRssState(Transforms.filled(params, initialAccumulatorValue));
            }

            @Override
            public Update<ScaleByRssState> update(Object grads, ScaleByRssState state, Object params) {
                Leaves z = Leaves.align("scaleByRss", "optimiser state", state.sumOfSquares(), "grads", grads);
                List<Object> r = z.stepEach(1, new int[] {0}, (g, sq) -> {
                    Array ns = Jnp.square(g).add(sq[0]);
                    Array inv = Jnp.where(Jnp.greater(ns, 0.0), Jnp.rsqrt(ns.add(eps)), 0.0);
                    return new Array[] {inv.mul(g), ns};
                });
                return new Update<>(r.get(0), new ScaleByRssState(r.get(1)));
            }
        };
    }
}
