package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.tree.Tree;

/**
 * Parametric ReLU (Equinox's {@code eqx.nn.PReLU}): {@code where(x >= 0, x, slope * x)} with a learned
 * slope, initialised to 0.25. As in Equinox the result has the promoted dtype of the input and the slope, so
 * an integer input gives a floating result.
 *
 * {@snippet lang=java :
 * PReLU prelu = new PReLU(0.25);
 * prelu.apply(Array.of(new float[] {-4, 2}))   // Array(float32[2], [-1.0,  2.0])
 * }
 *
 * @param negativeSlope the slope for negative inputs: a scalar (shape {@code []}) or any shape that broadcasts
 *     against the input, such as one slope per channel
 */
public record PReLU(Array negativeSlope) implements Layer {
    /** Slope 0.25, float32. */
    public PReLU() {
        this(0.25);
    }

    /** A given initial slope, float32. */
    public PReLU(double initAlpha) {
        this(initAlpha, DType.FLOAT32);
    }

    /** A given initial slope and dtype, as a scalar array. */
    public PReLU(double initAlpha, DType dtype) {
        this(Jnp.full(dtype, initAlpha));
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * PReLU prelu = new PReLU(0.25);
     * prelu.apply(Array.of(new float[] {-4, 2}))   // Array(float32[2], [-1.0,  2.0])
     * }
     */
    @Override
    public Array apply(Array x) {
        return Jnp.where(Jnp.greaterEqual(x, 0.0), x, Jnp.multiply(negativeSlope, x));
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
