package dev.solstice;

/**
 * The result of {@link Lax#topK}: the {@code k} largest elements along the last axis, largest first, and their
 * int32 positions in that axis.
 *
 * {@snippet lang=java :
 * TopK t = Lax.topK(Array.of(3.0, 1.0, 4.0, 1.0, 5.0), 2);
 * t.values()                      // [5.0, 4.0]
 * t.indices()                     // [4, 2]
 * }
 *
 * @param values the largest elements, in decreasing order (ties in order of position; NaN counts as largest)
 * @param indices where each came from along the last axis (int32)
 */
public record TopK(Array values, Array indices) {}
