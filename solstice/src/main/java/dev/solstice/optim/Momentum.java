package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.Jnp;
import java.util.List;

/**
 * Building blocks that follow a running average of the gradients (Optax's {@code trace} and
 * {@code scale_by_lion}), with their states. Also reachable as {@code Optim.trace(...)} and
 * {@code Optim.scaleByLion(...)}.
 *
 * <p>An interface only so that {@link Optim} inherits its state types ({@code Optim.TraceState} names
 * {@link TraceState}); it is sealed and nothing implements it but that index.
 *
 * {@snippet lang=java :
 * Array p = Array.of(0.0);
 * var opt = Momentum.trace(0.5, false);
 * var u = opt.update(Array.of(1.0), opt.init(p), p);
 * opt.update(Array.of(1.0), u.state(), p).updates()   // Array(float64[1], [1.5])
 * }
 */
public sealed interface Momentum permits Optim {
    /**
     * The state of {@link #trace}: the momentum.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.trace(0.5, false);
     * opt.update(Array.of(2.0), opt.init(p), p).state().trace()   // Array(float64[1], [2.0])
     * }
     *
     * @param trace the running momentum, a tree of the parameters' structure
     */
    record TraceState(Object trace) {}

    /**
     * The state of {@link #scaleByLion}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.scaleByLion(0.9, 0.99);
     * opt.update(Array.of(1.0), opt.init(p), p).state().count()   // 1
     * }
     *
     * @param count the number of updates made (int32 scalar)
     * @param mu the momentum, a tree of the parameters' structure
     */
    record ScaleByLionState(Array count, Object mu) {}

    /**
     * Momentum (Optax's {@code trace}): {@code t = g + decay * t}, and the update is {@code t}, or
     * {@code g + decay * t} (with the new {@code t}) for Nesterov momentum. The trace starts at zero.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Momentum.trace(0.9, false);
     * var u = opt.update(Array.of(1.0, -1.0), opt.init(p), p);
     * opt.update(Array.of(1.0, -1.0), u.state(), p).updates()   // Array(float64[2], [ 1.9, -1.9])
     * }
     *
     * @param decay the momentum coefficient
     * @param nesterov whether to use Nesterov momentum
     * @return the transformation
     */
    static GradientTransformation<TraceState> trace(double decay, boolean nesterov) {
        return new GradientTransformation<>() {
            @Override
            public TraceState init(Object params) {
                return new TraceState(Transforms.filled(params, 0.0));
            }

            @Override
            public Update<TraceState> update(Object grads, TraceState state, Object params) {
                Leaves z = Leaves.align("trace", "optimiser state", state.trace(), "grads", grads);
                List<Object> r = z.stepEach(1, new int[] {0}, (g, t) -> {
                    Array nt = g.add(t[0].mul(decay));
                    return new Array[] {nesterov ? g.add(nt.mul(decay)) : nt, nt};
                });
                return new Update<>(r.get(0), new TraceState(r.get(1)));
            }
        };
    }

    /**
     * Lion's scaling (Optax's {@code scale_by_lion}): the update is {@code sign((1 - b1) g + b1 mu)} and then
     * {@code mu = (1 - b2) g + b2 mu}. The momentum starts at zero.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Momentum.scaleByLion(0.9, 0.99);
     * opt.update(Array.of(0.3, -5.0), opt.init(p), p).updates()   // Array(float64[2], [ 1.0, -1.0])
     * }
     *
     * @param b1 the interpolation factor for the update direction
     * @param b2 the decay of the momentum
     * @return the transformation
     */
    static GradientTransformation<ScaleByLionState> scaleByLion(double b1, double b2) {
        return new GradientTransformation<>() {
            @Override
            public ScaleByLionState init(Object params) {
                return new ScaleByLionState(Transforms.zeroCount(), Transforms.filled(params, 0.0));
            }

            @Override
            public Update<ScaleByLionState> update(Object grads, ScaleByLionState state, Object params) {
                Leaves z = Leaves.align("scaleByLion", "optimiser state", state.mu(), "grads", grads);
                List<Object> r = z.stepEach(1, new int[] {0}, (g, m) -> new Array[] {
                    Jnp.sign(g.mul(1 - b1).add(m[0].mul(b1))), g.mul(1 - b2).add(m[0].mul(b2))});
                return new Update<>(r.get(0), new ScaleByLionState(Transforms.increment(state.count()), r.get(1)));
            }
        };
    }
}
