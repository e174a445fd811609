package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.Jnp;
import dev.solstice.tree.KeyPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Building blocks that rescale or shift updates without momentum (Optax's {@code identity},
 * {@code set_to_zero}, {@code scale}, {@code scale_by_learning_rate}, {@code scale_by_schedule},
 * {@code add_decayed_weights}), with their states. Also reachable as {@code Optim.scale(...)} and so on.
 *
 * <p>An interface only so that {@link Optim} inherits its state types ({@code Optim.EmptyState} names
 * {@link EmptyState}); it is sealed and nothing implements it but that index.
 *
 * {@snippet lang=java :
 * Array p = Array.of(1.0, 2.0);
 * var opt = Scaling.scale(-0.5);
 * opt.update(Array.of(2.0, 4.0), opt.init(p), p).updates()   // Array(float64[2], [-1.0, -2.0])
 * }
 */
public sealed interface Scaling permits Optim {
    /**
     * The state of a transformation that keeps none (a tree with no leaves).
     *
     * {@snippet lang=java :
     * Optim.identity().init(Array.of(1.0))   // EmptyState[]
     * }
     */
    record EmptyState() {}

    /**
     * The state of {@link #scaleBySchedule}.
     *
     * {@snippet lang=java :
     * Optim.scaleBySchedule(Schedule.constant(1.0)).init(Array.of(1.0)).count()   // 0
     * }
     *
     * @param count the number of updates made (int32 scalar): the step the schedule is read at
     */
    record ScaleByScheduleState(Array count) {}

    /**
     * Passes the updates through unchanged (Optax's {@code identity}).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Scaling.identity();
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [ 1.0, -1.0])
     * }
     *
     * @return the transformation
     */
    static GradientTransformation<EmptyState> identity() {
        return Transforms.stateless("identity", g -> g);
    }

    /**
     * Replaces every update by zeros of its shape and dtype (Optax's {@code set_to_zero}); null updates stay
     * null.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Scaling.setToZero();
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [0.0, 0.0])
     * }
     *
     * @return the transformation
     */
    static GradientTransformation<EmptyState> setToZero() {
        return Transforms.stateless("setToZero", g -> Jnp.zerosLike(g));
    }

    /**
     * Multiplies every update by a constant (Optax's {@code scale}).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Scaling.scale(0.5);
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [ 0.5, -0.5])
     * }
     *
     * @param stepSize the factor
     * @return the transformation
     */
    static GradientTransformation<EmptyState> scale(double stepSize) {
        return Transforms.stateless("scale", g -> g.mul(stepSize));
    }

    /**
     * Scales updates by minus the learning rate (Optax's {@code scale_by_learning_rate}), turning a descent
     * direction into a step: {@code u = -lr * g}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Scaling.scaleByLearningRate(0.5);
     * opt.update(Array.of(1.0, -1.0), opt.init(p), p).updates()   // Array(float64[2], [-0.5,  0.5])
     * }
     *
     * @param learningRate the learning rate
     * @return the transformation
     */
    static GradientTransformation<EmptyState> scaleByLearningRate(double learningRate) {
        return scale(-learningRate);
    }

    /**
     * Scales updates by minus a scheduled learning rate: {@code u = -lr(step) * g}, with the step counted in
     * the state from 0 (Optax's {@code scale_by_learning_rate} with a schedule).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Scaling.scaleByLearningRate(step -> 1.0 / (step + 1));
     * var u = opt.update(Array.of(1.0, -1.0), opt.init(p), p);
     * opt.update(Array.of(1.0, -1.0), u.state(), p).updates()   // Array(float64[2], [-0.5,  0.5])
     * }
     *
     * @param learningRate the schedule
     * @return the transformation
     */
    static GradientTransformation<ScaleByScheduleState> scaleByLearningRate(Schedule learningRate) {
        Objects.requireNonNull(learningRate, "learning rate schedule");
        return scaleBySchedule("scaleByLearningRate", learningRate, -1.0);
    }

    /**
     * Multiplies updates by a scheduled factor read at the number of updates made so far (Optax's
     * {@code scale_by_schedule}). The count is read with {@link Schedule#at(Array)}, so the factories'
     * schedules work inside {@code jit} and {@code vmap} over states; a schedule written as a lambda needs a
     * concrete count (outside them).
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Scaling.scaleBySchedule(Schedule.linear(1.0, 0.0, 4));
     * var u = opt.update(Array.of(1.0, -1.0), opt.init(p), p);
     * opt.update(Array.of(1.0, -1.0), u.state(), p).updates()   // Array(float64[2], [ 0.75, -0.75])
     * }
     *
     * @param factor the schedule of factors
     * @return the transformation
     */
    static GradientTransformation<ScaleByScheduleState> scaleBySchedule(Schedule factor) {
        return scaleBySchedule("scaleBySchedule", factor, 1.0);
    }

    /** Multiplies updates by {@code sign * factor(count)}, with the count read as an array so that it traces. */
    private static GradientTransformation<ScaleByScheduleState> scaleBySchedule(String op, Schedule factor, double sign) {
        Objects.requireNonNull(factor, "schedule");
        return new GradientTransformation<>() {
            @Override
            public ScaleByScheduleState init(Object params) {
                return new ScaleByScheduleState(Transforms.zeroCount());
            }

            @Override
            public Update<ScaleByScheduleState> update(Object grads, ScaleByScheduleState state, Object params) {
                Array value = factor.at(Transforms.checkCount(op, state.count()));
                Array s = sign < 0 ? value.neg() : value;
                Update<EmptyState> u = Transforms.stateless(op, g -> g.mul(s.astype(g.dtype()))).update(grads, new EmptyState(), null);
                return new Update<>(u.updates(), new ScaleByScheduleState(Transforms.increment(state.count())));
            }
        };
    }

    /**
     * Adds {@code weightDecay * params} to the updates (Optax's {@code add_decayed_weights}); placed before
     * {@link #scaleByLearningRate} this is decoupled weight decay. Needs the parameters in {@code update}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Scaling.addDecayedWeights(0.1);
     * opt.update(Array.of(0.0, 0.0), opt.init(p), p).updates()   // Array(float64[2], [0.1, 0.2])
     * }
     *
     * @param weightDecay the decay rate
     * @return the transformation
     */
    static GradientTransformation<EmptyState> addDecayedWeights(double weightDecay) {
        return Transforms.stateless((grads, params) -> {
            if (params == null) {
                throw new IllegalArgumentException("addDecayedWeights: needs the params in update(grads, state, params)");
            }
            Leaves z = Leaves.align("addDecayedWeights", "grads", grads, "params", params);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < z.size(); i++) {
                Array g = z.floating(0, i);
                if (g == null) {
                    out.add(null);
                    continue;
                }
                Array p = z.array(1, i);
                if (p == null) {
                    throw z.missing(0, 1, i);
                }
                out.add(g.add(p.mul(weightDecay)));
            }
            return z.build(out);
        });
    }

    /**
     * {@link #addDecayedWeights(double)} on the leaves a mask selects only (the others pass through).
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Jnp.ones(2, 2), Array.of(1.0));
     * var opt = Scaling.addDecayedWeights(0.1, (path, leaf) -> leaf.ndim() > 1);
     * var u = (List<?>) opt.update(List.of(Jnp.zeros(2, 2), Array.of(0.0)), opt.init(p), p).updates();
     * u.get(1)   // Array(float64[1], [0.0])
     * }
     *
     * @param weightDecay the decay rate
     * @param mask true for the leaves to decay
     * @return the transformation
     */
    static GradientTransformation<Masking.MaskedState> addDecayedWeights(double weightDecay, BiPredicate<KeyPath, Array> mask) {
        return Masking.masked(addDecayedWeights(weightDecay), mask);
    }
}
