package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.tree.KeyPath;
import java.util.function.BiPredicate;

/**
 * Transformations applied to some leaves only (Optax's {@code masked}, and Equinox's freezing as
 * {@link #trainOnly}), with their state. Also reachable as {@code Optim.masked(...)} and
 * {@code Optim.trainOnly(...)}.
 *
 * <p>An interface only so that {@link Optim} inherits its state type ({@code Optim.MaskedState} names
 * {@link MaskedState}); it is sealed and nothing implements it but that index.
 *
 * {@snippet lang=java :
 * List<Array> p = List.of(Array.of(1.0), Array.of(1.0));
 * var opt = Masking.trainOnly(Optim.sgd(1.0), List.of(false, true));
 * opt.update(List.of(Array.of(1.0), Array.of(1.0)), opt.init(p), p).updates()   // [null, Array(float64[1], [-1.0])]
 * }
 */
public sealed interface Masking permits Optim {
    /**
     * The state of {@link #masked} and {@link #trainOnly}.
     *
     * {@snippet lang=java :
     * var opt = Optim.masked(Optim.trace(0.9, false), List.of(true, false));
     * Optim.MaskedState s = opt.init(List.of(Array.of(1.0), Array.of(2.0)));
     * s.innerState() != null   // true
     * }
     *
     * @param innerState the inner transformation's state, built on the selected leaves only
     */
    record MaskedState(Object innerState) {}

    /**
     * Applies {@code inner} to the leaves a mask selects and passes the other updates through unchanged
     * (Optax's {@code masked}): used for instance to apply weight decay to weights but not to biases. The
     * inner state is built on the selected leaves only. To freeze the unselected leaves instead, use
     * {@link #trainOnly}.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Array.of(1.0), Array.of(1.0));
     * var opt = Masking.masked(Optim.scale(10.0), List.of(true, false));
     * opt.update(List.of(Array.of(1.0), Array.of(1.0)), opt.init(p), p).updates()   // [Array(float64[1], [10.0]), Array(float64[1], [1.0])]
     * }
     *
     * @param inner the transformation for the selected leaves
     * @param mask a tree of the parameters' structure (or a prefix of it) whose leaves are bool scalar arrays
     *     or {@link Boolean}s ({@code null} means not selected); a value at a subtree applies to all its leaves
     * @return the masked transformation
     * @param <S> the inner state type
     */
    static <S> GradientTransformation<MaskedState> masked(GradientTransformation<S> inner, Object mask) {
        return LeafMasks.transform("masked", inner, LeafMasks.ofBooleans(mask), true);
    }

    /**
     * {@link #masked} with the mask given by a test on each array leaf and its path (for instance
     * {@code (path, leaf) -> leaf.ndim() > 1} for weight matrices only).
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Jnp.ones(2, 2), Array.of(1.0));
     * var opt = Masking.masked(Optim.scale(10.0), (path, leaf) -> leaf.ndim() > 1);
     * var u = (List<?>) opt.update(List.of(Jnp.ones(2, 2), Array.of(1.0)), opt.init(p), p).updates();
     * u.get(1)   // Array(float64[1], [1.0])
     * }
     *
     * @param inner the transformation for the selected leaves
     * @param select true for the leaves {@code inner} applies to
     * @return the masked transformation
     * @param <S> the inner state type
     */
    static <S> GradientTransformation<MaskedState> masked(GradientTransformation<S> inner, BiPredicate<KeyPath, Array> select) {
        return LeafMasks.transform("masked", inner, LeafMasks.ofPredicate(select), true);
    }

    /**
     * Trains only the leaves a mask selects (Equinox's "freeze parameters" pattern): {@code inner} is applied
     * to the selected leaves, and every other leaf gets a {@code null} update, so that
     * {@code Eqx.applyUpdates} leaves it exactly as it is; no state is kept for frozen leaves.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Array.of(1.0), Array.of(1.0));
     * var opt = Masking.trainOnly(Optim.sgd(0.1), List.of(true, false));
     * opt.update(List.of(Array.of(1.0), Array.of(1.0)), opt.init(p), p).updates()   // [Array(float64[1], [-0.1]), null]
     * }
     *
     * @param inner the optimiser for the trained leaves
     * @param mask a tree of the parameters' structure (or a prefix of it) whose leaves are bool scalar arrays
     *     or {@link Boolean}s; {@code true} means trained, {@code false} or {@code null} frozen
     * @return the transformation
     * @param <S> the inner state type
     */
    static <S> GradientTransformation<MaskedState> trainOnly(GradientTransformation<S> inner, Object mask) {
        return LeafMasks.transform("trainOnly", inner, LeafMasks.ofBooleans(mask), false);
    }

    /**
     * {@link #trainOnly} with the trained leaves chosen by a test on each array leaf and its path.
     *
     * {@snippet lang=java :
     * List<Array> p = List.of(Jnp.ones(2, 2), Array.of(1.0));
     * var opt = Masking.trainOnly(Optim.sgd(0.1), (path, leaf) -> leaf.ndim() > 1);
     * var u = (List<?>) opt.update(List.of(Jnp.ones(2, 2), Array.of(1.0)), opt.init(p), p).updates();
     * u.get(1)   // null
     * }
     *
     * @param inner the optimiser for the trained leaves
     * @param trainable true for the leaves to train
     * @return the transformation
     * @param <S> the inner state type
     */
    static <S> GradientTransformation<MaskedState> trainOnly(GradientTransformation<S> inner,
            BiPredicate<KeyPath, Array> trainable) {
        return LeafMasks.transform("trainOnly", inner, LeafMasks.ofPredicate(trainable), false);
    }
}
