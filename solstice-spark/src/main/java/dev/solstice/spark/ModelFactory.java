package dev.solstice.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * Builds a model of the right structure on an executor (its values are replaced by the shipped ones): the
 * record classes and non-array fields (activations, sizes) are code, which every executor has, and only the
 * arrays travel. A lambda assigned to this type is serialisable, e.g.
 * {@code () -> new MLP(64, 10, 64, 1, Nn::relu, Prng.key(0))}.
 *
 * @param <T> the model tree type
 */
@FunctionalInterface
public interface ModelFactory<T> extends Supplier<T>, Serializable {}
