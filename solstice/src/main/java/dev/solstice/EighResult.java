package dev.solstice;

/**
 * The result of {@link Linalg#eigh}: {@code a = V diag(w) Vᵀ} for each symmetric matrix.
 *
 * {@snippet lang=java :
 * EighResult e = Linalg.eigh(Array.of(new double[] {2, 0, 0, 3}, 2, 2));
 * e.eigenvalues()                 // [2.0, 3.0]
 * e.eigenvectors()                // float64[2,2]
 * }
 *
 * @param eigenvalues {@code [..., n]}, ascending
 * @param eigenvectors {@code [..., n, n]}, orthonormal columns, column {@code i} for eigenvalue {@code i}
 */
public record EighResult(Array eigenvalues, Array eigenvectors) {}
