package dev.solstice;

/**
 * A function of three arguments, for the three-argument forms of {@link Jax}'s transformations
 * ({@code Jax.grad((Array w, Array x, Array y) -> loss, Argnums.of(0))}).
 *
 * {@snippet lang=java :
 * Fn3<Array, Array, Array, Array> f = (a, b, c) -> a.mul(b).add(c);
 * f.apply(Array.scalar(2.0), Array.scalar(3.0), Array.scalar(1.0))    // 7.0
 * Jax.grad(f, Argnums.of(1)).apply(Array.scalar(2.0), Array.scalar(3.0), Array.scalar(1.0)).second()   // 2.0
 * }
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <C> the third argument's type
 * @param <R> the result's type
 */
@FunctionalInterface
public interface Fn3<A, B, C, R> {
    /** Applies the function. */
    R apply(A a, B b, C c);
}
