/**
 * Small real data sets shipped with Solstice and the means to feed them to a model:
 * {@link dev.solstice.data.Digits} (the UCI handwritten digits, 1797 8x8 images, from the classpath) and
 * {@link dev.solstice.data.Batches} (train/test splits, shuffling by a {@link dev.solstice.Prng} key, and
 * mini-batches). The provenance and licence of the data are in {@code dev/solstice/data/README.md} next to
 * the data file.
 */
package dev.solstice.data;
