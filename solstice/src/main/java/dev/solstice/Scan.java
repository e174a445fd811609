package dev.solstice;

/**
 * What {@link Lax#scan} returns: the final carry and the outputs of every step stacked along a new leading axis.
 *
 * @param carry the carry after the last step
 * @param ys the per-step outputs, each leaf with a leading axis of the scan's length (null if the body returned none)
 * @param <C> the carry tree type
 * @param <Y> the output tree type
 */
public record Scan<C, Y>(C carry, Y ys) {}
