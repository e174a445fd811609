package dev.solstice;

/**
 * What {@link Lax#scan} returns: the final carry and the outputs of every step stacked along a new leading axis.
 *
 * {@snippet lang=java :
 * Scan<Array, Array> s = Lax.scan((Array c, Array x) -> new ScanStep<>(c.add(x), c.mul(x)),
 *         Array.scalar(1.0), Array.of(1.0, 2.0, 3.0));
 * s.carry()                       // 7.0
 * s.ys()                          // [1.0, 4.0, 12.0]
 * }
 *
 * @param carry the carry after the last step
 * @param ys the per-step outputs, each leaf with a leading axis of the scan's length (null if the body returned none)
 * @param <C> the carry tree type
 * @param <Y> the output tree type
 */
public record Scan<C, Y>(C carry, Y ys) {}
