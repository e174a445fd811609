package dev.solstice;

/**
 * The result of {@link Linalg#svd}: {@code a = U diag(s) Vh} for each matrix {@code [..., m, n]}, with
 * {@code k = min(m, n)}.
 *
 * {@snippet lang=java :
 * SvdResult r = Linalg.svd(Array.of(new double[] {3, 0, 0, -2}, 2, 2), false);
 * r.s()                           // [3.0, 2.0]
 * r.vh()                          // float64[2,2]
 * }
 *
 * @param u {@code [..., m, k]} (or {@code [..., m, m]} with full matrices), orthonormal columns, the left
 *     singular vectors; null when not computed ({@code computeUv = false})
 * @param s {@code [..., k]}, the singular values, descending and non-negative
 * @param vh {@code [..., k, n]} (or {@code [..., n, n]} with full matrices), orthonormal rows, the right
 *     singular vectors; null when not computed
 */
public record SvdResult(Array u, Array s, Array vh) {}
