package dev.solstice.spark;

import dev.solstice.Array;
import java.io.Serializable;

/**
 * The loss of one example, a scalar: what {@link DataParallel} sums over a partition (with {@code vmap}) and
 * differentiates with respect to the model. Spark ships it to the executors, so it is {@link Serializable}:
 * a lambda assigned to this type is serialisable when everything it captures is (capture effectively final
 * locals, never {@code this} of a non-serialisable object).
 *
 * @param <T> the model tree type
 */
@FunctionalInterface
public interface PerExampleLoss<T> extends Serializable {
    /**
     * The loss of one example.
     *
     * @param model the model
     * @param features the example's features, a vector in the model's float dtype
     * @param targets the example's targets, a float64 vector (convert a class index with {@code astype(INT32)})
     * @return a scalar
     */
    Array apply(T model, Array features, Array targets);
}
