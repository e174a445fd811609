package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.tree.Tree;
import java.util.function.Function;

/**
 * A function as a layer (Equinox's {@code eqx.nn.Lambda}), for example an activation in a
 * {@link Sequential}; the function is static structure.
 *
 * {@snippet lang=java :
 * Lambda act = new Lambda(Nn::relu);
 * act.apply(Array.of(-1.0, 2.0))   // Array(float64[2], [0.0, 2.0])
 * }
 *
 * @param fn the function
 */
public record Lambda(Function<Array, Array> fn) implements Layer {
    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * Lambda act = new Lambda(Nn::relu);
     * act.apply(Array.of(-1.0, 2.0))   // Array(float64[2], [0.0, 2.0])
     * }
     */
    @Override
    public Array apply(Array x) {
        return fn.apply(x);
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
