package dev.solstice;

/**
 * An axis specification for vmap meaning "this axis for array leaves" (Equinox's {@code if_array}); made by
 * {@link Eqx#ifArray}. Every leaf of a tree is an array here (other values are static structure), so it
 * batches every leaf of the subtree it stands for along {@code axis}.
 *
 * {@snippet lang=java :
 * record Batch(Array x, Array y) {}
 * Function<Batch, Array> sum = b -> b.x().add(b.y());
 * Jax.vmap(sum, Eqx.ifArray(0), 0).apply(new Batch(Array.of(1.0, 2.0), Array.of(10.0, 20.0)))   // [11.0, 22.0]
 * Eqx.ifArray(1)                  // IfArray[axis=1]
 * }
 *
 * @param axis the batch axis (negative counts from the end)
 */
public record IfArray(int axis) {}
