package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.tree.Tree;

/**
 * The identity layer (Equinox's {@code eqx.nn.Identity}).
 *
 * {@snippet lang=java :
 * new Identity().apply(Array.of(1.0, 2.0))   // Array(float64[2], [1.0, 2.0])
 * }
 */
public record Identity() implements Layer {
    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * new Identity().apply(Array.of(1.0, 2.0))   // Array(float64[2], [1.0, 2.0])
     * }
     */
    @Override
    public Array apply(Array x) {
        return x;
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
