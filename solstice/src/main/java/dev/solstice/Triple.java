package dev.solstice;

/**
 * One value per argument of a three-argument function ({@link Fn3}): the gradients, cotangents or Jacobians that
 * {@link Jax}'s three-argument transformations give, {@code null} for an argument not differentiated. A record, so
 * also a tree (paths {@code first...}, {@code second...}, {@code third...}).
 *
 * {@snippet lang=java :
 * Fn3<Array, Array, Array, Array> f = (a, b, c) -> Jnp.sum(a.mul(b).mul(c));
 * Triple<Array, Array, Array> g = Jax.grad(f, Argnums.of(0, 2)).apply(
 *         Array.scalar(2.0), Array.scalar(3.0), Array.scalar(5.0));
 * g.first()                       // 15.0
 * g.second()                      // null: not differentiated
 * g.third()                       // 6.0
 * }
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <C> the third argument's type
 * @param first the value for the first argument, or {@code null}
 * @param second the value for the second argument, or {@code null}
 * @param third the value for the third argument, or {@code null}
 */
public record Triple<A, B, C>(A first, B second, C third) {}
