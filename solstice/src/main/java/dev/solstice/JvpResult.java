package dev.solstice;

/**
 * The result of {@link Jax#jvp}: the function's output and its directional derivative.
 *
 * @param <T> the output type
 * @param primal the output at the point
 * @param tangent the derivative of the output along the given tangent
 */
public record JvpResult<T>(T primal, T tangent) {}
