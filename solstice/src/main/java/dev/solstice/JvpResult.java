package dev.solstice;

/**
 * The result of {@link Jax#jvp}: the function's output and its directional derivative.
 *
 * {@snippet lang=java :
 * JvpResult<Array> r = Jax.jvp((Array x) -> Jnp.sin(x), Array.scalar(0.0), Array.scalar(2.0));
 * r.primal()                      // 0.0
 * r.tangent()                     // 2.0: cos 0 times 2
 * }
 *
 * @param <T> the output type
 * @param primal the output at the point
 * @param tangent the derivative of the output along the given tangent
 */
public record JvpResult<T>(T primal, T tangent) {}
