package dev.solstice.optim;

/**
 * What {@link GradientTransformation#update} returns: the transformed updates and the new optimiser state
 * (Optax's {@code (updates, new_state)} pair).
 *
 * {@snippet lang=java :
 * Array p = Array.of(1.0);
 * var opt = Optim.scaleByAdam();
 * Update<Optim.ScaleByAdamState> u = opt.update(Array.of(2.0), opt.init(p), p);
 * u.state().count()   // 1
 * u.updates()   // Array(float64[1], [1.0])
 * }
 *
 * @param <S> the state type
 * @param updates the updates, a tree of the parameters' (or the gradients') structure with {@code null} where
 *     there is nothing to change; add them to the parameters with {@code Eqx.applyUpdates}
 * @param state the new state, to pass to the next call
 */
public record Update<S>(Object updates, S state) {}
