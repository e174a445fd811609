package dev.solstice.nn;

import dev.solstice.Array;

/**
 * A module that maps one example to an output, as Equinox layers do (batching is the caller's
 * {@code Jax.vmap}). Layers that need randomness at call time (dropout) take a key; the others ignore it.
 *
 * {@snippet lang=java :
 * Layer layer = new Linear(3, 2, Prng.key(0));
 * layer.apply(Jnp.ones(DType.FLOAT32, 3))   // Array(float32[2], [-0.8554429, -1.0906777])
 * }
 */
public interface Layer extends Module {

    /**
     * The layer applied to one example.
     *
     * {@snippet lang=java :
     * Layer relu = new Lambda(Nn::relu);
     * relu.apply(Array.of(-1.0, 1.0))   // Array(float64[2], [0.0, 1.0])
     * }
     */
    Array apply(Array x);

    /**
     * The layer applied to one example with a PRNG key (ignored by deterministic layers).
     *
     * {@snippet lang=java :
     * Layer layer = new Identity();
     * layer.apply(Array.of(1.0), Prng.key(0))   // Array(float64[1], [1.0])
     * }
     */
    default Array apply(Array x, Array key) {
        return apply(x);
    }
}
