package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Transformations made of others (Optax's {@code combine}): {@link #chain} runs them one after another,
 * {@link #multiTransform} gives each leaf the transformation of its label. Also reachable as
 * {@code Optim.chain(...)} and {@code Optim.multiTransform(...)}.
 *
 * <p>An interface only so that {@link Optim} inherits its state types ({@code Optim.ChainState} names
 * {@link ChainState}); it is sealed and nothing implements it but that index.
 *
 * {@snippet lang=java :
 * Array p = Array.of(1.0);
 * var opt = Combine.chain(Optim.scale(2.0), Optim.scale(3.0));
 * opt.update(Array.of(1.0), opt.init(p), p).updates()   // Array(float64[1], [6.0])
 * }
 */
public sealed interface Combine permits Optim {
    /**
     * The state of {@link #chain}: the states of its transformations, in order.
     *
     * {@snippet lang=java :
     * var opt = Optim.chain(Optim.trace(0.9, false), Optim.scale(-0.1));
     * Optim.ChainState s = opt.init(Array.of(1.0));
     * s.states().size()   // 2
     * }
     *
     * @param states one state per transformation
     */
    record ChainState(List<Object> states) {}

    /**
     * The state of {@link #multiTransform}: one state per label.
     *
     * {@snippet lang=java :
     * var tx = Map.of("a", Optim.sgd(0.1), "b", Optim.setToZero());
     * var opt = Optim.multiTransform(tx, List.of("a", "b"));
     * opt.init(List.of(Array.of(1.0), Array.of(2.0))).innerStates().keySet().size()   // 2
     * }
     *
     * @param innerStates for each label (in sorted order), the {@link Masking.MaskedState} of its
     *     transformation, built on the leaves of that label only
     */
    record MultiTransformState(Map<String, Object> innerStates) {}

    /**
     * Transformations applied one after another (Optax's {@code chain}): each gets the previous one's
     * updates as its gradients. The state is a {@link ChainState} holding each one's state.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0, 2.0);
     * var opt = Combine.chain(Optim.clipByGlobalNorm(1.0), Optim.scaleByLearningRate(0.1));
     * opt.update(Array.of(3.0, 4.0), opt.init(p), p).updates()   // Array(float64[2], [-0.06, -0.08])
     * }
     *
     * @param transforms the transformations, in order
     * @return the chained transformation
     */
    static GradientTransformation<ChainState> chain(GradientTransformation<?>... transforms) {
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
                    Update<?> r = Transforms.update(ts.get(i), u, state.states().get(i), params);
                    u = r.updates();
                    next.add(r.state());
                }
                return new Update<>(u, new ChainState(next));
            }
        };
    }

    /**
     * A transformation per label (Optax's {@code multi_transform}): each leaf is updated by the transformation
     * of its label alone, for instance {@code Map.of("body", adam(1e-4), "head", adam(1e-3))} for two
     * learning rates, or {@code setToZero()} for leaves to freeze. Each transformation keeps its state on the
     * leaves of its label only.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Array.of(1.0), Array.of(1.0));
     * var tx = Map.of("train", Optim.sgd(1.0), "freeze", Optim.setToZero());
     * var opt = Combine.multiTransform(tx, List.of("train", "freeze"));
     * opt.update(List.of(Array.of(1.0), Array.of(1.0)), opt.init(p), p).updates()   // [Array(float64[1], [-1.0]), Array(float64[1], [0.0])]
     * }
     *
     * @param transforms the transformation of each label
     * @param labels a tree of the parameters' structure (or a prefix of it) whose leaves are {@link String}
     *     labels, each a key of {@code transforms}; a label at a subtree applies to all its leaves
     * @return the transformation
     */
    static GradientTransformation<MultiTransformState> multiTransform(Map<String, ? extends GradientTransformation<?>> transforms,
            Object labels) {
        return multiTransform(transforms, (Function<Object, Object>) params -> labels);
    }

    /**
     * {@link #multiTransform(Map, Object)} with the labels tree computed from the parameters (Optax's
     * {@code param_labels} given as a function): {@code labelsOf} is called on the parameters in
     * {@code init}, and on the parameters (or, when {@code update} gets none, the gradients) in {@code update}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Array.of(1.0), Array.of(1.0));
     * var tx = Map.of("train", Optim.sgd(1.0), "freeze", Optim.setToZero());
     * var opt = Combine.multiTransform(tx, params -> List.of("train", "freeze"));
     * opt.update(List.of(Array.of(1.0), Array.of(1.0)), opt.init(p), p).updates()   // [Array(float64[1], [-1.0]), Array(float64[1], [0.0])]
     * }
     *
     * @param transforms the transformation of each label
     * @param labelsOf the labels tree (or a prefix of it) of a tree of the parameters' structure
     * @return the transformation
     */
    static GradientTransformation<MultiTransformState> multiTransform(Map<String, ? extends GradientTransformation<?>> transforms,
            Function<Object, Object> labelsOf) {
        Objects.requireNonNull(labelsOf, "labelling function");
        return MultiTransform.of(transforms, (op, ref) -> {
            Tree.FlattenedWith labels = Tree.flattenWith(labelsOf.apply(ref), o -> o == null || o instanceof String);
            return LeafMasks.expand(op, "labels", labels.def(), labels.leaves(), ref);
        });
    }

    /**
     * {@link #multiTransform(Map, Object)} with each array leaf labelled from its path and value, for
     * instance {@code (path, leaf) -> leaf.ndim() > 1 ? "weights" : "biases"}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Jnp.ones(2, 2), Array.of(1.0));
     * var tx = Map.of("weights", Optim.sgd(1.0), "biases", Optim.setToZero());
     * var opt = Combine.multiTransform(tx, (path, leaf) -> leaf.ndim() > 1 ? "weights" : "biases");
     * var u = (List<?>) opt.update(List.of(Jnp.ones(2, 2), Array.of(1.0)), opt.init(p), p).updates();
     * u.get(1)   // Array(float64[1], [0.0])
     * }
     *
     * @param transforms the transformation of each label
     * @param label the label of an array leaf, a key of {@code transforms}
     * @return the transformation
     */
    static GradientTransformation<MultiTransformState> multiTransform(Map<String, ? extends GradientTransformation<?>> transforms,
            BiFunction<KeyPath, Array, String> label) {
        Objects.requireNonNull(label, "labelling function");
        return MultiTransform.of(transforms, (op, ref) -> {
            List<Object> out = new ArrayList<>();
            for (Tree.PathObject leaf : Tree.leavesWithPath(ref, Objects::isNull)) {
                out.add(leaf.leaf() instanceof Array a ? label.apply(leaf.path(), a) : null);
            }
            return out;
        });
    }
}
