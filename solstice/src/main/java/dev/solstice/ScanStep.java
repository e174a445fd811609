package dev.solstice;

/**
 * What the body of {@link Lax#scan} returns for one step: the next carry and this step's output.
 *
 * {@snippet lang=java :
 * Lax.scan((Array c, Array x) -> new ScanStep<>(c.add(x), c.add(x)),
 *         Array.scalar(0.0), Array.of(1.0, 2.0, 3.0)).ys()    // [1.0, 3.0, 6.0]
 * }
 *
 * @param carry the next carry: the same tree structure, shapes and dtypes as the initial carry
 * @param y this step's output (a tree, or null for none); stacked over the steps
 * @param <C> the carry tree type
 * @param <Y> the output tree type
 */
public record ScanStep<C, Y>(C carry, Y y) {}
