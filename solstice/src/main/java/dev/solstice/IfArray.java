package dev.solstice;

/**
 * An axis specification for vmap meaning "this axis for array leaves" (Equinox's {@code if_array}); made by
 * {@link Eqx#ifArray}. Every leaf of a tree is an array here (other values are static structure), so it
 * batches every leaf of the subtree it stands for along {@code axis}.
 *
 * @param axis the batch axis (negative counts from the end)
 */
public record IfArray(int axis) {}
