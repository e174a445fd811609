package dev.solstice;

import java.util.function.Function;

/**
 * The result of {@link Jax#vjp}: the function's output and its pullback, which maps an output cotangent to
 * the input cotangent. The pullback can be called any number of times, also inside other transformations.
 *
 * {@snippet lang=java :
 * VjpResult<Array, Array> r = Jax.vjp((Array x) -> x.mul(x), Array.of(1.0, 2.0));
 * r.primal()                      // [1.0, 4.0]
 * r.pullback().apply(Array.of(1.0, 1.0))      // [2.0, 4.0]
 * }
 *
 * @param <T> the input type
 * @param <R> the output type
 * @param primal the output at the point
 * @param pullback output cotangent to input cotangent
 */
public record VjpResult<T, R>(R primal, Function<R, T> pullback) {}
