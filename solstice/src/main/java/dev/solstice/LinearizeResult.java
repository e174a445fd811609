package dev.solstice;

import java.util.function.Function;

/**
 * The result of {@link Jax#linearize}: the output at the point and the linear map from input tangents to
 * output tangents, evaluated without re-running the function.
 *
 * {@snippet lang=java :
 * LinearizeResult<Array, Array> l = Jax.linearize((Array x) -> Jnp.exp(x), Array.scalar(0.0));
 * l.primal()                      // 1.0
 * l.jvp().apply(Array.scalar(3.0))    // 3.0
 * }
 *
 * @param <T> the input type
 * @param <R> the output type
 * @param primal the output at the point
 * @param jvp input tangent to output tangent
 */
public record LinearizeResult<T, R>(R primal, Function<T, R> jvp) {}
