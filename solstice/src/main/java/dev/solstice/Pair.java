package dev.solstice;

/**
 * One value per argument of a two-argument function: the gradients, cotangents or Jacobians that {@link Jax}'s
 * two-argument transformations give, {@code null} for an argument not differentiated. A record, so also a tree
 * (paths {@code first...}, {@code second...}).
 *
 * {@snippet lang=java :
 * Pair<Array, Array> g = Jax.grad((Array a, Array b) -> Jnp.sum(a.mul(b)),
 *         Argnums.of(0, 1)).apply(Array.of(1.0, 2.0), Array.of(3.0, 4.0));
 * g.first()                       // [3.0, 4.0]
 * g.second()                      // [1.0, 2.0]
 * }
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param first the value for the first argument, or {@code null}
 * @param second the value for the second argument, or {@code null}
 */
public record Pair<A, B>(A first, B second) {}
