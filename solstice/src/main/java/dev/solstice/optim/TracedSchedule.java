package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.DType;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * A schedule built by a {@link Schedule} factory: one formula in Java doubles for concrete step counts (the
 * values the schedules always had) and the same formula in array operations for a traced count (inside
 * {@code jit} or {@code vmap}), as Optax evaluates its schedules with jnp arithmetic.
 *
 * @param concrete the value at a concrete step
 * @param traced the value at a traced int32 scalar count, a float64 scalar
 */
record TracedSchedule(IntToDoubleFunction concrete, UnaryOperator<Array> traced) implements Schedule {
    TracedSchedule {
        Objects.requireNonNull(concrete, "concrete");
        Objects.requireNonNull(traced, "traced");
    }

    /**
     * The value at a concrete step, from the Java formula.
     *
     * {@snippet lang=java :
     * Schedule.linear(1.0, 0.0, 4).at(2)   // 0.5
     * }
     *
     * @param step the number of updates made before this one
     * @return the value
     */
    @Override
    public double at(int step) {
        return concrete.applyAsDouble(step);
    }

    /**
     * The value at a count held in an array: the Java formula when the count is concrete, the array formula
     * when it is traced.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.cosineDecay(1.0, 10, 0.0);
     * Jax.jit((Array c) -> s.at(c)).apply(Array.scalar(5))   // Array(float64[], 0.5)
     * }
     *
     * @param count an int32 scalar
     * @return a float64 scalar
     */
    @Override
    public Array at(Array count) {
        Integer step = concreteValue(count);
        return step != null ? Array.scalar(at(step.intValue())) : traced.apply(count);
    }

    /** The value of an int32 scalar count, or null when it is traced (no values while tracing). */
    static Integer concreteValue(Array count) {
        if (count == null || count.dtype() != DType.INT32 || count.ndim() != 0) {
            throw new IllegalArgumentException("Schedule.at: the step count must be an int32 scalar, got "
                    + (count == null ? "null" : count.aval().str()));
        }
        try {
            return (int) count.item();
        } catch (IllegalStateException traced) {
            return null;
        }
    }
}
