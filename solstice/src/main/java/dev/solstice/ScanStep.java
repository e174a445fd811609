package dev.solstice;

/**
 * What the body of {@link Lax#scan} returns for one step: the next carry and this step's output.
 *
 * @param carry the next carry: the same tree structure, shapes and dtypes as the initial carry
 * @param y this step's output (a tree, or null for none); stacked over the steps
 * @param <C> the carry tree type
 * @param <Y> the output tree type
 */
public record ScanStep<C, Y>(C carry, Y y) {}
