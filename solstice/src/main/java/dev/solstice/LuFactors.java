package dev.solstice;

/**
 * The result of {@link Linalg#lu}, as JAX's {@code lax.linalg.lu}: {@code a[permutation] = L U}.
 *
 * {@snippet lang=java :
 * LuFactors f = Linalg.lu(Array.of(new double[] {1, 2, 3, 4}, 2, 2));
 * f.lu()                          // float64[2,2]
 * }
 *
 * @param lu {@code L} strictly below the diagonal (its unit diagonal implied) and {@code U} on and above, {@code [..., m, n]}
 * @param pivots int32 {@code [..., min(m, n)]}: at step {@code i} row {@code i} was swapped with row {@code pivots[i]}
 * @param permutation int32 {@code [..., m]}: the rows of {@code a} in the order of {@code L U}
 */
public record LuFactors(Array lu, Array pivots, Array permutation) {}
