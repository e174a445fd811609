package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Optax's optimisers for Solstice: gradient transformations ({@link GradientTransformation}) built from small
 * pieces and combined with {@link #chain}. Each optimiser follows Optax's published update rule and defaults,
 * and is the chain of its building blocks: {@code adam(lr) = chain(scaleByAdam(), scaleByLearningRate(lr))}.
 *
 * <p>All transformations work on any tree of float32 or float64 arrays (records, lists, maps); {@code null}
 * leaves and subtrees are skipped (null gradient, null update, state unchanged). Results keep each leaf's
 * dtype. The state of every transformation is a tree of arrays (step counts are int32 scalars). Updates are
 * applied with {@code Eqx.applyUpdates(params, updates)}.
 */
public final class Optim {
    private Optim() {}

    // ---- states ---------------------------------------------------------------------------------------------

    /** The state of a transformation that keeps none (a tree with no leaves). */
    public record EmptyState() {}

    /**
     * The state of {@link #chain}: the states of its transformations, in order.
     *
     * @param states one state per transformation
     */
    public record ChainState(List<Object> states) {}

    /**
     * The state of {@link #trace}: the momentum.
     *
     * @param trace the running momentum, a tree of the parameters' structure
     */
    public record TraceState(Object trace) {}

    /**
     * The state of {@link #scaleByAdam}.
     *
     * @param count the number of updates made (int32 scalar)
     * @param mu the first moment estimate, a tree of the parameters' structure
     * @param nu the second moment estimate, a tree of the parameters' structure
     */
    public record ScaleByAdamState(Array count, Object mu, Object nu) {}

    /**
     * The state of {@link #scaleByRms}.
     *
     * @param nu the running mean of squared gradients, a tree of the parameters' structure
     */
    public record ScaleByRmsState(Object nu) {}

    /**
     * The state of {@link #scaleByStddev}.
     *
     * @param mu the running mean of gradients, a tree of the parameters' structure
     * @param nu the running mean of squared gradients, a tree of the parameters' structure
     */
    public record ScaleByStddevState(Object mu, Object nu) {}

    /**
     * The state of {@link #scaleByRss}.
     *
     * @param sumOfSquares the running sum of squared gradients, a tree of the parameters' structure
     */
    public record ScaleByRssState(Object sumOfSquares) {}

    /**
     * The state of {@link #scaleByLion}.
     *
     * @param count the number of updates made (int32 scalar)
     * @param mu the momentum, a tree of the parameters' structure
     */
    public record ScaleByLionState(Array count, Object mu) {}

    /**
     * The state of {@link #scaleBySchedule}.
     *
     * @param count the number of updates made (int32 scalar): the step the schedule is read at
     */
    public record ScaleByScheduleState(Array count) {}

    /**
     * The state of {@link #masked} and {@link #trainOnly}.
     *
     * @param innerState the inner transformation's state, built on the selected leaves only
     */
    public record MaskedState(Object innerState) {}

    // ---- running a transformation whose state type is unknown ----------------------------------------------------

    /**
     * Calls {@code t.update} with a state whose static type is lost (as {@code Object}), for code that holds
     * optimisers as {@code GradientTransformation<?>}.
     *
     * @param t the transformation
     * @param grads the gradients
     * @param state its state, as returned by {@code t.init} or an earlier update
     * @param params the parameters (or null when {@code t} does not read them)
     * @return the updates and the new state
     * @param <S> the state type
     */
    @SuppressWarnings("unchecked")
    public static <S> Update<S> update(GradientTransformation<S> t, Object grads, Object state, Object params) {
        try {
            return t.update(grads, (S) state, params);
        } catch (ClassCastException e) {
            if (state != null && e.getMessage() != null && e.getMessage().contains(state.getClass().getName())) {
                throw new IllegalArgumentException("update: the state " + state.getClass().getSimpleName() + " is not this"
                        + " transformation's state; pass the state made by its init (or returned by its last update)", e);
            }
            throw e;
        }
    }

    // ---- combinators ----------------------------------------------------------------------------------------------

    /**
     * Transformations applied one after another (Optax's {@code chain}): each gets the previous one's
     * updates as its gradients. The state is a {@link ChainState} holding each one's state.
     *
     * @param transforms the transformations, in order
     * @return the chained transformation
     */
    public static GradientTransformation<ChainState> chain(GradientTransformation<?>... transforms) {
        List<GradientTransformation<?>> ts = List.copyOf(Arrays.asList(transforms));
        return new GradientTransformation<>() {
            @Override
            public ChainState init(Object params) {
                List<Object> states = new ArrayList<>();
                for (GradientTransformation<?> t : ts) {
                    states.add(t.init(params));
                }
                return new ChainState(states);
            }

            @Override
            public Update<ChainState> update(Object grads, ChainState state, Object params) {
                if (state == null || state.states() == null || state.states().size() != ts.size()) {
                    throw new IllegalArgumentException("chain: expected a ChainState with " + ts.size() + " states, got "
                            + (state == null ? "null" : state.states() == null ? "null states" : state.states().size() + " states"));
                }
                Object u = grads;
                List<Object> next = new ArrayList<>();
                for (int i = 0; i < ts.size(); i++) {
                    Update<?> r = Optim.update(ts.get(i), u, state.states().get(i), params);
                    u = r.updates();
                    next.add(r.state());
                }
                return new Update<>(u, new ChainState(next));
            }
        };
    }

    /**
     * Applies {@code inner} to the leaves a mask selects and passes the other updates through unchanged
     * (Optax's {@code masked}): used for instance to apply weight decay to weights but not to biases. The
     * inner state is built on the selected leaves only. To freeze the unselected leaves instead, use
     * {@link #trainOnly}.
     *
     * @param inner the transformation for the selected leaves
     * @param mask a tree of the parameters' structure (or a prefix of it) whose leaves are bool scalar arrays
     *     or {@link Boolean}s ({@code null} means not selected); a value at a subtree applies to all its leaves
     * @return the masked transformation
     * @param <S> the inner state type
     */
    public static <S> GradientTransformation<MaskedState> masked(GradientTransformation<S> inner, Object mask) {
        return maskedImpl("masked", inner, treeMask(mask), true);
    }

    /**
     * {@link #masked} with the mask given by a test on each array leaf and its path (for instance
     * {@code (path, leaf) -> leaf.ndim() > 1} for weight matrices only).
     *
     * @param inner the transformation for the selected leaves
     * @param select true for the leaves {@code inner} applies to
     * @return the masked transformation
     * @param <S> the inner state type
     */
    public static <S> GradientTransformation<MaskedState> masked(GradientTransformation<S> inner,
            BiPredicate<KeyPath, Array> select) {
        return maskedImpl("masked", inner, predicateMask(select), true);
    }

    /**
     * Trains only the leaves a mask selects (Equinox's "freeze parameters" pattern): {@code inner} is applied
     * to the selected leaves, and every other leaf gets a {@code null} update, so that
     * {@code Eqx.applyUpdates} leaves it exactly as it is; no state is kept for frozen leaves.
     *
     * @param inner the optimiser for the trained leaves
     * @param mask a tree of the parameters' structure (or a prefix of it) whose leaves are bool scalar arrays
     *     or {@link Boolean}s; {@code true} means trained, {@code false} or {@code null} frozen
     * @return the transformation
     * @param <S> the inner state type
     */
    public static <S> GradientTransformation<MaskedState> trainOnly(GradientTransformation<S> inner, Object mask) {
        return maskedImpl("trainOnly", inner, treeMask(mask), false);
    }

    /**
     * {@link #trainOnly} with the trained leaves chosen by a test on each array leaf and its path.
     *
     * @param inner the optimiser for the trained leaves
     * @param trainable true for the leaves to train
     * @return the transformation
     * @param <S> the inner state type
     */
    public static <S> GradientTransformation<MaskedState> trainOnly(GradientTransformation<S> inner,
            BiPredicate<KeyPath, Array> trainable) {
        return maskedImpl("trainOnly", inner, predicateMask(trainable), false);
    }

    /** Computes, for a reference tree, one flag per leaf position (nulls counted). */
    private interface MaskFn {
        boolean[] flags(String op, Object reference);
    }

    private static MaskFn predicateMask(BiPredicate<KeyPath, Array> select) {
        Objects.requireNonNull(select, "mask predicate");
        return (op, ref) -> {
            Tree.FlattenedWith f = Tree.flattenWith(ref, Objects::isNull);
            boolean[] flags = new boolean[f.leaves().size()];
            // number the leaves (nulls too) so that paths line up with positions
            List<Object> marks = new ArrayList<>();
            for (int k = 0; k < flags.length; k++) {
                marks.add(Array.scalar(k));
            }
            List<Tree.PathLeaf> paths = Tree.leavesWithPath(Tree.unflatten(f.def(), marks));
            for (Tree.PathLeaf p : paths) {
                int k = (int) p.leaf().item();
                Object leaf = f.leaves().get(k);
                flags[k] = leaf instanceof Array a && select.test(p.path(), a);
            }
            return flags;
        };
    }

    private static MaskFn treeMask(Object mask) {
        Tree.FlattenedWith m = Tree.flattenWith(mask, o -> o == null || o instanceof Boolean);
        boolean[] maskFlags = new boolean[m.leaves().size()];
        for (int k = 0; k < maskFlags.length; k++) {
            Object o = m.leaves().get(k);
            if (o instanceof Array a) {
                if (a.size() != 1 || a.dtype() != DType.BOOL) {
                    throw new IllegalArgumentException("mask: leaves must be bool scalars or Booleans, got " + a.aval().str()
                            + " at " + Leaves.pathOf(mask, k, o2 -> o2 == null || o2 instanceof Boolean));
                }
                maskFlags[k] = a.item() != 0;
            } else {
                maskFlags[k] = Boolean.TRUE.equals(o);
            }
        }
        TreeDef maskDef = m.def();
        return (op, ref) -> {
            List<Object> subtrees;
            try {
                subtrees = Tree.flattenUpTo(maskDef, ref);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(op + ": the mask's structure is not a prefix of the tree's structure:\n  mask: "
                        + maskDef + "\n  tree: " + Tree.flattenWith(ref, Objects::isNull).def(), e);
            }
            List<Boolean> flags = new ArrayList<>();
            for (int k = 0; k < subtrees.size(); k++) {
                int n = Tree.flattenWith(subtrees.get(k), Objects::isNull).leaves().size();
                for (int j = 0; j < n; j++) {
                    flags.add(maskFlags[k]);
                }
            }
            boolean[] out = new boolean[flags.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = flags.get(k);
            }
            return out;
        };
    }

    /** {@code tree} (read against {@code def}) with the leaves whose flag is {@code keep} replaced by null. */
    private static Object select(TreeDef def, List<Object> leaves, boolean[] flags, boolean keep) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            out.add(flags[i] == keep ? leaves.get(i) : null);
        }
        return Tree.unflatten(def, out);
    }

    private static <S> GradientTransformation<MaskedState> maskedImpl(String op, GradientTransformation<S> inner, MaskFn mask,
            boolean passThrough) {
        Objects.requireNonNull(inner, "inner transformation");
        return new GradientTransformation<>() {
            @Override
            public MaskedState init(Object params) {
                Tree.FlattenedWith p = Tree.flattenWith(params, Objects::isNull);
                boolean[] flags = mask.flags(op, params);
                return new MaskedState(inner.init(select(p.def(), p.leaves(), flags, true)));
            }

            @Override
            public Update<MaskedState> update(Object grads, MaskedState state, Object params) {
                Object ref = params != null ? params : grads;
                String refName = params != null ? "params" : "grads";
                Leaves z = Leaves.align(op, refName, ref, "grads", grads);
                boolean[] flags = mask.flags(op, ref);
                List<Object> g = new ArrayList<>();
                List<Object> p = new ArrayList<>();
                for (int i = 0; i < z.size(); i++) {
                    g.add(z.raw(1, i));
                    p.add(z.raw(0, i));
                }
                Object innerGrads = select(z.def, g, flags, true);
                Object innerParams = params != null ? select(z.def, p, flags, true) : null;
                Update<S> r = Optim.update(inner, innerGrads, state.innerState(), innerParams);
                List<Object> innerUpdates;
                try {
                    innerUpdates = Tree.flattenUpToWithNulls(z.def, r.updates());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(op + ": the inner transformation returned updates of structure "
                            + Tree.flattenWith(r.updates(), Objects::isNull).def() + ", not the " + refName + "' structure " + z.def, e);
                }
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < z.size(); i++) {
                    out.add(flags[i] ? innerUpdates.get(i) : passThrough ? g.get(i) : null);
                }
                return new Update<>(z.build(out), new MaskedState(r.state()));
            }
        };
    }

    // ---- stateless building blocks -----------------------------------------------------------------------------

    /**
     * Passes the updates through unchanged (Optax's {@code identity}).
     *
     * @return the transformation
     */
    public static GradientTransformation<EmptyState> identity() {
        return stateless("identity", (g, p, i, z) -> g);
    }

    /**
     * Replaces every update by zeros of its shape and dtype (Optax's {@code set_to_zero}); null updates stay
     * null.
     *
     * @return the transformation
     */
    public static GradientTransformation<EmptyState> setToZero() {
        return stateless("setToZero", (g, p, i, z) -> Jnp.zerosLike(g));
    }

    /**
     * Multiplies every update by a constant (Optax's {@code scale}).
     *
     * @param stepSize the factor
     * @return the transformation
     */
    public static GradientTransformation<EmptyState> scale(double stepSize) {
        return stateless("scale", (g, p, i, z) -> g.mul(stepSize));
    }

    /**
     * Scales updates by minus the learning rate (Optax's {@code scale_by_learning_rate}), turning a descent
     * direction into a step: {@code u = -lr * g}.
     *
     * @param learningRate the learning rate
     * @return the transformation
     */
    public static GradientTransformation<EmptyState> scaleByLearningRate(double learningRate) {
        return scale(-learningRate);
    }

    /**
     * Scales updates by minus a scheduled learning rate: {@code u = -lr(step) * g}, with the step counted in
     * the state from 0 (Optax's {@code scale_by_learning_rate} with a schedule).
     *
     * @param learningRate the schedule
     * @return the transformation
     */
    public static GradientTransformation<ScaleByScheduleState> scaleByLearningRate(Schedule learningRate) {
        Objects.requireNonNull(learningRate, "learning rate schedule");
        return scaleBySchedule(step -> -learningRate.at(step));
    }

    /**
     * Multiplies updates by a scheduled factor read at the number of updates made so far (Optax's
     * {@code scale_by_schedule}). The step must be concrete: a schedule cannot be read inside {@code vmap}
     * over the state.
     *
     * @param factor the schedule of factors
     * @return the transformation
     */
    public static GradientTransformation<ScaleByScheduleState> scaleBySchedule(Schedule factor) {
        Objects.requireNonNull(factor, "schedule");
        return new GradientTransformation<>() {
            @Override
            public ScaleByScheduleState init(Object params) {
                return new ScaleByScheduleState(zeroCount());
            }

            @Override
            public Update<ScaleByScheduleState> update(Object grads, ScaleByScheduleState state, Object params) {
                int step = concreteStep("scaleBySchedule", state.count());
                double s = factor.at(step);
                Leaves z = Leaves.align("scaleBySchedule", "grads", grads);
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < z.size(); i++) {
                    Array g = z.floating(0, i);
                    out.add(g == null ? null : g.mul(s));
                }
                return new Update<>(z.build(out), new ScaleByScheduleState(increment(state.count())));
            }
        };
    }

    /**
     * Adds {@code weightDecay * params} to the updates (Optax's {@code add_decayed_weights}); placed before
     * {@link #scaleByLearningRate} this is decoupled weight decay. Needs the parameters in {@code update}.
     *
     * @param weightDecay the decay rate
     * @return the transformation
     */
    public static GradientTransformation<EmptyState> addDecayedWeights(double weightDecay) {
        return new GradientTransformation<>() {
            @Override
            public EmptyState init(Object params) {
                return new EmptyState();
            }

            @Override
            public Update<EmptyState> update(Object grads, EmptyState state, Object params) {
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
                return new Update<>(z.build(out), state);
            }
        };
    }

    /**
     * {@link #addDecayedWeights(double)} on the leaves a mask selects only (the others pass through).
     *
     * @param weightDecay the decay rate
     * @param mask true for the leaves to decay
     * @return the transformation
     */
    public static GradientTransformation<MaskedState> addDecayedWeights(double weightDecay, BiPredicate<KeyPath, Array> mask) {
        return masked(addDecayedWeights(weightDecay), mask);
    }

    /**
     * Rescales all updates together so that their global norm (the square root of the sum of every element's
     * square, over all leaves) is at most {@code maxNorm} (Optax's {@code clip_by_global_norm}): when the norm
     * {@code n} is below {@code maxNorm} the updates pass unchanged, otherwise each becomes
     * {@code g / n * maxNorm}.
     *
     * @param maxNorm the largest global norm allowed (positive)
     * @return the transformation
     */
    public static GradientTransformation<EmptyState> clipByGlobalNorm(double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipByGlobalNorm: maxNorm must be positive, got " + maxNorm);
        }
        return new GradientTransformation<>() {
            @Override
            public EmptyState init(Object params) {
                return new EmptyState();
            }

            @Override
            public Update<EmptyState> update(Object grads, EmptyState state, Object params) {
                Leaves z = Leaves.align("clipByGlobalNorm", "grads", grads);
                Array norm = globalNormOf(z);
                if (norm == null) {
                    return new Update<>(grads, state);
                }
                Array keep = Jnp.less(norm, maxNorm);
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < z.size(); i++) {
                    Array g = z.array(0, i);
                    out.add(g == null ? null : Jnp.where(keep, g, g.div(norm.astype(g.dtype())).mul(maxNorm)));
                }
                return new Update<>(z.build(out), state);
            }
        };
    }

    /**
     * The global norm of a tree: the square root of the sum of the squares of all elements of all its leaves
     * (Optax's {@code global_norm}); nulls are skipped. Computed in float64 when any leaf is float64.
     *
     * @param tree a tree of float arrays
     * @return the norm, a scalar array (0 for a tree with no leaves)
     */
    public static Array globalNorm(Object tree) {
        Array n = globalNormOf(Leaves.align("globalNorm", "tree", tree));
        return n == null ? Array.scalar(0.0f) : n;
    }

    private static Array globalNormOf(Leaves z) {
        Array total = null;
        for (int i = 0; i < z.size(); i++) {
            Array g = z.floating(0, i);
            if (g != null) {
                Array s = Jnp.sum(Jnp.square(g));
                total = total == null ? s : total.add(s);
            }
        }
        return total == null ? null : Jnp.sqrt(total);
    }

    // ---- stateful building blocks ---------------------------------------------------------------------------------

    /**
     * Momentum (Optax's {@code trace}): {@code t = g + decay * t}, and the update is {@code t}, or
     * {@code g + decay * t} (with the new {@code t}) for Nesterov momentum. The trace starts at zero.
     *
     * @param decay the momentum coefficient
     * @param nesterov whether to use Nesterov momentum
     * @return the transformation
     */
    public static GradientTransformation<TraceState> trace(double decay, boolean nesterov) {
        return new GradientTransformation<>() {
            @Override
            public TraceState init(Object params) {
                return new TraceState(filled("trace", params, 0.0));
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
     * Adam's scaling (Optax's {@code scale_by_adam}) with Optax's defaults {@code b1 = 0.9},
     * {@code b2 = 0.999}, {@code eps = 1e-8}, {@code epsRoot = 0}.
     *
     * @return the transformation
     */
    public static GradientTransformation<ScaleByAdamState> scaleByAdam() {
        return scaleByAdam(0.9, 0.999, 1e-8, 0.0);
    }

    /**
     * Adam's scaling (Optax's {@code scale_by_adam}): with {@code t} the 1-based step,
     * {@code mu = b1 mu + (1 - b1) g}, {@code nu = b2 nu + (1 - b2) g^2},
     * {@code muHat = mu / (1 - b1^t)}, {@code nuHat = nu / (1 - b2^t)} (bias correction), and the update is
     * {@code muHat / (sqrt(nuHat + epsRoot) + eps)}. The moments start at zero.
     *
     * @param b1 the decay of the first moment
     * @param b2 the decay of the second moment
     * @param eps added to the denominator outside the square root
     * @param epsRoot added inside the square root
     * @return the transformation
     */
    public static GradientTransformation<ScaleByAdamState> scaleByAdam(double b1, double b2, double eps, double epsRoot) {
        return new GradientTransformation<>() {
            @Override
            public ScaleByAdamState init(Object params) {
                return new ScaleByAdamState(zeroCount(), filled("scaleByAdam", params, 0.0), filled("scaleByAdam", params, 0.0));
            }

            @Override
            public Update<ScaleByAdamState> update(Object grads, ScaleByAdamState state, Object params) {
                Leaves z = Leaves.align("scaleByAdam", "optimiser state", state.mu(), "grads", grads, "optimiser state's nu",
                        state.nu());
                Array count = increment(state.count());
                List<Object> r = z.stepEach(1, new int[] {0, 2}, (g, mv) -> {
                    Array nm = g.mul(1 - b1).add(mv[0].mul(b1));
                    Array nv = Jnp.square(g).mul(1 - b2).add(mv[1].mul(b2));
                    Array mHat = nm.div(biasCorrection(b1, count, g.dtype()));
                    Array vHat = nv.div(biasCorrection(b2, count, g.dtype()));
                    return new Array[] {mHat.div(Jnp.sqrt(vHat.add(epsRoot)).add(eps)), nm, nv};
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
     * @param decay the decay of the running mean of squares
     * @param eps added inside the square root
     * @param initialScale the starting value of {@code nu}
     * @return the transformation
     */
    public static GradientTransformation<ScaleByRmsState> scaleByRms(double decay, double eps, double initialScale) {
        return new GradientTransformation<>() {
            @Override
            public ScaleByRmsState init(Object params) {
                return new ScaleByRmsState(filled("scaleByRms", params, initialScale));
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
     * @param decay the decay of the running means
     * @param eps added inside the square root
     * @param initialScale the starting value of {@code nu}
     * @return the transformation
     */
    public static GradientTransformation<ScaleByStddevState> scaleByStddev(double decay, double eps, double initialScale) {
        return new GradientTransformation<>() {
            @Override
            public ScaleByStddevState init(Object params) {
                return new ScaleByStddevState(filled("scaleByStddev", params, 0.0), filled("scaleByStddev", params, initialScale));
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
     * @param initialAccumulatorValue the starting sum of squares
     * @param eps added inside the square root
     * @return the transformation
     */
    public static GradientTransformation<ScaleByRssState> scaleByRss(double initialAccumulatorValue, double eps) {
        return new GradientTransformation<>() {
            @Override
            public ScaleByRssState init(Object params) {
                return new ScaleByRssState(filled("scaleByRss", params, initialAccumulatorValue));
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

    /**
     * Lion's scaling (Optax's {@code scale_by_lion}): the update is {@code sign((1 - b1) g + b1 mu)} and then
     * {@code mu = (1 - b2) g + b2 mu}. The momentum starts at zero.
     *
     * @param b1 the interpolation factor for the update direction
     * @param b2 the decay of the momentum
     * @return the transformation
     */
    public static GradientTransformation<ScaleByLionState> scaleByLion(double b1, double b2) {
        return new GradientTransformation<>() {
            @Override
            public ScaleByLionState init(Object params) {
                return new ScaleByLionState(zeroCount(), filled("scaleByLion", params, 0.0));
            }

            @Override
            public Update<ScaleByLionState> update(Object grads, ScaleByLionState state, Object params) {
                Leaves z = Leaves.align("scaleByLion", "optimiser state", state.mu(), "grads", grads);
                List<Object> r = z.stepEach(1, new int[] {0}, (g, m) -> new Array[] {
                    Jnp.sign(g.mul(1 - b1).add(m[0].mul(b1))), g.mul(1 - b2).add(m[0].mul(b2))});
                return new Update<>(r.get(0), new ScaleByLionState(increment(state.count()), r.get(1)));
            }
        };
    }

    // ---- optimisers -----------------------------------------------------------------------------------------------

    /**
     * Stochastic gradient descent: {@code u = -lr g} (Optax's {@code sgd} without momentum).
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
     * @param learningRate the learning rate
     * @param momentum the momentum coefficient (0 for none)
     * @param nesterov whether to use Nesterov momentum
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> sgd(double learningRate, double momentum, boolean nesterov) {
        return sgd(learningRateTransform(learningRate), momentum, nesterov);
    }

    /**
     * {@link #sgd(double, double, boolean)} with a learning-rate schedule.
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
     * @param learningRate the learning rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adam(double learningRate) {
        return adam(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * Adam (Optax's {@code adam}): {@code chain(scaleByAdam(b1, b2, eps, 0), scaleByLearningRate(lr))}.
     *
     * @param learningRate the learning rate
     * @param b1 the decay of the first moment
     * @param b2 the decay of the second moment
     * @param eps added to the denominator
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adam(double learningRate, double b1, double b2, double eps) {
        return chain(scaleByAdam(b1, b2, eps, 0.0), learningRateTransform(learningRate));
    }

    /**
     * Adam with a learning-rate schedule and Optax's default moments.
     *
     * @param learningRate the schedule
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adam(Schedule learningRate) {
        return chain(scaleByAdam(), scaleByLearningRate(learningRate));
    }

    /**
     * AdamW with Optax's defaults ({@code b1 = 0.9}, {@code b2 = 0.999}, {@code eps = 1e-8},
     * {@code weightDecay = 1e-4}).
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
     * @param learningRate the learning rate
     * @param b1 the decay of the first moment
     * @param b2 the decay of the second moment
     * @param eps added to the denominator
     * @param weightDecay the decay rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adamw(double learningRate, double b1, double b2, double eps, double weightDecay) {
        return chain(scaleByAdam(b1, b2, eps, 0.0), addDecayedWeights(weightDecay), learningRateTransform(learningRate));
    }

    /**
     * AdamW with a learning-rate schedule (the decay is scaled by the scheduled rate too, as Optax).
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
     * @param learningRate the learning rate
     * @param weightDecay the decay rate
     * @param decayMask true for the leaves to decay
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adamw(double learningRate, double weightDecay,
            BiPredicate<KeyPath, Array> decayMask) {
        return chain(scaleByAdam(), addDecayedWeights(weightDecay, decayMask), learningRateTransform(learningRate));
    }

    /**
     * RMSProp with Optax's defaults ({@code decay = 0.9}, {@code eps = 1e-8}, no momentum).
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
     * @param learningRate the learning rate
     * @param decay the decay of the running mean of squares
     * @param eps added inside the square root
     * @param momentum the momentum coefficient (0 for none)
     * @param nesterov whether the momentum is Nesterov's
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> rmsprop(double learningRate, double decay, double eps, double momentum,
            boolean nesterov) {
        return rmsprop(learningRateTransform(learningRate), decay, eps, false, momentum, nesterov);
    }

    /**
     * RMSProp with every Optax option but the initial scale (which is 0): centred RMSProp divides by the
     * running standard deviation ({@link #scaleByStddev}) instead of the root mean square
     * ({@link #scaleByRms}); the learning rate is a schedule.
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
     * @param learningRate the learning rate
     * @param decay the decay of the running means
     * @param eps added inside the square root
     * @param centered whether to use the centred form ({@link #scaleByStddev})
     * @param momentum the momentum coefficient (0 for none)
     * @param nesterov whether the momentum is Nesterov's
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> rmsprop(double learningRate, double decay, double eps, boolean centered,
            double momentum, boolean nesterov) {
        return rmsprop(learningRateTransform(learningRate), decay, eps, centered, momentum, nesterov);
    }

    private static GradientTransformation<ChainState> rmsprop(GradientTransformation<?> lr, double decay, double eps,
            boolean centered, double momentum, boolean nesterov) {
        return chain(centered ? scaleByStddev(decay, eps, 0.0) : scaleByRms(decay, eps, 0.0), lr,
                momentum == 0 ? identity() : trace(momentum, nesterov));
    }

    /**
     * AdaGrad with Optax's defaults ({@code initialAccumulatorValue = 0.1}, {@code eps = 1e-7}).
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
     * @param learningRate the learning rate
     * @param initialAccumulatorValue the starting sum of squares
     * @param eps added inside the square root
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> adagrad(double learningRate, double initialAccumulatorValue, double eps) {
        return chain(scaleByRss(initialAccumulatorValue, eps), learningRateTransform(learningRate));
    }

    /**
     * AdaGrad with a learning-rate schedule and Optax's defaults.
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
     * @param learningRate the learning rate
     * @param b1 the interpolation factor for the update direction
     * @param b2 the decay of the momentum
     * @param weightDecay the decoupled decay rate
     * @return the optimiser
     */
    public static GradientTransformation<ChainState> lion(double learningRate, double b1, double b2, double weightDecay) {
        return chain(scaleByLion(b1, b2), addDecayedWeights(weightDecay), learningRateTransform(learningRate));
    }

    /**
     * Lion with a learning-rate schedule (the decay is scaled by the scheduled rate too).
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

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static GradientTransformation<?> learningRateTransform(double learningRate) {
        return scaleByLearningRate(learningRate);
    }

    /** A transformation with no state computing each non-null update from its gradient. */
    private interface LeafUpdate {
        Array apply(Array g, Object params, int i, Leaves z);
    }

    private static GradientTransformation<EmptyState> stateless(String op, LeafUpdate fn) {
        return new GradientTransformation<>() {
            @Override
            public EmptyState init(Object params) {
                return new EmptyState();
            }

            @Override
            public Update<EmptyState> update(Object grads, EmptyState state, Object params) {
                Leaves z = Leaves.align(op, "grads", grads);
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < z.size(); i++) {
                    Array g = z.floating(0, i);
                    out.add(g == null ? null : fn.apply(g, params, i, z));
                }
                return new Update<>(z.build(out), state);
            }
        };
    }

    /**
     * A tree of the parameters' structure with {@code value} in place of every float leaf, of its shape and
     * dtype; null, integer and bool leaves get null (they are not optimised).
     */
    private static Object filled(String op, Object params, double value) {
        Tree.FlattenedWith f = Tree.flattenWith(params, Objects::isNull);
        List<Object> out = new ArrayList<>();
        for (Object o : f.leaves()) {
            out.add(o instanceof Array a && a.dtype().isFloating() ? Jnp.full(a.dtype(), value, a.shape()) : null);
        }
        return Tree.unflatten(f.def(), out);
    }

    private static Array zeroCount() {
        return Array.scalar(0);
    }

    /** {@code count + 1}, saturating at the largest int32 (as Optax's safe increment). */
    private static Array increment(Array count) {
        if (count == null || count.dtype() != DType.INT32 || count.ndim() != 0) {
            throw new IllegalArgumentException("optimiser state: the step count must be an int32 scalar, got "
                    + (count == null ? "null" : count.aval().str()));
        }
        return Jnp.where(Jnp.less(count, (double) Integer.MAX_VALUE), count.add(Array.scalar(1)), count);
    }

    /** {@code 1 - decay^count} in {@code dtype}, computed with array operations so that it works under vmap. */
    private static Array biasCorrection(double decay, Array count, DType dtype) {
        return Jnp.subtract(1.0, Jnp.power(Jnp.full(dtype, decay), count.astype(dtype)));
    }

    private static int concreteStep(String op, Array count) {
        if (count == null || count.dtype() != DType.INT32 || count.ndim() != 0) {
            throw new IllegalArgumentException(op + ": the step count must be an int32 scalar, got "
                    + (count == null ? "null" : count.aval().str()));
        }
        try {
            return (int) count.item();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(op + ": a schedule needs a concrete step count, but the count is being"
                    + " transformed (" + e.getMessage() + "); use a constant learning rate inside vmap", e);
        }
    }

}
