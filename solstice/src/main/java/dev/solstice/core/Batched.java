package dev.solstice.core;

import dev.solstice.Array;

/**
 * The result of a batching rule: the outputs and, for each, the axis that carries the batch
 * ({@link #NOT_BATCHED} for an output that is the same for every example).
 *
 * @param outs the outputs
 * @param dims the batch axis of each output
 */
public record Batched(Array[] outs, int[] dims) {
    /** The batch axis of a value that does not vary across the batch. */
    public static final int NOT_BATCHED = -1;

    /** A single output batched along {@code dim}. */
    public static Batched of(Array out, int dim) {
        return new Batched(new Array[] {out}, new int[] {dim});
    }
}
