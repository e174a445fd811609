package dev.solstice.nn;

import dev.solstice.Array;

/**
 * A module that maps one example to an output, as Equinox layers do (batching is the caller's
 * {@code Jax.vmap}). Layers that need randomness at call time (dropout) take a key; the others ignore it.
 */
public interface Layer extends Module {

    /** The layer applied to one example. */
    Array apply(Array x);

    /** The layer applied to one example with a PRNG key (ignored by deterministic layers). */
    default Array apply(Array x, Array key) {
        return apply(x);
    }
}
