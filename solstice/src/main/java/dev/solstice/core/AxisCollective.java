package dev.solstice.core;

import dev.solstice.Array;

/**
 * A primitive that acts across the examples of a named vmap axis (JAX's collectives: psum and friends).
 * The vmap with that name handles it even when none of its operands is batched (a constant summed over
 * the batch is multiplied by its size); every other interpreter treats it as usual. Outside any vmap of
 * that name it cannot be evaluated.
 */
public interface AxisCollective extends Primitive {

    /** The vmap axis name it acts across. */
    String axisName();

    /**
     * The rule of the vmap named {@link #axisName()}: operand {@code val} carries the batch along {@code dim}
     * ({@link Batched#NOT_BATCHED} if it is the same for every example) of length {@code axisSize}.
     */
    Batched acrossAxis(Array val, int dim, int axisSize);

    @Override
    default boolean usesAxisName(String name) {
        return axisName().equals(name);
    }
}
