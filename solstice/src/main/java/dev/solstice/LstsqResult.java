package dev.solstice;

/**
 * The result of {@link Linalg#lstsq}, as {@code jnp.linalg.lstsq} returns it.
 *
 * {@snippet lang=java :
 * LstsqResult r = Linalg.lstsq(Array.of(new double[] {1, 1, 1, 2, 1, 3}, 3, 2), Array.of(1.0, 2.0, 3.0));
 * r.solution()                    // [0.0, 1.0]
 * r.rank().item()                 // 2.0
 * }
 *
 * @param solution {@code x} minimising {@code ||a x - b||} (the minimum-norm one when {@code a} is
 *     rank-deficient): {@code [n]} for a vector {@code b}, {@code [n, k]} for a matrix
 * @param residuals the squared residual norms per column of {@code b}, {@code [k]} ({@code [1]} for a vector
 *     {@code b}); JAX's default, numpy_resid = false: always computed
 * @param rank the effective rank, an int32 scalar: the number of singular values at least
 *     {@code rcond} times the largest
 * @param singularValues the singular values of {@code a}, descending, {@code [min(m, n)]}
 */
public record LstsqResult(Array solution, Array residuals, Array rank, Array singularValues) {}
