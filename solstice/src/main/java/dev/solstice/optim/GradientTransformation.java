package dev.solstice.optim;

/**
 * Optax's gradient transformation: a pure pair of functions. {@code init} makes the optimiser state from the
 * parameters; {@code update} turns gradients into updates and returns the next state. Nothing is mutated, and
 * the state is a tree (records and lists of arrays, with step counts as int32 scalar arrays), so it can be
 * saved, inspected with {@code Tree.leaves} or mapped over with {@code vmap}.
 *
 * <p>Trees may hold {@code null} in place of any leaf or subtree: a null gradient gives a null update (the
 * parameter is left as it is by {@code Eqx.applyUpdates}) and leaves that leaf's state unchanged; a null
 * parameter gets a null state leaf. Typical use:
 *
 * <pre>{@code
 * GradientTransformation<?> opt = Optim.adam(1e-3);
 * Object state = opt.init(params);
 * Update<?> u = Optim.update(opt, grads, state, params);
 * params = Eqx.applyUpdates(params, u.updates());
 * state = u.state();
 * }</pre>
 *
 * {@snippet lang=java :
 * Array params = Array.of(1.0, 2.0);
 * GradientTransformation<Optim.ChainState> opt = Optim.adam(1e-3);
 * Optim.ChainState state = opt.init(params);
 * Update<Optim.ChainState> u = opt.update(Array.of(1.0, 1.0), state, params);
 * Eqx.applyUpdates(params, u.updates())   // Array(float64[2], [0.999, 1.999])
 * }
 *
 * @param <S> the state type
 */
public interface GradientTransformation<S> {
    /**
     * The initial state for these parameters.
     *
     * {@snippet lang=java :
     * var opt = Optim.scaleByAdam();
     * opt.init(Array.of(1.0, 2.0)).count()   // 0
     * }
     *
     * @param params the parameters (a tree of float arrays; nulls allowed)
     * @return the state, a tree
     */
    S init(Object params);

    /**
     * Transforms gradients into updates.
     *
     * {@snippet lang=java :
     * Array p = Array.of(1.0);
     * var opt = Optim.sgd(0.5);
     * Update<Optim.ChainState> u = opt.update(Array.of(2.0), opt.init(p), p);
     * u.updates()   // Array(float64[1], [-1.0])
     * }
     *
     * @param grads the gradients (or the updates of an earlier transformation in a chain), a tree of the
     *     parameters' structure; nulls allowed
     * @param state the state from {@link #init} or the previous update
     * @param params the current parameters, needed only by transformations that read them (weight decay);
     *     may be {@code null} otherwise
     * @return the updates and the new state
     */
    Update<S> update(Object grads, S state, Object params);
}
