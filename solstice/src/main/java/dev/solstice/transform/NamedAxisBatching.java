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

    /**
     * The batching rule under the vmap named {@code axisName}, {@code null} for a vmap of another name or none
     * (see {@link Primitive#batch}).
     */
    Batched batchNamed(Array[] vals, int[] dims, int axisSize, String axisName);

    /** The part of a memoised batching rule's variant that tells named batching from unnamed (never null). */
    static String memoKey(String axisName) {
        return axisName == null ? "" : "named:" + axisName;
    }

    /** Batching under any vmap but the one named in a collective inside: {@link #batchNamed} with no name. */
    @Override
    default Batched batch(Array[] vals, int[] dims, int axisSize) {
        return batchNamed(vals, dims, axisSize, null);
    }
}
