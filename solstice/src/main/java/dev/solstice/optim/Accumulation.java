package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.Jnp;
import java.util.List;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * Gradient accumulation over several steps (Optax's {@code apply_every} and {@code MultiSteps}), with their
 * states: to train with a batch k times larger than fits at once. Also reachable as
 * {@code Optim.applyEvery(...)} and {@code Optim.multiSteps(...)}.
 *
 * <p>An interface only so that {@link Optim} inherits its state types ({@code Optim.MultiStepsState} names
 * {@link MultiStepsState}); it is sealed and nothing implements it but that index.
 *
 * {@snippet lang=java :
 * Array p = Array.of(0.0);
 * var opt = Accumulation.multiSteps(Optim.sgd(1.0), 2);
 * var u = opt.update(Array.of(1.0), opt.init(p), p);
 * opt.update(Array.of(3.0), u.state(), p).updates()   // Array(float64[1], [-2.0])
 * }
 */
public sealed interface Accumulation permits Optim {
    /**
     * The state of {@link #applyEvery}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.applyEvery(3);
     * opt.update(Array.of(1.0), opt.init(p), p).state().gradAcc()   // Array(float64[1], [1.0])
     * }
     *
     * @param count the number of updates made since the last emitted one (int32 scalar, below {@code k})
     * @param gradAcc the sum of those updates, a tree of the parameters' structure
     */
    record ApplyEveryState(Array count, Object gradAcc) {}

    /**
     * The state of {@link #multiSteps}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.multiSteps(Optim.sgd(1.0), 2);
     * Optim.MultiStepsState s = opt.update(Array.of(1.0), opt.init(p), p).state();
     * s.miniStep()   // 1
     * s.accGrads()   // Array(float64[1], [1.0])
     * }
     *
     * @param miniStep the number of gradients accumulated since the last step of the wrapped optimiser (int32
     *     scalar)
     * @param gradientStep the number of steps the wrapped optimiser has made (int32 scalar)
     * @param innerOptState the wrapped optimiser's state
     * @param accGrads the accumulated gradients (their mean or sum), a tree of the parameters' structure
     */
    record MultiStepsState(Array miniStep, Array gradientStep, Object innerOptState, Object accGrads) {}

    /**
     * Sums the updates of {@code k} consecutive steps and emits the sum on every {@code k}-th, zeros on the
     * others (Optax's {@code apply_every}). Placed last in a chain it accumulates that chain's steps, for
     * instance {@code chain(sgd(lr), applyEvery(k))}; the transformations before it still update their state
     * at every step, so to step an optimiser once on the accumulated gradients use {@link #multiSteps}.
     * Works with array operations only, so its state can be mapped over with {@code vmap}.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Accumulation.applyEvery(2);
     * var u1 = opt.update(Array.of(1.0), opt.init(p), p);
     * u1.updates()   // Array(float64[1], [0.0])
     * opt.update(Array.of(2.0), u1.state(), p).updates()   // Array(float64[1], [3.0])
     * }
     *
     * @param k the number of steps per emitted update (positive)
     * @return the transformation
     */
    static GradientTransformation<ApplyEveryState> applyEvery(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("applyEvery: k must be positive, got " + k);
        }
        return new GradientTransformation<>() {
            @Override
            public ApplyEveryState init(Object params) {
                return new ApplyEveryState(Transforms.zeroCount(), Transforms.filled(params, 0.0));
            }

            @Override
            public Update<ApplyEveryState> update(Object grads, ApplyEveryState state, Object params) {
                Array count = Transforms.checkCount("applyEvery", state.count());
                Array keep = Jnp.greater(count, 0.0);
                Array emit = Jnp.equal(count, k - 1.0);
                Leaves z = Leaves.align("applyEvery", "optimiser state", state.gradAcc(), "grads", grads);
                List<Object> r = z.stepEach(1, new int[] {0}, (g, acc) -> {
                    Array sum = Jnp.where(keep, acc[0], 0.0).add(g);
                    return new Array[] {Jnp.where(emit, sum, 0.0), sum};
                });
                Array next = Jnp.where(emit, Transforms.zeroCount(), count.add(Array.scalar(1)));
                return new Update<>(r.get(0), new ApplyEveryState(next, r.get(1)));
            }
        };
    }

    /**
     * Steps {@code opt} once every {@code k} calls on the mean of the {@code k} gradients, and emits zero
     * updates in between (Optax's {@code MultiSteps(opt, every_k_schedule=k)}): with a batch split in
     * {@code k} equal parts, this is {@code opt} on the whole batch. With traced step counts (inside
     * {@code jit} or {@code vmap} over states) it steps {@code opt} on every call and keeps its result only
     * where {@code k} gradients are accumulated ({@code Jnp.where}), as Optax does.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Accumulation.multiSteps(Optim.sgd(1.0), 2);
     * var u1 = opt.update(Array.of(1.0), opt.init(p), p);
     * u1.updates()   // Array(float64[1], [0.0])
     * opt.update(Array.of(3.0), u1.state(), p).updates()   // Array(float64[1], [-2.0])
     * }
     *
     * @param opt the optimiser to step
     * @param k the number of gradients per step (positive)
     * @return the transformation
     * @param <S> the optimiser's state type
     */
    static <S> GradientTransformation<MultiStepsState> multiSteps(GradientTransformation<S> opt, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("multiSteps: k must be positive, got " + k);
        }
        return multiSteps(opt, step -> k, true, k);
    }

    /**
     * Optax's {@code MultiSteps} with every option: the number of gradients per step is read from
     * {@code everyK} at the number of steps made so far (so that the batch can grow during training), and
     * the gradients are averaged ({@code useGradMean}) or summed. Steps {@code opt} when at least that many
     * gradients are accumulated. {@code everyK} is Java code of the step count, so the counts must be concrete
     * (not inside {@code jit} or {@code vmap}); {@link #multiSteps(GradientTransformation, int)}, with a fixed
     * number, also works there.
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Accumulation.multiSteps(Optim.sgd(1.0), step -> 2, false);
     * var u1 = opt.update(Array.of(1.0), opt.init(p), p);
     * opt.update(Array.of(3.0), u1.state(), p).updates()   // Array(float64[1], [-4.0])
     * }
     *
     * @param opt the optimiser to step
     * @param everyK the number of gradients per step (positive), from the number of steps made so far
     * @param useGradMean average the accumulated gradients (true, as Optax's default) or sum them
     * @return the transformation
     * @param <S> the optimiser's state type
     */
    static <S> GradientTransformation<MultiStepsState> multiSteps(GradientTransformation<S> opt, IntUnaryOperator everyK,
            boolean useGradMean) {
        return multiSteps(opt, everyK, useGradMean, null);
    }

    /** {@link #multiSteps}, traceable when {@code fixedK} (the constant value of {@code everyK}) is given. */
    private static <S> GradientTransformation<MultiStepsState> multiSteps(GradientTransformation<S> opt, IntUnaryOperator everyK,
            boolean useGradMean, Integer fixedK) {
        Objects.requireNonNull(opt, "optimiser");
        Objects.requireNonNull(everyK, "everyK schedule");
        return new GradientTransformation<>() {
            @Override
            public MultiStepsState init(Object params) {
                return new MultiStepsState(Transforms.zeroCount(), Transforms.zeroCount(), opt.init(params),
                        Transforms.filled(params, 0.0));
            }

            @Override
            public Update<MultiStepsState> update(Object grads, MultiStepsState state, Object params) {
                boolean traced = Transforms.isTraced("multiSteps", state.miniStep())
                        || Transforms.isTraced("multiSteps", state.gradientStep());
                if (traced && fixedK != null) {
                    return tracedMultiStep(opt, fixedK, useGradMean, grads, state, params);
                }
                String hint = "its everyK function is Java code of the step: step it outside jit and vmap, or use a fixed k"
                        + " (multiSteps(opt, k)), which traces";
                int mini = Transforms.concreteStep("multiSteps", state.miniStep(), hint);
                int k = everyK.applyAsInt(Transforms.concreteStep("multiSteps", state.gradientStep(), hint));
                if (k < 1) {
                    throw new IllegalArgumentException("multiSteps: everyK must give a positive number of steps, got " + k);
                }
                Leaves z = Leaves.align("multiSteps", "optimiser state", state.accGrads(), "grads", grads);
                Object acc = z.stepEach(1, new int[] {0}, (g, a) -> {
                    Array next = useGradMean ? a[0].add(g.sub(a[0]).div(mini + 1.0)) : a[0].add(g);
                    return new Array[] {null, next};
                }).get(1);
                if (mini + 1 < k) {
                    Object zeros = Scaling.setToZero().update(grads, new Scaling.EmptyState(), null).updates();
                    return new Update<>(zeros, new MultiStepsState(Array.scalar(mini + 1), state.gradientStep(),
                            state.innerOptState(), acc));
                }
                Update<S> u = Transforms.update(opt, acc, state.innerOptState(), params);
                return new Update<>(u.updates(), new MultiStepsState(Transforms.zeroCount(),
                        Transforms.increment(state.gradientStep()), u.state(), Transforms.filled(acc, 0.0)));
            }
        };
    }

    /**
     * One {@link #multiSteps} update with traced counts: the wrapped optimiser steps on every call, and its
     * updates and state are kept only where {@code k} gradients are accumulated.
     */
    private static <S> Update<MultiStepsState> tracedMultiStep(GradientTransformation<S> opt, int k, boolean useGradMean,
            Object grads, MultiStepsState state, Object params) {
        Array mini = state.miniStep();
        Array seen = mini.add(Array.scalar(1));
        Leaves z = Leaves.align("multiSteps", "optimiser state", state.accGrads(), "grads", grads);
        Object acc = z.stepEach(1, new int[] {0}, (g, a) -> {
            Array next = useGradMean ? a[0].add(g.sub(a[0]).div(seen.astype(g.dtype()))) : a[0].add(g);
            return new Array[] {null, next};
        }).get(1);
        Array emit = Jnp.greaterEqual(seen, Array.scalar(k));
        Update<S> u = Transforms.update(opt, acc, state.innerOptState(), params);
        Object zeros = Scaling.setToZero().update(grads, new Scaling.EmptyState(), null).updates();
        MultiStepsState next = new MultiStepsState(Jnp.where(emit, Transforms.zeroCount(), seen),
                Jnp.where(emit, Transforms.increment(state.gradientStep()), state.gradientStep()),
                Transforms.select("multiSteps", emit, u.state(), state.innerOptState()),
                Transforms.select("multiSteps", emit, Transforms.filled(acc, 0.0), acc));
        return new Update<>(Transforms.select("multiSteps", emit, u.updates(), zeros), next);
    }

    /**
     * Whether the last update of a {@link #multiSteps} transformation stepped the wrapped optimiser (Optax's
     * {@code MultiSteps.has_updated}).
     *
     * {@snippet lang=java :
     * Array p = Array.of(0.0);
     * var opt = Optim.multiSteps(Optim.sgd(1.0), 2);
     * var u1 = opt.update(Array.of(1.0), opt.init(p), p);
     * Accumulation.hasUpdated(u1.state())   // false
     * Accumulation.hasUpdated(opt.update(Array.of(1.0), u1.state(), p).state())   // true
     * }
     *
     * @param state the state returned by that update
     * @return true when the optimiser stepped
     */
    static boolean hasUpdated(MultiStepsState state) {
        String hint = "hasUpdated returns a Java boolean, so call it on the state a jitted step returns, or compute"
                + " miniStep == 0 && gradientStep > 0 with Jnp inside";
        return Transforms.concreteStep("hasUpdated", state.miniStep(), hint) == 0
                && Transforms.concreteStep("hasUpdated", state.gradientStep(), hint) > 0;
    }
}
