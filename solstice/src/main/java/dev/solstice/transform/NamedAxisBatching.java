package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Batched;
import dev.solstice.core.Primitive;

/**
 * A primitive that carries a program which may act across a named vmap axis (a jit call whose function calls
 * {@code Lax.psum}): the vmap of that name batches it with its name, so the collectives inside act across that
 * vmap's examples, even when no operand varies across it.
 */
interface NamedAxisBatching extends Primitive {

    /** The batching rule under the vmap named {@code axisName} (see {@link Primitive#batch}). */
    Batched batchNamed(Array[] vals, int[] dims, int axisSize, String axisName);
}
