/**
 * JAX-compatible random numbers: {@link dev.solstice.random.Generator} implements {@code jax.random} on raw
 * Threefry-2x32 keys in the partitionable and legacy schemes; {@link dev.solstice.Prng} is the facade.
 */
package dev.solstice.random;
