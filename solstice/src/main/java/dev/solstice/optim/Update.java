package dev.solstice.optim;

/**
 * What {@link GradientTransformation#update} returns: the transformed updates and the new optimiser state
 * (Optax's {@code (updates, new_state)} pair).
 *
 * @param <S> the state type
 * @param updates the updates, a tree of the parameters' (or the gradients') structure with {@code null} where
 *     there is nothing to change; add them to the parameters with {@code Eqx.applyUpdates}
 * @param state the new state, to pass to the next call
 */
public record Update<S>(Object updates, S state) {}
